package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"tryggspor/internal/config"
	"tryggspor/internal/replica"
	"tryggspor/store"
)

// startReplication starts continuous replication when [replication] is set
// (nil otherwise), and makes the store's checkpoints go through it.
func startReplication(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*replica.Replicator, error) {
	if !cfg.Replication.Enabled() {
		return nil, nil
	}
	rep, err := replica.Start(ctx, cfg.Database.Path, cfg.Replication, log)
	if err != nil {
		return nil, err
	}
	st.SetCheckpointer(rep.Checkpoint)
	return rep, nil
}

// closeReplicated closes the store, then lets the replica take the last
// writes: Litestream must close after the database's own connections.
func closeReplicated(st *store.Store, rep *replica.Replicator, log *slog.Logger) {
	if err := st.Close(); err != nil {
		log.Error("close database", "err", err)
	}
	if rep == nil {
		return
	}
	if err := rep.Close(context.Background()); err != nil {
		log.Error("replication: the last writes may not be in the replica", "err", err)
	}
}

// restoreFromReplica is `restore --from-replica URL [--at RFC3339]`: the
// replica's database, checked like a backup, put in place of the database.
func restoreFromReplica(ctx context.Context, c *common, getenv func(string) string, url, atS string, stdout io.Writer) error {
	var at time.Time
	if atS != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, atS); err != nil {
			return fmt.Errorf("--at %q: want RFC 3339, e.g. 2026-12-05T14:30:00+01:00", atS)
		}
	}
	if err := config.CheckReplicaURL(url); err != nil {
		return fmt.Errorf("--from-replica: %w", err)
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	keys, err := keyring(cfg)
	if err != nil {
		return err
	}
	// A restore to another path than the configured database (the monthly
	// drill) is checked against the configured checkpoints but anchored
	// beside its own file, so production's checkpoint file is not touched.
	anchor := cfg.Audit.CheckpointFile
	if configured, err := c.configuredDB(getenv); err == nil && configured != cfg.Database.Path {
		anchor = ""
	}
	start := time.Now()
	res, err := store.RestoreReplica(ctx, cfg.Database.Path, keys, cfg.Audit.CheckpointFile, anchor,
		replica.Fetch(url, cfg.Replication, cfg.Database.Path, at))
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg) // opening and closing anchors the restored log
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s to %s in %s: integrity, audit chain (%d entries) and checkpoints checked\n",
		url, cfg.Database.Path, time.Since(start).Round(time.Millisecond), res.Entries)
	if res.Newest > res.Entries {
		fmt.Fprintf(stdout, "the newest signed checkpoint counted %d audit entries: the %d after the restored point are not in it\n",
			res.Newest, res.Newest-res.Entries)
	}
	if res.Replaced != "" {
		fmt.Fprintln(stdout, "the database it replaced is kept as", res.Replaced)
	}
	if res.OldAnchors != "" {
		fmt.Fprintln(stdout, "the audit checkpoints of before the restore are kept as", res.OldAnchors)
	}
	return nil
}

// configuredDB is the database path of the configuration without --db.
func (c *common) configuredDB(getenv func(string) string) (string, error) {
	plain := *c
	plain.db = ""
	cfg, err := plain.load(getenv)
	return cfg.Database.Path, err
}

// cmdReplica is `replica status [--format json]`.
func cmdReplica(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "status" {
		return errors.New("usage: tryggspor replica status [--format json]")
	}
	fs, c := newFlags("replica status", stderr)
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	if !cfg.Replication.Enabled() {
		return errors.New("replication is not configured ([replication] url)")
	}
	r, err := replica.Inspect(ctx, cfg.Replication.URL, cfg.Replication, cfg.Database.Path)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(stdout, "replica   %s\nposition  %s (this machine: %s)\ntime      %s\nlag       %.1fs\n",
		r.Target, r.Position, r.LocalPosition, r.At.UTC().Format(time.RFC3339), r.Lag)
	return nil
}
