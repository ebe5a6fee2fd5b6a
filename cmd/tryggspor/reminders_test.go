package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
)

// TestRemindersCommands: `tryggspor dev` on a fresh database sweeps once at
// start, so the officer's tasks are there on the first visit; then `reminders
// run --format json` and `reminders digest` on the same database, as an
// operator or a test would.
func TestRemindersCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rem.db")
	base, stop := startDevStop(t, db)
	officer := signIn(t, base, "politi")
	registerCase(t, officer, base) // her own case: its reminders go to her
	_, tasks := get(t, officer, base+"/tasks")
	for _, want := range []string{"Første kontakt er ikke tatt", "Ikke svart etter tre forsøk"} {
		if !strings.Contains(tasks, want) {
			t.Errorf("/tasks right after the first start lacks %q (demo data: a case 6 days old, an offer with three unanswered attempts)", want)
		}
	}
	stop()

	runJSON := func(at time.Time) []map[string]string {
		var out bytes.Buffer
		err := run(context.Background(), []string{"reminders", "run", "--db", db, "--now", at.UTC().Format(time.RFC3339), "--format", "json"},
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
	// After the sweep at start, a run finds only the case registered since
	// (three days old, no contact yet), addressed to its officer by e-mail;
	// reading the address is in the audit log as the command's own user
	// listing, for reminders.
	first := runJSON(time.Now())
	if len(first) != 1 || first[0]["rule"] != "first_contact_due" || first[0]["recipient"] != "politi@example.org" {
		t.Errorf("a run after the sweep at start created %v, want first contact for the new case, to politi@example.org", first)
	}
	if got := auditRows(t, db, "user.list"); len(got) != 1 || got[0] != "system:reminders run|påminnelser|ok" {
		t.Errorf("reading the recipients' addresses audited as %q, want one user listing by the command for reminders", got)
	}
	later := time.Now().AddDate(0, 0, 45)
	created := runJSON(later)
	if len(created) == 0 {
		t.Error("a run 45 days later created no reminders")
	}
	for _, c := range created {
		if !strings.HasPrefix(c["case_ref"], "TP-") || len(c["due_on"]) != 10 || c["recipient"] == "" || c["rule"] == "" {
			t.Errorf("entry %v", c)
		}
	}
	if again := runJSON(later); len(again) != 0 {
		t.Errorf("second run created %v", again)
	}

	now := time.Now().UTC().Format(time.RFC3339)
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

// auditRows are the audit entries of one action as "actor|purpose|outcome",
// oldest first.
func auditRows(t *testing.T, db, action string) []string {
	t.Helper()
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rows, err := h.Query(`SELECT actor || '|' || purpose || '|' || outcome FROM audit WHERE action = ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}
