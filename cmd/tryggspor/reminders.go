package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/tryggspor"
)

type createdJSON struct {
	Rule      string `json:"rule"`
	CaseRef   string `json:"case_ref"`
	DueOn     string `json:"due_on"`
	Recipient string `json:"recipient"`
}

// cmdReminders runs `reminders run` (one sweep) or `reminders digest` (today's
// digests), both with --now for tests and catch-up runs.
func cmdReminders(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "run" && args[0] != "digest") {
		return fmt.Errorf("usage: tryggspor reminders run|digest [--now RFC3339] [--format json]")
	}
	sub := args[0]
	fs, c := newFlags("reminders "+sub, stderr)
	nowS := fs.String("now", "", "evaluate as of this instant (RFC 3339)")
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	now, err := nowFlag(*nowS)
	if err != nil {
		return err
	}
	return c.withApp(ctx, getenv, now, stderr, func(_ config.Config, a *app.App) error {
		if sub == "digest" {
			n, err := a.Engine.Digest(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d digests sent\n", n)
			return nil
		}
		created, err := a.Engine.Sweep(ctx)
		if err != nil {
			return err
		}
		to, err := a.Engine.Addressed(ctx, tryggspor.System("reminders run"), created)
		if err != nil {
			return err
		}
		out := struct {
			Created []createdJSON `json:"created"`
		}{Created: []createdJSON{}}
		for i, r := range created {
			out.Created = append(out.Created, createdJSON{Rule: r.Rule, CaseRef: r.CaseRef,
				DueOn: tryggspor.FormatDate(r.DueOn), Recipient: to[i]})
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		for _, r := range out.Created {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", r.DueOn, r.Rule, r.CaseRef, r.Recipient)
		}
		fmt.Fprintf(stdout, "%d reminders created\n", len(out.Created))
		return nil
	})
}
