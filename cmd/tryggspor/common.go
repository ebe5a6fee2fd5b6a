package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/store"
)

// common are the flags every command takes.
type common struct {
	configPath string
	db         string
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("tryggspor "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	fs.StringVar(&c.configPath, "config", "", "configuration file (default config.toml if present)")
	fs.StringVar(&c.db, "db", "", "database file (overrides the configuration)")
	return fs, c
}

// load reads the configuration: the --config file, else config.toml in the
// working directory if there is one, else the defaults; then env and --db;
// the database path resolved (store.ResolvePath).
func (c *common) load(getenv func(string) string) (config.Config, error) {
	path := c.configPath
	if path == "" {
		if _, err := os.Stat("config.toml"); err == nil {
			path = "config.toml"
		}
	}
	cfg, err := config.Load(path, getenv)
	if err != nil {
		return cfg, err
	}
	if c.db != "" {
		cfg.Database.Path = c.db
	}
	// One name for the database in every command: the key and checkpoint
	// files beside it, and the lock, belong to the file, not to a link.
	cfg.Database.Path, err = store.ResolvePath(cfg.Database.Path)
	return cfg, err
}

// keyring builds the encryption keyring: TRYGGSPOR_KEY, else crypto.key_file,
// else a key file beside the database (the layout `tryggspor dev` creates).
func keyring(cfg config.Config) (*store.Keyring, error) {
	var keys [][]byte
	switch {
	case cfg.Crypto.Key != "":
		k, err := store.ParseKey(cfg.Crypto.Key)
		if err != nil {
			return nil, fmt.Errorf("TRYGGSPOR_KEY: %w", err)
		}
		keys = append(keys, k)
	case cfg.Crypto.KeyFile != "":
		k, err := store.ReadKeyFile(cfg.Crypto.KeyFile)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	default:
		beside := cfg.Database.Path + ".key"
		if _, err := os.Stat(beside); err != nil {
			return nil, errors.New("no encryption key: set crypto.key_file or TRYGGSPOR_KEY_FILE")
		}
		k, err := store.ReadKeyFile(beside)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	for _, f := range cfg.Crypto.PreviousKeyFiles {
		k, err := store.ReadKeyFile(f)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	ring, err := store.NewKeyring(keys...)
	if err != nil {
		return nil, err
	}
	return ring, auditKeys(ring, cfg.Audit)
}

// auditKeys adds the audit chain's own keys, when configured: the previous
// ones first, so the current one (audit.key_file) makes new entries.
func auditKeys(ring *store.Keyring, a config.Audit) error {
	files := append(append([]string{}, a.PreviousKeyFiles...), a.KeyFile)
	for _, f := range files {
		if f == "" {
			continue
		}
		k, err := store.ReadKeyFile(f)
		if err != nil {
			return fmt.Errorf("audit key: %w", err)
		}
		if err := ring.SetAuditKey(k); err != nil {
			return err
		}
	}
	return nil
}

func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	keys, err := keyring(cfg)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, cfg.Database.Path, keys, store.Options{Readers: cfg.Database.Readers,
		CheckpointFile: cfg.Audit.CheckpointFile, WitnessFile: cfg.Audit.WitnessFile()})
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	if cfg.Server.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// nowFlag parses --now (RFC 3339) into a clock; empty means the real time.
func nowFlag(s string) (func() time.Time, error) {
	if s == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("--now %q: want RFC 3339, e.g. 2026-03-05T08:00:00+01:00", s)
	}
	return func() time.Time { return t }, nil
}

// withStore loads the configuration, opens the database, runs fn and closes
// the database: the frame of every command that works on the data.
func (c *common) withStore(ctx context.Context, getenv func(string) string, fn func(config.Config, *store.Store) error) error {
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(cfg, st)
}

// withApp is withStore with the use cases wired as the server wires them
// (internal/app.FromConfig), on the clock now: the frame of every command
// that reads or changes data, so the command line is one more door to the
// same use cases and audited the same way.
func (c *common) withApp(ctx context.Context, getenv func(string) string, now func() time.Time, stderr io.Writer,
	fn func(config.Config, *app.App) error) error {
	return c.withStore(ctx, getenv, func(cfg config.Config, st *store.Store) error {
		return fn(cfg, app.FromConfig(st, cfg, now, newLogger(cfg, stderr)))
	})
}

// openFileFlag opens the file named by a required --file flag.
func openFileFlag(name string) (*os.File, error) {
	if name == "" {
		return nil, fmt.Errorf("--file is required")
	}
	return os.Open(name)
}

// flagSet says whether name was given on the command line (not merely left
// at its default), for flags whose default is the configuration's.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
