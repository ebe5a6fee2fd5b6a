// Package app wires Tryggspor's parts together, once: the use cases over one
// store, and the web handler's dependencies. The server commands (serve,
// dev), the other commands and the test kit all build through New, so a
// test runs exactly the wiring production runs.
package app

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tryggspor/handlers"
	"tryggspor/internal/auth"
	"tryggspor/internal/config"
	"tryggspor/internal/importer"
	"tryggspor/internal/metrics"
	"tryggspor/internal/municipality"
	"tryggspor/internal/privacy"
	"tryggspor/internal/reminder"
	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// App is the set of use cases over one database.
type App struct {
	Store   *store.Store
	Service *tryggspor.Service // cases, organisations, users, the audit log, sign-in, jobs
	Stats   *stats.Service
	Import  *importer.Service
	Engine  *reminder.Engine // reminders: sweep, task list, digest
	Log     *slog.Logger
	// AcceptByDays is the accept-by date the handover form proposes, in
	// days from today.
	AcceptByDays int
	// Config is the configuration the use cases were built from (the
	// defaults for New), for the documents made from it.
	Config config.Config
	// Places are the residences a case may have, for the register form.
	Places *municipality.List
}

// Options are what the use cases need beyond the store.
type Options struct {
	Now       func() time.Time // nil: time.Now
	Reminders reminder.Settings
	// Handover bounds consents and accept-by dates and sets the guides' grace
	// period after closing; zero values are the defaults.
	Handover tryggspor.HandoverPolicy
	Mailer   reminder.Mailer // nil: digests cannot be sent
	BaseURL  string
	Log      *slog.Logger // nil: discard
	// AcceptByDays is the accept-by date the handover form proposes, in
	// days from today (0: 14).
	AcceptByDays int
	// Places are the residences a case may have (nil: the municipalities
	// with the default extras).
	Places *municipality.List
	// Suppress is the statistics' publishing level (`[privacy] suppress`).
	Suppress int
	// LookupsPerDay bounds each officer's repeat-victim lookups
	// (`[privacy] repeat_victim_lookups_per_day`; 0: the default).
	LookupsPerDay int
}

// New builds every use case over st.
func New(st *store.Store, o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Places == nil {
		o.Places = municipality.Default
	}
	svc := &tryggspor.Service{Store: st, Now: o.Now, Handover: o.Handover, Places: o.Places, LookupsPerDay: o.LookupsPerDay}
	return &App{
		Store:   st,
		Service: svc,
		Stats:   &stats.Service{Store: st, Audit: st, Now: o.Now, Suppress: o.Suppress},
		Import:  &importer.Service{Store: st, Now: o.Now, Places: o.Places},
		Places:  o.Places,
		Engine: &reminder.Engine{Store: st, Service: svc, Settings: o.Reminders, Now: o.Now, Mailer: o.Mailer,
			BaseURL: o.BaseURL, Log: o.Log},
		Log: o.Log, AcceptByDays: o.AcceptByDays, Config: config.Default(),
	}
}

// FromConfig is New with the configuration's reminder deadlines, handover
// bounds, SMTP relay and base URL.
func FromConfig(st *store.Store, cfg config.Config, now func() time.Time, log *slog.Logger) *App {
	a := New(st, OptionsFrom(cfg, now, log))
	a.Config = cfg
	return a
}

// OptionsFrom are the use cases' options from a configuration: production
// passes the loaded file, the test kit config.Default(), so both run on the
// same defaults (defined once, in the packages that own them).
func OptionsFrom(cfg config.Config, now func() time.Time, log *slog.Logger) Options {
	r := cfg.Reminders
	o := Options{Now: now, BaseURL: cfg.Server.BaseURL, Log: log, AcceptByDays: r.AcceptByDays, Suppress: cfg.Privacy.Suppress,
		LookupsPerDay: cfg.Privacy.RepeatVictimLookupsPerDay,
		Places:        municipality.New(cfg.Residence.Extra),
		Reminders: reminder.Settings{FirstContactDays: r.FirstContactDays, NoResponseDays: r.NoResponseDays,
			NoResponseAttempts: r.NoResponseAttempts, AutoNoResponse: r.AutoNoResponse, AutoNoResponseDays: r.AutoNoResponseDays,
			HandoverReminderDays: r.HandoverReminderDays, HandoverEscalateDays: r.HandoverEscalateDays,
			GuideFollowUpDays: r.GuideFollowUpDays, GuideEscalateDays: r.GuideEscalateDays,
			ConsentExpiringDays: r.ConsentExpiringDays, StaleDays: r.StaleDays, PlanEscalateDays: r.PlanEscalateDays},
		Handover: tryggspor.HandoverPolicy{ConsentMonths: cfg.Handover.ConsentMaxMonths,
			AcceptDays: cfg.Handover.AcceptMaxDays, GuideGraceDays: cfg.Handover.GuideGraceDays}}
	if cfg.SMTP.Host != "" {
		o.Mailer = reminder.SMTP{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, From: cfg.SMTP.From,
			Username: cfg.SMTP.Username, Password: cfg.SMTP.Password}
	}
	return o
}

// Web is how the web layer is reached: the sign-in providers, and optionally
// a handler served in front of it (the dev OpenID Providers) and metrics.
type Web struct {
	Auth        *auth.Set
	Metrics     *metrics.Metrics // nil: no metrics
	Extra       http.Handler
	ExtraPrefix string
	// Replication reports the replica's lag to the admin page (nil: off).
	Replication handlers.Replication
}

// Handlers is the web layer's dependencies: use cases, sessions, sign-in,
// logging and metrics — nothing of the store beyond its sessions.
func (a *App) Handlers(w Web) handlers.Deps {
	d := handlers.Deps{Service: a.Service, Stats: a.Stats, Import: a.Import, Tasks: a.Engine, Sessions: a.Store,
		Auth: w.Auth, Log: a.Log, Now: a.Service.Now, Extra: w.Extra, ExtraPrefix: w.ExtraPrefix,
		AcceptByDays: a.AcceptByDays, Privacy: privacy.Build(a.Config), A11yContact: a.Config.Accessibility.Contact,
		Places: a.Places.Names(), Replication: w.Replication}
	d.PrivacyEnglish = privacy.BuildIn(a.Config, "en", handlers.English)
	if w.Metrics != nil { // a nil *Metrics in the interface would not be nil
		d.Metrics = w.Metrics
	}
	return d
}

// AuthConfigs are the configured sign-in providers as the OIDC client takes
// them: callback and post-logout URLs under base, the timeout, and what each
// may assert. The single [oidc] table without allowed_* keys is trusted for
// anything, as before.
func AuthConfigs(cfg config.Config) []auth.Config {
	base := strings.TrimRight(cfg.Server.BaseURL, "/")
	var out []auth.Config
	for _, p := range cfg.OIDC.List() {
		ac := auth.Config{Name: p.Name, Label: p.Label, Issuer: p.Issuer, ClientID: p.ClientID,
			ClientSecret: p.ClientSecret, RedirectURL: base + "/auth/callback",
			PostLogoutRedirectURL: base + "/signedout", Scopes: p.Scopes, RoleClaim: p.RoleClaim,
			OrgClaim: p.OrgClaim, RoleMap: p.RoleMap, OrgValue: p.OrgValue, OrgMap: p.OrgMap,
			FixedRole: p.FixedRole, FixedOrg: p.FixedOrg, Timeout: cfg.OIDC.TimeoutDuration(),
			TokenAuthMethod: p.TokenAuthMethod}
		if len(p.AllowedRoles) > 0 || len(p.AllowedOrgKinds) > 0 || len(p.AllowedOrgs) > 0 {
			ac.Trust = TrustOf(p.AllowedRoles, p.AllowedOrgKinds, p.AllowedOrgs)
		}
		out = append(out, ac)
	}
	return out
}

// TrustOf is what a provider may assert, from the configuration's words.
func TrustOf(roles, kinds, orgs []string) *tryggspor.Trust {
	t := &tryggspor.Trust{Orgs: orgs}
	for _, r := range roles {
		t.Roles = append(t.Roles, tryggspor.Role(r))
	}
	for _, k := range kinds {
		t.OrgKinds = append(t.OrgKinds, tryggspor.OrgKind(k))
	}
	return t
}
