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
	if c.Reminders != d.Reminders || c.Database != d.Database || c.Privacy != d.Privacy {
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
