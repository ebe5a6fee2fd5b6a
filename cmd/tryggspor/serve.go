package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"tryggspor/handlers"
	"tryggspor/internal/app"
	"tryggspor/internal/auth"
	"tryggspor/internal/config"
	"tryggspor/internal/demo"
	"tryggspor/internal/devidp"
	"tryggspor/internal/metrics"
	"tryggspor/internal/reminder"
	"tryggspor/store"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("serve", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	base := strings.TrimRight(cfg.Server.BaseURL, "/")
	ac, err := auth.New(ctx, auth.Config{Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID,
		ClientSecret: cfg.OIDC.ClientSecret, RedirectURL: base + "/auth/callback", Scopes: cfg.OIDC.Scopes,
		RoleClaim: cfg.OIDC.RoleClaim, OrgClaim: cfg.OIDC.OrgClaim, RoleMap: cfg.OIDC.RoleMap}, nil)
	if err != nil {
		st.Close()
		return err
	}
	log := newLogger(cfg, stderr)
	return serveHTTP(ctx, cfg, cfg.Server.Addr, app.FromConfig(st, cfg, time.Now, log), app.Web{Auth: ac})
}

// cmdDev runs everything on loopback: demo data in a local SQLite file, a key
// file beside it, and the built-in OpenID Provider.
func cmdDev(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("dev", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopback(*addr); err != nil {
		return err
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	if c.db == "" && c.configPath == "" && getenv("TRYGGSPOR_DB") == "" {
		cfg.Database.Path = "tryggspor-dev.db"
	}
	cfg.Server.LogFormat = "text"
	if cfg.Crypto.Key == "" && cfg.Crypto.KeyFile == "" {
		cfg.Crypto.KeyFile = cfg.Database.Path + ".key"
		if err := store.GenerateKeyFile(cfg.Crypto.KeyFile); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	if empty, err := demo.Empty(ctx, st); err != nil {
		st.Close()
		return err
	} else if empty {
		if err := demo.Seed(ctx, st, app.New(st, app.Options{}).Service, time.Now()); err != nil {
			st.Close()
			return err
		}
	}
	base := "http://" + *addr
	idp, err := devidp.New(base+"/devidp", base+"/auth/callback", devidp.DemoUsers)
	if err != nil {
		st.Close()
		return err
	}
	ac := auth.NewStatic(ctx, auth.Config{Issuer: idp.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: idp.RedirectURL, RoleClaim: "tryggspor_role", OrgClaim: "tryggspor_org"},
		idp.AuthURL(), idp.TokenURL(), idp.JWKSURL(), nil)
	abs, _ := filepath.Abs(cfg.Database.Path)
	fmt.Fprintf(stdout, "Tryggspor dev: %s (database %s)\nsign in as politi, guide, barnehuset, leder, admin or revisor; %s/login?login_hint=politi skips the picker\n", base, abs, base)
	log := newLogger(cfg, stderr)
	cfg.Server.BaseURL = base
	return serveHTTP(ctx, cfg, *addr, app.FromConfig(st, cfg, time.Now, log),
		app.Web{Auth: ac, Extra: idp.Handler(), ExtraPrefix: idp.Prefix()})
}

func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("dev refuses to listen on %q: the built-in OpenID Provider signs anyone in, so dev listens on loopback only (127.0.0.1)", addr)
	}
	return nil
}

// serveHTTP serves until ctx ends, then shuts down in reverse order: HTTP
// (finishing requests), then background jobs, then the database.
func serveHTTP(ctx context.Context, cfg config.Config, addr string, a *app.App, web app.Web) error {
	st, eng, log := a.Store, a.Engine, a.Log
	defer st.Close()
	if cfg.Server.MetricsAddr != "" {
		web.Metrics = metrics.New()
		stopMetrics, err := serveMetrics(cfg.Server.MetricsAddr, web.Metrics, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	d := a.Handlers(web)
	e, _, err := handlers.New(d)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: handlers.Wrap(e, d), ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	jobs, err := startJobs(st, eng, cfg, log)
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		<-jobs.Stop().Done()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	select {
	case <-jobs.Stop().Done():
	case <-sctx.Done():
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// startJobs runs the reminder sweep once, then schedules it with the digest,
// the session purge, the audit checkpoint and anonymisation.
func startJobs(st *store.Store, eng *reminder.Engine, cfg config.Config, log *slog.Logger) (*cron.Cron, error) {
	// After a key rotation, the repeat-victim index is made again with the
	// new key, so earlier cases are still recognised.
	if n, err := st.ReindexPersons(context.Background()); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("repeat-victim index made with the current key", "cases", n)
	}
	checkpoint := func(ctx context.Context) error { return auditCheckpoint(ctx, st, log) }
	if err := checkpoint(context.Background()); err != nil {
		return nil, err
	}
	jobs := eng.Jobs(cfg.Reminders.Sweep, cfg.Reminders.Digest)
	// The first sweep runs now, before the server listens, so tasks that are
	// due (on a fresh database, or after downtime) are there on the first
	// page rather than after the first interval. A failure is logged; the
	// schedule tries again.
	for _, j := range jobs {
		if j.Name == "sweep" {
			if err := j.Run(context.Background()); err != nil {
				log.Error("job failed", "job", "sweep at start", "err", err)
			}
		}
	}
	jobs = append(jobs,
		reminder.Job{Name: "purge sessions", Spec: "@every 10m", Run: st.PurgeSessions},
		reminder.Job{Name: "audit checkpoint", Spec: "@every 1m", Run: checkpoint},
		reminder.Job{Name: "anonymise", Spec: "CRON_TZ=Europe/Oslo 30 2 * * *", Run: func(ctx context.Context) error {
			refs, err := eng.Service.Anonymise(ctx, cfg.Privacy.AnonymiseAfterMonths, false)
			if len(refs) > 0 {
				log.Info("cases anonymised", "count", len(refs))
			}
			return err
		}})
	return reminder.Start(jobs, log)
}

// auditCheckpoint signs the audit log's head into the checkpoint file when
// entries were added (at start, every minute, and at shutdown through the
// store's Close) and puts it in the log too, a second place outside the
// database.
func auditCheckpoint(ctx context.Context, st *store.Store, log *slog.Logger) error {
	cp, wrote, err := st.WriteAuditCheckpoint(ctx)
	if err != nil {
		return err
	}
	if wrote {
		log.Info("audit checkpoint", "entries", cp.Size, "head", cp.Hash, "at", cp.At)
	}
	return nil
}

// serveMetrics serves Prometheus metrics on their own listener, which
// operators keep off the public network.
func serveMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listener: %w", err)
	}
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener", "err", err)
		}
	}()
	log.Info("metrics", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}
