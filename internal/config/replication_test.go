package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReplicationSection: the §13 keys are read, the secret key comes from
// its file and is redacted, the defaults are 1s and 168h, and a URL that is
// neither file:///… nor s3://bucket/… stops the start with its key named.
func TestReplicationSection(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "s3-secret")
	os.WriteFile(secret, []byte("very-secret\n"), 0o600)
	write := func(body string) string {
		p := filepath.Join(dir, "c.toml")
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	c, err := Load(write(`[replication]
url = "s3://bucket/tryggspor"
endpoint = "https://s3.example.no"
region = "no-west-1"
access_key_id = "AKID"
secret_access_key_file = "`+secret+`"
sync_interval = "2s"
`), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	r := c.Replication
	if !r.Enabled() || r.SecretAccessKey != "very-secret" || r.SyncInterval.Duration != 2*time.Second || r.Retention.Duration != 168*time.Hour ||
		r.Endpoint != "https://s3.example.no" || r.Region != "no-west-1" || r.AccessKeyID != "AKID" {
		t.Errorf("replication read as %+v", r)
	}
	if got := c.Redacted().Replication.SecretAccessKey; got != "[redacted]" {
		t.Errorf("redacted secret key: %q", got)
	}
	if d, _ := Load("", func(string) string { return "" }); d.Replication.Enabled() || d.Replication.SyncInterval.Duration != time.Second {
		t.Errorf("default replication: %+v", d.Replication)
	}
	for _, bad := range []string{`url = "/var/backups/db"`, `url = "s3:///path"`, `url = "file://relative/path"`,
		"url = \"file:///x\"\nsync_interval = \"soon\""} {
		if _, err := Load(write("[replication]\n"+bad+"\n"), func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "replication") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
