package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
)

// cmdImport loads cases from a spreadsheet export; any bad row aborts the whole
// import with every error listed, and nothing is written. The file is streamed,
// so its size is bounded by the disk, not by memory.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("import", stderr)
	file := fs.String("file", "", "CSV (UTF-8, UTF-16 with BOM or Windows-1252; ';' or ',' separated) or .xlsx file, header row of field names")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	again := fs.Bool("again", false, "import the file even though the same file (same SHA-256) was imported before")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := openFileFlag(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(_ config.Config, a *app.App) error {
		res, err := a.Import.File(ctx, tryggspor.System("import"), f, fi.Size(), importer.Options{DryRun: *dry, Again: *again})
		if res.Encoding != "" {
			fmt.Fprintf(stdout, "%s: read as %s (SHA-256 %s)\n", *file, res.Encoding, res.SHA256)
		}
		if !res.ImportedBefore.IsZero() && (*dry || *again) {
			fmt.Fprintf(stdout, "note: this file was imported before, on %s\n", res.ImportedBefore.In(tryggspor.Oslo).Format("2006-01-02 15:04"))
		}
		var rowErrs importer.Errors
		switch {
		case errors.As(err, &rowErrs):
			for _, e := range rowErrs {
				fmt.Fprintln(stderr, e)
			}
			return fmt.Errorf("%s: %d errors; nothing imported", *file, len(rowErrs))
		case tryggspor.ErrorKind(err) == tryggspor.KindConflict:
			return fmt.Errorf("%s: %s Nothing imported (use --again to import it once more)", *file, tryggspor.ErrorMessage(err))
		case err != nil:
			return err
		case *dry:
			fmt.Fprintf(stdout, "%d cases checked; nothing written (--dry-run)\n", res.Cases)
		default:
			fmt.Fprintf(stdout, "%d cases imported\n", res.Cases)
		}
		return nil
	})
}
