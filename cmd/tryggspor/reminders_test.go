package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
)

// TestRemindersCommands runs `reminders run --format json` and `reminders
// digest` on the dev database, as an operator or a test would.
func TestRemindersCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rem.db")
	base, stop := startDevStop(t, db)
	get(t, browser(t), base+"/login?login_hint=politi") // the officer exists once signed in
	stop()

	now := time.Now().UTC().Format(time.RFC3339)
	runJSON := func() []map[string]string {
		var out bytes.Buffer
		err := run(context.Background(), []string{"reminders", "run", "--db", db, "--now", now, "--format", "json"},
			func(string) string { return "" }, &out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Created []map[string]string `json:"created"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		return res.Created
	}
	created := runJSON()
	rules := map[string]bool{}
	for _, c := range created {
		rules[c["rule"]] = true
		if !strings.HasPrefix(c["case_ref"], "TP-") || len(c["due_on"]) != 10 || c["recipient"] == "" {
			t.Errorf("entry %v", c)
		}
	}
	if !rules["first_contact_due"] || !rules["no_response_due"] {
		t.Errorf("demo data (a case 6 days old, an offer with three unanswered attempts) gave %v", created)
	}
	if again := runJSON(); len(again) != 0 {
		t.Errorf("second run created %v", again)
	}

	inbox := testkit.StartSMTP(t)
	env := map[string]string{"TRYGGSPOR_SMTP_HOST": inbox.Host, "TRYGGSPOR_SMTP_PORT": strconv.Itoa(inbox.Port),
		"TRYGGSPOR_SMTP_FROM": "tryggspor@example.org"}
	for i := 0; i < 2; i++ {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"reminders", "digest", "--db", db, "--now", now},
			func(k string) string { return env[k] }, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	mails := inbox.Mails()
	if len(mails) != 1 || mails[0].To[0] != "politi@example.org" {
		t.Fatalf("two digest runs sent %d mails: %+v", len(mails), mails)
	}
	for _, secret := range []string{"Demo", "+47", "900 00"} {
		if strings.Contains(mails[0].Data, secret) {
			t.Errorf("digest holds %q", secret)
		}
	}
}
