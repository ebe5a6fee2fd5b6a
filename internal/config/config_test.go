package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleConfigLoads keeps config.example.toml honest: it must parse with
// no unknown key and hold the defaults.
func TestExampleConfigLoads(t *testing.T) {
	c, err := Load("../../config.example.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if c.Reminders != d.Reminders || c.Database != d.Database || c.Privacy != d.Privacy || c.Handover != d.Handover {
		t.Errorf("example differs from the defaults:\n%+v\n%+v", c.Reminders, d.Reminders)
	}
}

func TestEnvOverridesAndSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "pw")
	os.WriteFile(secret, []byte("hemmelig\n"), 0o600)
	env := map[string]string{"TRYGGSPOR_DB": "/x.db", "TRYGGSPOR_SMTP_PORT": "2525", "TRYGGSPOR_SMTP_PASSWORD_FILE": secret}
	c, err := Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Path != "/x.db" || c.SMTP.Port != 2525 || c.SMTP.Password != "hemmelig" {
		t.Errorf("env not applied: %+v %+v", c.Database, c.SMTP)
	}
	if r := c.Redacted(); strings.Contains(r.SMTP.Password, "hemmelig") {
		t.Error("Redacted shows the password")
	}
	env["TRYGGSPOR_SMTP_PORT"] = "tjue"
	if _, err := Load("", func(k string) string { return env[k] }); err == nil {
		t.Error("a bad port was accepted")
	}
}

func TestUnknownKeyAndValidate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("[server]\nadr = \"x\"\n"), 0o600)
	if _, err := Load(p, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("typo accepted: %v", err)
	}
	err := Default().Validate()
	for _, want := range []string{"crypto.key_file", "oidc.issuer"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate does not ask for %s: %v", want, err)
		}
	}
}

// TestHandoverBounds: the [handover] table's defaults (12 months, 30 days, no
// grace), a file setting them, and values that would disable a rule refused.
func TestHandoverBounds(t *testing.T) {
	if h := Default().Handover; h.ConsentMaxMonths != 12 || h.AcceptMaxDays != 30 || h.GuideGraceDays != 0 {
		t.Errorf("defaults: %+v", h)
	}
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("[handover]\nconsent_max_months = 6\naccept_max_days = 14\nguide_grace_days = 3\n"), 0o600)
	c, err := Load(p, func(string) string { return "" })
	if err != nil || c.Handover != (Handover{ConsentMaxMonths: 6, AcceptMaxDays: 14, GuideGraceDays: 3}) {
		t.Errorf("[handover] not read: %+v %v", c.Handover, err)
	}
	for body, want := range map[string]string{
		"consent_max_months = 0": "handover.consent_max_months", "accept_max_days = -1": "handover.accept_max_days",
		"guide_grace_days = -2": "handover.guide_grace_days",
		"accept_max_days = 10":  "reminders.accept_by_days",
	} {
		os.WriteFile(p, []byte("[handover]\n"+body+"\n"), 0o600)
		if _, err := Load(p, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s accepted: %v", body, err)
		}
	}
}
