package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

// cmdSummary prints the annual summary (SPEC §7) as JSON, CSV or XLSX.
func cmdSummary(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("summary", stderr)
	year := fs.Int("year", time.Now().Year(), "registration year")
	unit := fs.String("unit", "", "police unit code (with the units below it); empty for all")
	suppress := fs.Int("suppress", 0, "hide counts from 1 to N-1 and the cells that would reveal them (default: [privacy] suppress)")
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *suppress < 0 {
		return fmt.Errorf("--suppress must be 0 or more")
	}
	level := suppress
	if !flagSet(fs, "suppress") {
		level = nil // the configured level
	}
	write := map[string]func(*stats.Summary, io.Writer) error{
		"json": (*stats.Summary).JSON, "csv": (*stats.Summary).CSV, "xlsx": (*stats.Summary).XLSX}[*format]
	if write == nil {
		return fmt.Errorf("--format %q: use json, csv or xlsx", *format)
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(_ config.Config, a *app.App) error {
		// The command line reads through the same use case as the page: the
		// same suppression, and an audit entry for the export.
		s, err := a.Stats.Summary(ctx, tryggspor.System("cli"), stats.Query{Year: *year, Unit: *unit, Suppress: level},
			tryggspor.ActStatsExport)
		if err != nil {
			return err
		}
		w := stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return write(s, w)
	})
}
