package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/municipality"
	"tryggspor/internal/tryggspor"
)

// cmdCheck runs a data check; today only `check residences`.
func cmdCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "residences" {
		return fmt.Errorf("usage: tryggspor check residences")
	}
	fs, c := newFlags("check residences", stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(cfg config.Config, a *app.App) error {
		uses, err := a.Service.Residences(ctx, tryggspor.System("check residences"))
		if err != nil {
			return err
		}
		return reportResidences(uses, municipality.New(cfg.Residence.Extra), stdout)
	})
}

// reportResidences lists every stored residence that is not an official
// name: the name it would map to, or that it is unknown, with its cases. It
// changes nothing — a case is put right by a correction on its page, which
// its timeline shows. It fails when any value is not official, so a
// scheduled run is noticed.
func reportResidences(uses []tryggspor.ResidenceUse, places *municipality.List, w io.Writer) error {
	bad, cases := 0, 0
	for _, u := range uses {
		name, ok := places.Normalize(u.Value)
		if ok && name == u.Value {
			continue
		}
		bad++
		cases += len(u.Refs)
		what := "not a municipality or configured value"
		if ok {
			what = "maps to " + strconv.Quote(name)
		}
		refs := u.Refs
		more := ""
		if len(refs) > 10 {
			refs, more = refs[:10], fmt.Sprintf(" and %d more", len(u.Refs)-10)
		}
		noun := "cases"
		if len(u.Refs) == 1 {
			noun = "case"
		}
		fmt.Fprintf(w, "%s: %s; %d %s: %s%s\n", strconv.Quote(u.Value), what, len(u.Refs), noun, strings.Join(refs, ", "), more)
	}
	if bad == 0 {
		fmt.Fprintf(w, "every residence is an official name (%s)\n", municipality.Edition)
		return nil
	}
	return fmt.Errorf("%d residence values in %d cases are not official names (nothing changed)", bad, cases)
}
