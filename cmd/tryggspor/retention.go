package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/store"
)

// cmdAnonymise removes personal fields from cases closed longer ago than
// privacy.anonymise_after_months.
func cmdAnonymise(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("anonymise", stderr)
	dry := fs.Bool("dry-run", false, "list the cases, change nothing")
	nowS := fs.String("now", "", "as of this instant (RFC 3339)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	now, err := nowFlag(*nowS)
	if err != nil {
		return err
	}
	return c.withStore(ctx, getenv, func(cfg config.Config, st *store.Store) error {
		refs, err := app.New(st, app.Options{Now: now}).Service.Anonymise(ctx, cfg.Privacy.AnonymiseAfterMonths, *dry)
		if err != nil {
			return err
		}
		verb := "anonymised"
		if *dry {
			verb = "would be anonymised (--dry-run)"
		}
		fmt.Fprintf(stdout, "%d cases %s\n", len(refs), verb)
		if len(refs) > 0 {
			fmt.Fprintln(stdout, strings.Join(refs, "\n"))
		}
		return nil
	})
}

func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("backup", stderr)
	to := fs.String("to", "", "backup file to create")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("--to is required")
	}
	return c.withStore(ctx, getenv, func(_ config.Config, st *store.Store) error {
		if err := st.Backup(ctx, *to); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "backup written to", *to, "(the encryption key is not in it: keep the key file safe separately)")
		return nil
	})
}

func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("restore", stderr)
	from := fs.String("from", "", "backup file to restore (refused while a server or command has the database open)")
	fromReplica := fs.String("from-replica", "", "restore from a replica: file:///path or s3://bucket/path")
	at := fs.String("at", "", "with --from-replica: the state at this time (RFC 3339); default the latest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *fromReplica != "" && *from != "" {
		return fmt.Errorf("give --from FILE or --from-replica URL, not both")
	} else if *fromReplica != "" {
		return restoreFromReplica(ctx, c, getenv, *fromReplica, *at, stdout)
	} else if *at != "" {
		return fmt.Errorf("--at needs --from-replica: a backup holds one point in time")
	}
	if *from == "" {
		return fmt.Errorf("--from is required")
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	keys, err := keyring(cfg)
	if err != nil {
		return err
	}
	replaced, err := store.Restore(ctx, *from, cfg.Database.Path, keys, cfg.Audit.CheckpointFile)
	if err != nil {
		return err
	}
	// Opening and closing the restored database anchors its audit log with
	// a fresh signed checkpoint.
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "restored", *from, "to", cfg.Database.Path)
	if replaced != "" {
		fmt.Fprintln(stdout, "the database it replaced is kept as", replaced)
	}
	return nil
}
