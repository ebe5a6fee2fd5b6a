package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Replication configures continuous replication of the database to a second
// place ([replication], SPEC §13), so that losing the disk loses at most the
// last seconds of writes. An empty URL turns it off.
type Replication struct {
	// URL is file:///path or s3://bucket/path.
	URL string `toml:"url"`
	// Endpoint, Region and AccessKeyID address S3-compatible storage; the
	// secret key is read from SecretAccessKeyFile, never from this file.
	Endpoint            string `toml:"endpoint"`
	Region              string `toml:"region"`
	AccessKeyID         string `toml:"access_key_id"`
	SecretAccessKeyFile string `toml:"secret_access_key_file"`
	// SecretAccessKey is read from SecretAccessKeyFile at load.
	SecretAccessKey string `toml:"-"`
	// SyncInterval is how often new writes are shipped (default 1s): the
	// writes at risk when the disk is lost.
	SyncInterval Duration `toml:"sync_interval"`
	// Retention is how far back a point-in-time restore can go (default 168h).
	Retention Duration `toml:"retention"`
}

// Duration is a time.Duration written as "1s" or "168h" in the file.
type Duration struct{ time.Duration }

// UnmarshalText reads "1s", "90m", "168h".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 1s or 168h", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as time.Duration prints it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Enabled says whether the database is replicated.
func (r Replication) Enabled() bool { return r.URL != "" }

// load reads the secret key file and checks the section, so a typo in the
// URL stops the start instead of leaving the data unreplicated.
func (r *Replication) load() error {
	// The §13 defaults: ship every second, keep a week.
	if r.SyncInterval.Duration == 0 {
		r.SyncInterval.Duration = time.Second
	}
	if r.Retention.Duration == 0 {
		r.Retention.Duration = 168 * time.Hour
	}
	if r.SecretAccessKeyFile != "" {
		s, err := readSecret(r.SecretAccessKeyFile)
		if err != nil {
			return fmt.Errorf("replication.secret_access_key_file: %w", err)
		}
		r.SecretAccessKey = s
	}
	if !r.Enabled() {
		return nil
	}
	var errs []error
	if err := CheckReplicaURL(r.URL); err != nil {
		errs = append(errs, fmt.Errorf("replication.url: %w", err))
	}
	if r.SyncInterval.Duration < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("replication.sync_interval %s: at least 100ms", r.SyncInterval))
	}
	if r.Retention.Duration < time.Hour {
		errs = append(errs, fmt.Errorf("replication.retention %s: at least 1h", r.Retention))
	}
	return errors.Join(errs...)
}

// CheckReplicaURL accepts file:///absolute/path and s3://bucket[/path].
func CheckReplicaURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	switch {
	case u.Scheme == "file" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
		return nil
	case u.Scheme == "s3" && u.Host != "":
		return nil
	}
	return fmt.Errorf("%q: want file:///absolute/path or s3://bucket/path", raw)
}
