package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"tryggspor/internal/config"
	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// cmdImport loads cases from a spreadsheet export; any bad row aborts the whole
// import with every error listed, and nothing is written.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("import", stderr)
	file := fs.String("file", "", "CSV file (UTF-8, ';' or ',' separated, header row of field names)")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := openFileFlag(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	return c.withStore(ctx, getenv, func(_ config.Config, st *store.Store) error {
		n, err := importer.Import(ctx, st, tryggspor.System("import"), f, *dry, time.Now())
		var rowErrs importer.Errors
		if errors.As(err, &rowErrs) {
			for _, e := range rowErrs {
				fmt.Fprintln(stderr, e)
			}
			return fmt.Errorf("%s: %d errors; nothing imported", *file, len(rowErrs))
		} else if err != nil {
			return err
		}
		if *dry {
			fmt.Fprintf(stdout, "%d cases checked; nothing written (--dry-run)\n", n)
			return nil
		}
		fmt.Fprintf(stdout, "%d cases imported\n", n)
		return nil
	})
}
