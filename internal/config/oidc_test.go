package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, text string, env map[string]string) (Config, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(f, []byte(text), 0o600)
	return Load(f, func(k string) string { return env[k] })
}

const base = "[server]\nbase_url = \"https://tryggspor.example.no\"\n[crypto]\nkey_file = \"/k\"\n"

func TestProvidersTables(t *testing.T) {
	dir := t.TempDir()
	pol, kom := filepath.Join(dir, "pol"), filepath.Join(dir, "kom")
	os.WriteFile(pol, []byte("s1\n"), 0o600)
	os.WriteFile(kom, []byte("s2"), 0o600)
	c, err := load(t, base+`[oidc]
timeout = "3s"
[[oidc.providers]]
name = "politiet"
label = "Politiet"
issuer = "https://login.microsoftonline.com/tenant-id/v2.0"
client_id = "a"
client_secret_file = "`+pol+`"
role_claim = "roles"
org_claim = "extension_app_orgcode"
role_map = { "Tryggspor.Officer" = "officer" }
allowed_roles = ["officer"]
allowed_org_kinds = ["police_unit"]
[[oidc.providers]]
name = "ansattporten"
issuer = "https://ansattporten.no"
client_id = "b"
client_secret_file = "`+kom+`"
fixed_role = "guide"
org_claim = "authorization_details"
org_value = "orgno"
allowed_roles = ["guide"]
allowed_org_kinds = ["school", "barnehuset"]
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	list := c.OIDC.List()
	if len(list) != 2 || list[0].ClientSecret != "s1" || list[1].ClientSecret != "s2" || list[1].Label != "Logg inn" ||
		len(list[1].Scopes) != 3 || c.OIDC.TimeoutDuration().String() != "3s" {
		t.Errorf("providers: %+v", list)
	}
	if strings.Contains(strings.Join([]string{c.Redacted().OIDC.Providers[0].ClientSecret}, ""), "s1") || list[0].ClientSecret != "s1" {
		t.Error("Redacted leaks a provider secret or changed the original")
	}
}

func TestProviderConfigErrors(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "s")
	os.WriteFile(secret, []byte("x"), 0o600)
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o600)
	for _, tc := range []struct{ name, text, want string }{
		{"missing secret", `[oidc]
issuer = "https://idp.example"
client_id = "c"
`, "client_secret_file is required"},
		{"empty secret", `[oidc]
issuer = "https://idp.example"
client_id = "c"
client_secret_file = "` + empty + `"
`, "client_secret_file is required"},
		{"both tables", `[oidc]
issuer = "https://idp.example"
client_id = "c"
client_secret_file = "` + secret + `"
[[oidc.providers]]
name = "x"
issuer = "https://idp2.example"
client_id = "c"
client_secret_file = "` + secret + `"
allowed_roles = ["guide"]
allowed_org_kinds = ["school"]
`, "not both"},
		{"no trust", `[[oidc.providers]]
name = "x"
issuer = "https://idp.example"
client_id = "c"
client_secret_file = "` + secret + `"
`, "allowed_roles and allowed_org_kinds are required"},
		{"fixed role outside trust", `[[oidc.providers]]
name = "x"
issuer = "https://idp.example"
client_id = "c"
client_secret_file = "` + secret + `"
fixed_role = "admin"
org_claim = "o"
allowed_roles = ["guide"]
allowed_org_kinds = ["school"]
`, "not in allowed_roles"},
		{"http issuer", `[oidc]
issuer = "http://idp.example"
client_id = "c"
client_secret_file = "` + secret + `"
`, "must be an https URL"},
		{"bad timeout", `[oidc]
timeout = "forever"
issuer = "https://idp.example"
client_id = "c"
client_secret_file = "` + secret + `"
`, "oidc.timeout"},
	} {
		c, err := load(t, base+tc.text, nil)
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestPlainHTTPBaseURLOnlyOnLoopback(t *testing.T) {
	for url, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://localhost:8080": true, "http://[::1]:8080": true,
		"https://tryggspor.politiet.no": true, "http://tryggspor.intern:8080": false, "http://10.0.0.5": false} {
		if err := baseURLErr(url); (err == nil) != ok {
			t.Errorf("%s: %v", url, err)
		}
	}
}
