package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/demo"
	"tryggspor/internal/orgs"
	"tryggspor/internal/tryggspor"
)

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("demo", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(cfg config.Config, a *app.App) error {
		empty, err := demo.Empty(ctx, a.Store)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("%s already holds cases; demo data goes only into an empty database", cfg.Database.Path)
		}
		if err := demo.Seed(ctx, a.Store, a.Service, time.Now()); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo data loaded into", cfg.Database.Path)
		return nil
	})
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(cfg config.Config, _ *app.App) error {
		fmt.Fprintln(stdout, "database", cfg.Database.Path, "is up to date")
		return nil
	})
}

func cmdOrgsImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("orgs import", stderr)
	file := fs.String("file", "", "CSV file with columns code,name,kind,parent,municipality and optionally orgno")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := openFileFlag(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	return c.withApp(ctx, getenv, time.Now, stderr, func(_ config.Config, a *app.App) error {
		known, err := a.Service.Organisations(ctx)
		if err != nil {
			return err
		}
		list, err := orgs.ParseCSV(f, known)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return fmt.Errorf("%s: nothing imported", *file)
		}
		if err := a.Service.ImportOrganisations(ctx, tryggspor.System("orgs import"), list); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d organisations imported\n", len(list))
		return nil
	})
}

func cmdAuditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("audit verify", stderr)
	witness := fs.String("witness", "", "directory of the audit witness: every *.checkpoints file signed by this log's key is held against the log "+
		"(default: audit.witness_dir)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The chain and its checkpoints are a property of the database file,
	// checked below the use cases, as backup and restore are.
	return c.withApp(ctx, getenv, time.Now, stderr, func(cfg config.Config, a *app.App) error {
		dir := *witness
		if dir == "" {
			dir = cfg.Audit.WitnessDir
		}
		res, err := a.Store.VerifyAuditWitness(ctx, dir)
		if err != nil {
			return err
		}
		if res.BrokenAt != 0 {
			return fmt.Errorf("audit log broken at entry %d of %d checked: %s", res.BrokenAt, res.Entries, res.Reason)
		}
		if res.Unanchored {
			return fmt.Errorf("audit log not anchored: %s", res.Reason)
		}
		fmt.Fprintf(stdout, "audit log intact: %d entries, keyed; signed checkpoint of %s covers %d of them\n",
			res.Entries, res.Checkpoint.At.In(tryggspor.Oslo).Format("02.01.2006 15:04"), res.Checkpoint.Size)
		if w := res.Witnessed; w != nil {
			fmt.Fprintf(stdout, "witness %s: newest checkpoint of %s covers %d entries and agrees\n",
				dir, w.At.In(tryggspor.Oslo).Format("02.01.2006 15:04"), w.Size)
		}
		return nil
	})
}
