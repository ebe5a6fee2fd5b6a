// Package config loads Tryggspor's configuration: TOML file, then defaults,
// then TRYGGSPOR_* environment overrides (secrets through *_FILE variables),
// then Validate. The result is passed explicitly; there is no global config.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"tryggspor/internal/auth"
	"tryggspor/internal/reminder"
	"tryggspor/internal/tryggspor"
)

// Config is the whole configuration. config.example.toml documents every key.
type Config struct {
	Server    Server    `toml:"server"`
	Database  Database  `toml:"database"`
	Crypto    Crypto    `toml:"crypto"`
	OIDC      OIDC      `toml:"oidc"`
	SMTP      SMTP      `toml:"smtp"`
	Reminders Reminders `toml:"reminders"`
	Handover  Handover  `toml:"handover"`
	Privacy   Privacy   `toml:"privacy"`
	Audit     Audit     `toml:"audit"`
	// Accessibility is the accessibility statement's contact.
	Accessibility Accessibility `toml:"accessibility"`
	Residence     Residence     `toml:"residence"`
	// Replication ships the database continuously to a replica (issue 20).
	Replication Replication `toml:"replication"`
}

// Residence configures the values a case's residence may take besides the
// municipalities of Norway (the embedded list, internal/municipality).
type Residence struct {
	// Extra are offered and accepted beside the municipalities, such as
	// "Utlandet" (abroad) and "Ukjent" (unknown).
	Extra []string `toml:"extra"`
}

// Accessibility configures the accessibility statement (/tilgjengelighet).
type Accessibility struct {
	// Contact is the e-mail address users write to about accessibility.
	Contact string `toml:"contact"`
}

// Audit anchors the audit log outside the database.
type Audit struct {
	// KeyFile holds the audit chain's key (32 bytes, base64 or hex). Empty:
	// the key is derived from the current field key (crypto.key_file).
	KeyFile string `toml:"key_file"`
	// PreviousKeyFiles still verify entries made before a rotation.
	PreviousKeyFiles []string `toml:"previous_key_files"`
	// CheckpointFile receives the signed checkpoints; empty: the database
	// path with ".audit-checkpoints" added. Keep it (or a copy) where the
	// database's own administrators cannot rewrite it.
	CheckpointFile string `toml:"checkpoint_file"`
	// WitnessDir receives a copy of every signed checkpoint, in
	// <witness_dir>/<witness_name>.checkpoints: storage the database's
	// administrators cannot rewrite (another machine, object lock). Empty:
	// no witness.
	WitnessDir string `toml:"witness_dir"`
	// WitnessName names this installation's file in the witness; empty: the
	// host name.
	WitnessName string `toml:"witness_name"`
	// ScrubEvery is how long the background scrubber takes for one full
	// pass over the chain (a Go duration); "0" turns it off. Default 24h.
	ScrubEvery string `toml:"scrub_every"`
}

// WitnessFile is this installation's file in the witness directory, ""
// without one.
func (a Audit) WitnessFile() string {
	if a.WitnessDir == "" {
		return ""
	}
	name := a.WitnessName
	if name == "" {
		name, _ = os.Hostname()
	}
	return filepath.Join(a.WitnessDir, name+".checkpoints")
}

// ScrubInterval is audit.scrub_every parsed (Load has checked it); 0: off.
func (a Audit) ScrubInterval() time.Duration {
	d, _ := time.ParseDuration(a.ScrubEvery)
	return d
}

// check refuses a witness name that is not a plain file name and a scrub
// interval that is not a duration.
func (a Audit) check() error {
	if n := a.WitnessName; n != "" && (n != filepath.Base(n) || strings.HasPrefix(n, ".")) {
		return fmt.Errorf("audit.witness_name %q: a plain file name, without / or a leading dot", n)
	}
	if d, err := time.ParseDuration(a.ScrubEvery); err != nil || d < 0 {
		return fmt.Errorf("audit.scrub_every %q: a duration such as 24h, or 0 to turn the scrubber off", a.ScrubEvery)
	}
	return nil
}

// Server is the HTTP listener.
type Server struct {
	Addr        string `toml:"addr"`
	BaseURL     string `toml:"base_url"`
	MetricsAddr string `toml:"metrics_addr"`
	LogFormat   string `toml:"log_format"` // json | text
}

// Database is the SQLite file.
type Database struct {
	Path    string `toml:"path"`
	Readers int    `toml:"readers"`
}

// Crypto locates the field-encryption keys. Keys are never in this file.
type Crypto struct {
	KeyFile          string   `toml:"key_file"`
	PreviousKeyFiles []string `toml:"previous_key_files"`
	// Key is only ever set from TRYGGSPOR_KEY (base64); never from the file.
	Key string `toml:"-"`
}

// OIDC is how users sign in: one provider in the [oidc] table itself (as
// before), or several in [[oidc.providers]] tables, each trusted only for
// what it may assert. Timeout bounds every call to a provider.
type OIDC struct {
	Provider
	// Timeout is a Go duration ("5s") for each call to a provider:
	// discovery, keys, token, userinfo. Default 5s.
	Timeout   string     `toml:"timeout"`
	Providers []Provider `toml:"providers"`
}

// Provider is one OpenID Provider and how far its claims are trusted
// (docs/identity-providers.md).
type Provider struct {
	Name             string            `toml:"name"`  // slug, for /login?idp=NAME
	Label            string            `toml:"label"` // button text
	Issuer           string            `toml:"issuer"`
	ClientID         string            `toml:"client_id"`
	ClientSecretFile string            `toml:"client_secret_file"`
	ClientSecret     string            `toml:"-"`
	Scopes           []string          `toml:"scopes"`
	RoleClaim        string            `toml:"role_claim"`
	OrgClaim         string            `toml:"org_claim"`
	RoleMap          map[string]string `toml:"role_map"`
	// OrgValue says what the org claim holds: "code" (an organisation code,
	// the default) or "orgno" (organisation numbers; an array of objects
	// such as Ansattporten's authorization_details is searched for them).
	OrgValue string `toml:"org_value"`
	// OrgMap maps org claim values to organisation codes (e.g. an Entra ID
	// extension attribute holding the department's own name).
	OrgMap map[string]string `toml:"org_map"`
	// FixedRole and FixedOrg give every user of this provider one role or
	// one organisation, for providers that carry none (ID-porten carries
	// no roles). Only for a client that admits only the intended users.
	FixedRole string `toml:"fixed_role"`
	FixedOrg  string `toml:"fixed_org"`
	// What this provider may assert; required in [[oidc.providers]].
	AllowedRoles    []string `toml:"allowed_roles"`
	AllowedOrgKinds []string `toml:"allowed_org_kinds"`
	AllowedOrgs     []string `toml:"allowed_orgs"`
	// TokenAuthMethod is how the client authenticates at the token
	// endpoint: "client_secret_basic" or "client_secret_post"; empty:
	// the one the provider's discovery document names (basic first).
	TokenAuthMethod string `toml:"token_auth_method"`
}

// TimeoutDuration is oidc.timeout parsed (Validate has checked it).
func (o OIDC) TimeoutDuration() time.Duration {
	d, err := time.ParseDuration(o.Timeout)
	if err != nil || d <= 0 {
		return auth.DefaultTimeout
	}
	return d
}

// List returns the configured providers: the [[oidc.providers]] tables, or
// the single [oidc] table as a provider named "oidc". Scopes and claim
// names default as for the single table.
func (o OIDC) List() []Provider {
	var out []Provider
	if len(o.Providers) > 0 {
		out = append(out, o.Providers...)
	} else if o.Issuer != "" {
		p := o.Provider
		if p.Name == "" {
			p.Name = "oidc"
		}
		out = append(out, p)
	}
	for i := range out {
		if len(out[i].Scopes) == 0 {
			out[i].Scopes = auth.DefaultScopes()
		}
		if out[i].Label == "" {
			out[i].Label = "Logg inn"
		}
	}
	return out
}

// SMTP is the mail relay for the daily digest.
type SMTP struct {
	Host         string `toml:"host"`
	Port         int    `toml:"port"`
	From         string `toml:"from"`
	Username     string `toml:"username"`
	PasswordFile string `toml:"password_file"`
	Password     string `toml:"-"`
}

// Reminders are the follow-up deadlines of SPEC §6, in days.
type Reminders struct {
	Sweep                string `toml:"sweep"`
	Digest               string `toml:"digest"`
	FirstContactDays     int    `toml:"first_contact_days"`
	NoResponseDays       int    `toml:"no_response_days"`
	NoResponseAttempts   int    `toml:"no_response_attempts"`
	AutoNoResponse       bool   `toml:"auto_no_response"`
	AutoNoResponseDays   int    `toml:"auto_no_response_days"`
	HandoverReminderDays int    `toml:"handover_reminder_days"`
	HandoverEscalateDays int    `toml:"handover_escalate_days"`
	GuideFollowUpDays    int    `toml:"guide_follow_up_days"`
	GuideEscalateDays    int    `toml:"guide_escalate_days"`
	ConsentExpiringDays  int    `toml:"consent_expiring_days"`
	StaleDays            int    `toml:"stale_days"`
	// PlanEscalateDays: a plan measure's overdue evaluation goes to the
	// officer this many days after it went to the guide (issue 21).
	PlanEscalateDays int `toml:"plan_escalate_days"`
	// AcceptByDays is how far ahead the handover form proposes the accept-by
	// date (the officer may change it).
	AcceptByDays int `toml:"accept_by_days"`
}

// Handover bounds consents and handovers and a guide's access (issue 10).
type Handover struct {
	// ConsentMaxMonths: a consent's expires_on at most this many months
	// after the consent was given.
	ConsentMaxMonths int `toml:"consent_max_months"`
	// AcceptMaxDays: a proposal's accept_by at most this many days after it.
	AcceptMaxDays int `toml:"accept_max_days"`
	// GuideGraceDays: how long a guide organisation keeps access after the
	// case closes (0: it ends when the case closes).
	GuideGraceDays int `toml:"guide_grace_days"`
}

// Privacy holds retention and disclosure settings.
type Privacy struct {
	AnonymiseAfterMonths int `toml:"anonymise_after_months"`
	Suppress             int `toml:"suppress"`
	// RepeatVictimLookupsPerDay bounds each officer's repeat-victim lookups
	// per day (SPEC §13); beyond it the indicator is withheld.
	RepeatVictimLookupsPerDay int `toml:"repeat_victim_lookups_per_day"`
}

// Default returns the configuration used when a key is not set. The
// reminder deadlines and handover bounds are the defaults their packages
// define (SPEC §6), read here rather than typed again.
func Default() Config {
	r, h := reminder.DefaultSettings, tryggspor.DefaultHandoverPolicy
	return Config{
		Server:   Server{Addr: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080", LogFormat: "json"},
		Database: Database{Path: "tryggspor.db", Readers: 4},
		OIDC: OIDC{Provider: Provider{Scopes: auth.DefaultScopes(), RoleClaim: "tryggspor_role",
			OrgClaim: "tryggspor_org"}},
		SMTP: SMTP{Port: 587},
		Reminders: Reminders{Sweep: "*/15 * * * *", Digest: "CRON_TZ=Europe/Oslo 0 7 * * *", FirstContactDays: r.FirstContactDays,
			NoResponseDays: r.NoResponseDays, NoResponseAttempts: r.NoResponseAttempts, AutoNoResponseDays: r.AutoNoResponseDays,
			HandoverReminderDays: r.HandoverReminderDays, HandoverEscalateDays: r.HandoverEscalateDays,
			GuideFollowUpDays: r.GuideFollowUpDays, GuideEscalateDays: r.GuideEscalateDays,
			ConsentExpiringDays: r.ConsentExpiringDays, StaleDays: r.StaleDays, PlanEscalateDays: r.PlanEscalateDays, AcceptByDays: 14},
		Handover:  Handover{ConsentMaxMonths: h.ConsentMonths, AcceptMaxDays: h.AcceptDays, GuideGraceDays: h.GuideGraceDays},
		Privacy:   Privacy{AnonymiseAfterMonths: 12, Suppress: 5, RepeatVictimLookupsPerDay: tryggspor.DefaultLookupsPerDay},
		Residence: Residence{Extra: []string{"Utlandet", "Ukjent"}},
		Audit:     Audit{ScrubEvery: "24h"},
	}
}

// Load reads path (if not empty) over the defaults, then applies the
// environment. A missing explicit file is an error; unknown keys are too, so a
// typo does not silently fall back to a default.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		if err != nil {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return c, fmt.Errorf("config %s: unknown key %s", path, und[0])
		}
	}
	if err := c.applyEnv(getenv); err != nil {
		return c, err
	}
	if err := c.Handover.check(); err != nil {
		return c, err
	}
	if c.Privacy.RepeatVictimLookupsPerDay < 1 {
		return c, fmt.Errorf("privacy.repeat_victim_lookups_per_day must be at least 1, not %d", c.Privacy.RepeatVictimLookupsPerDay)
	}
	if err := c.Replication.load(); err != nil {
		return c, err
	}
	if err := c.Audit.check(); err != nil {
		return c, err
	}
	if c.Reminders.AcceptByDays > c.Handover.AcceptMaxDays {
		return c, fmt.Errorf("reminders.accept_by_days (%d) proposes an accept-by date beyond handover.accept_max_days (%d)",
			c.Reminders.AcceptByDays, c.Handover.AcceptMaxDays)
	}
	return c, nil
}

// check refuses bounds that would make every consent or proposal invalid, or
// a negative grace period; access rules must not rest on a typo.
func (h Handover) check() error {
	var errs []error
	if h.ConsentMaxMonths < 1 {
		errs = append(errs, fmt.Errorf("handover.consent_max_months must be at least 1, not %d", h.ConsentMaxMonths))
	}
	if h.AcceptMaxDays < 1 {
		errs = append(errs, fmt.Errorf("handover.accept_max_days must be at least 1, not %d", h.AcceptMaxDays))
	}
	if h.GuideGraceDays < 0 {
		errs = append(errs, fmt.Errorf("handover.guide_grace_days must be 0 or more, not %d", h.GuideGraceDays))
	}
	return errors.Join(errs...)
}

func (c *Config) applyEnv(getenv func(string) string) error {
	str := map[string]*string{
		"TRYGGSPOR_ADDR": &c.Server.Addr, "TRYGGSPOR_BASE_URL": &c.Server.BaseURL,
		"TRYGGSPOR_METRICS_ADDR": &c.Server.MetricsAddr, "TRYGGSPOR_DB": &c.Database.Path,
		"TRYGGSPOR_KEY_FILE": &c.Crypto.KeyFile, "TRYGGSPOR_KEY": &c.Crypto.Key,
		"TRYGGSPOR_OIDC_ISSUER": &c.OIDC.Issuer, "TRYGGSPOR_OIDC_CLIENT_ID": &c.OIDC.ClientID,
		"TRYGGSPOR_OIDC_CLIENT_SECRET_FILE": &c.OIDC.ClientSecretFile,
		"TRYGGSPOR_SMTP_HOST":               &c.SMTP.Host, "TRYGGSPOR_SMTP_FROM": &c.SMTP.From,
		"TRYGGSPOR_SMTP_USERNAME": &c.SMTP.Username, "TRYGGSPOR_SMTP_PASSWORD_FILE": &c.SMTP.PasswordFile,
		"TRYGGSPOR_AUDIT_KEY_FILE": &c.Audit.KeyFile, "TRYGGSPOR_AUDIT_CHECKPOINT_FILE": &c.Audit.CheckpointFile,
		"TRYGGSPOR_AUDIT_WITNESS_DIR": &c.Audit.WitnessDir, "TRYGGSPOR_AUDIT_WITNESS_NAME": &c.Audit.WitnessName,
	}
	for k, p := range str {
		if v := getenv(k); v != "" {
			*p = v
		}
	}
	if v := getenv("TRYGGSPOR_SMTP_PORT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("TRYGGSPOR_SMTP_PORT: %q is not a port number", v)
		}
		c.SMTP.Port = n
	}
	var err error
	if c.OIDC.ClientSecretFile != "" {
		c.OIDC.ClientSecret, err = readSecret(c.OIDC.ClientSecretFile)
		if err != nil {
			return fmt.Errorf("oidc.client_secret_file: %w", err)
		}
	}
	for i := range c.OIDC.Providers {
		p := &c.OIDC.Providers[i]
		if p.ClientSecretFile != "" {
			if p.ClientSecret, err = readSecret(p.ClientSecretFile); err != nil {
				return fmt.Errorf("oidc.providers %q: client_secret_file: %w", p.Name, err)
			}
		}
	}
	if c.SMTP.PasswordFile != "" {
		c.SMTP.Password, err = readSecret(c.SMTP.PasswordFile)
	}
	return err
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("secret file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// Validate checks the configuration for serving (not for dev, which supplies
// its own provider and key).
func (c Config) Validate() error {
	var errs []error
	for _, e := range c.Residence.Extra {
		if t := strings.TrimSpace(e); t == "" || len(t) > 200 || strings.ContainsAny(t[:1], "=+-@") {
			errs = append(errs, fmt.Errorf("residence.extra %q: a name of 1–200 characters, not starting with = + - @", e))
		}
	}
	if _, _, err := net.SplitHostPort(c.Server.Addr); err != nil {
		errs = append(errs, fmt.Errorf("server.addr %q: %w", c.Server.Addr, err))
	}
	if u, err := url.Parse(c.Server.BaseURL); err != nil || u.Host == "" {
		errs = append(errs, fmt.Errorf("server.base_url %q is not an absolute URL", c.Server.BaseURL))
	}
	if c.Crypto.KeyFile == "" && c.Crypto.Key == "" {
		errs = append(errs, errors.New("crypto.key_file (or TRYGGSPOR_KEY_FILE) is required"))
	}
	errs = append(errs, baseURLErr(c.Server.BaseURL))
	errs = append(errs, c.OIDC.validate()...)
	return errors.Join(errs...)
}

// Redacted returns a copy safe to print: secrets replaced.
func (c Config) Redacted() Config {
	if c.Crypto.Key != "" {
		c.Crypto.Key = "[redacted]"
	}
	if c.OIDC.ClientSecret != "" {
		c.OIDC.ClientSecret = "[redacted]"
	}
	c.OIDC.Providers = append([]Provider(nil), c.OIDC.Providers...)
	for i := range c.OIDC.Providers {
		if c.OIDC.Providers[i].ClientSecret != "" {
			c.OIDC.Providers[i].ClientSecret = "[redacted]"
		}
	}
	if c.SMTP.Password != "" {
		c.SMTP.Password = "[redacted]"
	}
	if c.Replication.SecretAccessKey != "" {
		c.Replication.SecretAccessKey = "[redacted]"
	}
	return c
}
