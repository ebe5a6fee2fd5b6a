package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
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
	// The logger exists before anything can fail, so every start-up error
	// after this is in the configured format too.
	log := newLogger(cfg, stderr)
	if err := cfg.Validate(); err != nil {
		log.Error("configuration refused", "err", err.Error())
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	var clients []*auth.Client
	for _, ac := range app.AuthConfigs(cfg) {
		clients = append(clients, auth.Start(ctx, ac, nil, log))
		logProvider(log, ac)
	}
	return serveHTTP(ctx, cfg, cfg.Server.Addr, app.FromConfig(st, cfg, time.Now, log), app.Web{Auth: auth.NewSet(clients...)})
}

// logProvider says at start which provider is used how: issuer, client,
// redirect URL, timeout and what it may assert (never the secret).
func logProvider(log *slog.Logger, ac auth.Config) {
	attrs := []any{"provider", ac.Name, "issuer", ac.Issuer, "client_id", ac.ClientID, "redirect_url", ac.RedirectURL,
		"post_logout_redirect_url", ac.PostLogoutRedirectURL, "timeout", ac.Timeout.String()}
	if ac.Trust == nil {
		log.Warn("sign-in provider may assert any role for any organisation (no allowed_roles / allowed_org_kinds)", attrs...)
		return
	}
	attrs = append(attrs, "allowed_roles", fmt.Sprint(ac.Trust.Roles), "allowed_org_kinds", fmt.Sprint(ac.Trust.OrgKinds),
		"allowed_orgs", fmt.Sprint(ac.Trust.Orgs))
	log.Info("sign-in provider", attrs...)
}

// cmdDev runs everything on loopback: demo data in a local SQLite file, a key
// file beside it, and two built-in OpenID Providers, "police" and
// "municipality", each trusted only for its own roles and organisations.
func cmdDev(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("dev", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopback(*addr); err != nil {
		return err
	}
	if path := getenv("TRYGGSPOR_DEV_CPUPROFILE"); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	if c.db == "" && c.configPath == "" && getenv("TRYGGSPOR_DB") == "" {
		cfg.Database.Path = "tryggspor-dev.db"
	}
	cfg.Server.LogFormat = "text"
	if cfg.Accessibility.Contact == "" {
		cfg.Accessibility.Contact = "tilgjengelighet@example.org" // the demo's; a deployment sets its own
	}
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
	log := newLogger(cfg, stderr)
	set, idps, err := devProviders(base, log)
	if err != nil {
		st.Close()
		return err
	}
	abs, _ := filepath.Abs(cfg.Database.Path)
	fmt.Fprintf(stdout, "Tryggspor dev: %s (database %s)\nsign in as politi, leder, admin or revisor (police) or guide, barnehuset (municipality); %s/login?login_hint=politi skips the pickers\n", base, abs, base)
	cfg.Server.BaseURL = base
	return serveHTTP(ctx, cfg, *addr, app.FromConfig(st, cfg, time.Now, log),
		app.Web{Auth: set, Extra: devidp.Mux(idps...), ExtraPrefix: "/devidp"})
}

// devTrust is what each dev provider may assert (SPEC §12).
var devTrust = []struct {
	name, label  string
	roles, kinds []string
}{
	{"police", "Politiet", []string{"officer", "leader", "admin", "auditor"}, []string{"police_unit"}},
	{"municipality", "Kommunen og Barnehuset", []string{"guide"}, []string{"school", "barnehuset", "municipal_service"}},
}

// devProviders starts the two built-in providers under /devidp/NAME and the
// sign-in clients for them; a login_hint without idp goes to the user's
// own provider.
func devProviders(base string, log *slog.Logger) (*auth.Set, []*devidp.Provider, error) {
	var clients []*auth.Client
	var idps []*devidp.Provider
	for _, d := range devTrust {
		idp, err := devidp.New(base+"/devidp/"+d.name, base+"/auth/callback", devidp.ProviderUsers(d.name))
		if err != nil {
			return nil, nil, err
		}
		idp.PostLogoutRedirectURL = base + "/signedout"
		ac := auth.Config{Name: d.name, Label: d.label, Issuer: idp.Issuer, ClientID: idp.ClientID,
			ClientSecret: idp.ClientSecret, RedirectURL: idp.RedirectURL, PostLogoutRedirectURL: idp.PostLogoutRedirectURL,
			RoleClaim: "tryggspor_role", OrgClaim: "tryggspor_org", Trust: app.TrustOf(d.roles, d.kinds, nil)}
		clients = append(clients, auth.NewStatic(ac, auth.Endpoints{Auth: idp.AuthURL(), Token: idp.TokenURL(),
			JWKS: idp.JWKSURL(), EndSession: idp.EndSessionURL()}, nil))
		idps = append(idps, idp)
		logProvider(log, auth.Config{Name: ac.Name, Issuer: ac.Issuer, ClientID: ac.ClientID, RedirectURL: ac.RedirectURL,
			PostLogoutRedirectURL: ac.PostLogoutRedirectURL, Trust: ac.Trust, Timeout: auth.DefaultTimeout})
	}
	set := auth.NewSet(clients...)
	set.Route = devidp.ProviderOf
	return set, idps, nil
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
	rep, err := startReplication(ctx, cfg, st, log)
	if err != nil {
		st.Close()
		return err
	}
	defer closeReplicated(st, rep, log)
	if rep != nil {
		web.Replication = rep
	}
	if cfg.Server.MetricsAddr != "" {
		web.Metrics = metrics.New()
		if rep != nil {
			web.Metrics.ReplicaLag(func() float64 { return rep.Status().Lag.Seconds() })
		}
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
	// The scrubber stops before the database closes (defers run last first).
	scrubCtx, stopScrub := context.WithCancel(ctx)
	scrubbed := startScrub(scrubCtx, st, cfg.Audit.ScrubInterval(), web.Metrics, log)
	defer func() { stopScrub(); <-scrubbed }()
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
		// Staged imports older than an hour go too, upload or not.
		reminder.Job{Name: "purge sessions and staged imports", Spec: "@every 10m", Run: st.PurgeSessions},
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

// startCPUProfile writes a CPU profile of `tryggspor dev` to path until it
// stops (TRYGGSPOR_DEV_CPUPROFILE; docs/benchmarks.md): the profiles of the
// speed work are taken of the real server under the real load. dev only:
// serve has no such switch.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
