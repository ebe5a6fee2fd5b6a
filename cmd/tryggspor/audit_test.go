package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// TestAuditVerifyCatchesWhatAnAttackerWithTheFileWouldDo makes a used
// database (the demo data: several hundred audit entries, anchored by the
// signed checkpoint written when the command closed it) and then, on copies,
// does what someone holding the database file but not the audit key could:
// edit, delete from the middle, cut the end, empty the log, recompute the
// whole chain, append a forged entry. `audit verify` must exit non-zero and
// say what it found each time, and pass on the untouched copy.
func TestAuditVerifyCatchesWhatAnAttackerWithTheFileWouldDo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "used.db")
	demoDB(t, db)
	addViews(t, db, 300)
	n := countAudit(t, db)
	if n < 600 {
		t.Fatalf("demo database has %d audit entries; the test needs more than 500", n)
	}
	mid := strconv.Itoa(n / 2)
	cases := []struct {
		name, want string
		sql        []string
	}{
		{"untouched", "", nil},
		{"edit a middle entry", "edited", []string{`UPDATE audit SET actor = 'noen andre' WHERE id = ` + mid}},
		{"delete a middle entry", "missing", []string{`DELETE FROM audit WHERE id = ` + mid}},
		{"delete the last entry", "removed", []string{`DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)`}},
		{"delete the last 500", "removed", []string{`DELETE FROM audit WHERE id > (SELECT max(id) - 500 FROM audit)`}},
		{"delete all", "removed", []string{`DELETE FROM audit`}},
		{"recompute the chain without the key", "rewritten", nil}, // done in Go below
		{"append a forged entry", "without the audit key", nil},
		{"write a checkpoint without the key", "signature does not verify", nil},
		{"delete the last 200 and the checkpoint file", "removed or emptied", []string{`DELETE FROM audit WHERE id > (SELECT max(id) - 200 FROM audit)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			copyDB := copyDatabase(t, db)
			h := openRaw(t, copyDB)
			for _, q := range append([]string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`}, tc.sql...) {
				if _, err := h.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			switch tc.name {
			case "recompute the chain without the key":
				recompute(t, h)
			case "append a forged entry":
				forge(t, h)
			case "write a checkpoint without the key":
				fake := `{"size":1,"hash":"00","at":"2026-11-29T12:00:00Z","note":"tryggspor audit checkpoint\n1\n00\n2026-11-29T12:00:00Z\n\n— tryggspor-audit-a000000000000 AAAAAAAAAAAAAAAA\n"}` + "\n"
				f, err := os.OpenFile(copyDB+".audit-checkpoints", os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(fake)
				f.Close()
			case "delete the last 200 and the checkpoint file":
				os.Remove(copyDB + ".audit-checkpoints")
			}
			h.Close()
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"audit", "verify", "--db", copyDB}, noEnv, &out, &errOut)
			if tc.want == "" {
				if err != nil || !strings.Contains(out.String(), "intact") {
					t.Fatalf("untouched copy: %v %s", err, out.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("audit verify passed after %q: %s", tc.name, out.String())
			}
			// Checking never re-signs: a second run finds the same.
			if err2 := run(context.Background(), []string{"audit", "verify", "--db", copyDB}, noEnv, io.Discard, io.Discard); err2 == nil {
				t.Errorf("after %q a second audit verify passed: the first re-signed the log", tc.name)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("after %q audit verify said %q; want it to name %q", tc.name, err, tc.want)
			}
			if testing.Verbose() {
				t.Logf("%s → %v", tc.name, err)
			}
		})
	}
}

// addViews records n audit entries as the auditor reading the log would, and
// closes the database (which anchors the log with a signed checkpoint).
func addViews(t *testing.T, db string, n int) {
	t.Helper()
	st := openWithKey(t, db, store.Options{})
	a := tryggspor.Actor{UserID: 0, Name: "revisor", Role: tryggspor.RoleAuditor, Org: "oslo"}
	for i := 0; i < n; i++ {
		if err := st.Audit(context.Background(), tryggspor.NewEntry(a, tryggspor.ActAuditView, "", "")); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

func countAudit(t *testing.T, db string) int {
	t.Helper()
	h := openRaw(t, db)
	defer h.Close()
	var n int
	if err := h.QueryRow(`SELECT count(*) FROM audit`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// copyDatabase copies the closed database with its key and checkpoints.
func copyDatabase(t *testing.T, db string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	for _, suffix := range []string{"", ".key", ".audit-checkpoints"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// recompute rewrites every entry's hash and link the only way someone
// without the key can: plain SHA-256 over the same fields, no key id.
func recompute(t *testing.T, h *sql.DB) {
	t.Helper()
	rows, err := h.Query(`SELECT id, at, COALESCE(actor_id, 0), actor, role, org, action, case_id, object, purpose, outcome, detail FROM audit ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id     int64
		fields []string
	}
	var all []row
	for rows.Next() {
		var id, actorID int64
		f := make([]string, 10)
		if err := rows.Scan(&id, &f[0], &actorID, &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9]); err != nil {
			t.Fatal(err)
		}
		all = append(all, row{id, append([]string{strconv.FormatInt(id, 10), f[0], strconv.FormatInt(actorID, 10)}, f[1:]...)})
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		sum := sha256.Sum256([]byte(strings.Join(append(r.fields, prev), "\x1f")))
		hash := hex.EncodeToString(sum[:])
		if _, err := h.Exec(`UPDATE audit SET prev_hash = ?, hash = ?, key_id = '' WHERE id = ?`, prev, hash, r.id); err != nil {
			t.Fatal(err)
		}
		prev = hash
	}
}

// forge appends an entry linked to the head, hashed as well as one can
// without the key.
func forge(t *testing.T, h *sql.DB) {
	t.Helper()
	var id int64
	var head string
	if err := h.QueryRow(`SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&id, &head); err != nil {
		t.Fatal(err)
	}
	fields := []string{strconv.FormatInt(id+1, 10), "2026-11-29T12:00:00Z", "0", "revisor", "auditor", "oslo",
		"audit.view", "", "", "tilsyn", "ok", "", head}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	_, err := h.Exec(`INSERT INTO audit (id, at, actor, role, org, action, case_id, object, purpose, outcome, detail, prev_hash, hash, key_id)
		VALUES (?, '2026-11-29T12:00:00Z', 'revisor', 'auditor', 'oslo', 'audit.view', '', '', 'tilsyn', 'ok', '', ?, ?, '')`,
		id+1, head, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
}

// TestPrivacyRecordFollowsTheConfiguration: the record of processing
// activities says the retention the configuration sets.
func TestPrivacyRecordFollowsTheConfiguration(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.toml")
	for _, months := range []string{"6", "18"} {
		if err := os.WriteFile(cfg, []byte("[privacy]\nanonymise_after_months = "+months+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := run(context.Background(), []string{"privacy", "record", "--config", cfg}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "slettes "+months+" måneder etter at saken er avsluttet") ||
			!strings.Contains(out.String(), "| Navn | ja | kryptert") {
			t.Errorf("with %s months the record says:\n%s", months, out.String())
		}
	}
}

// TestInnsynCommand: the data-protection officer's process gets the report
// of a case by its reference as JSON, with every stored field the page shows
// (the safety ratings and anonymisation too), the person's data and the
// access history, and the report is itself audited.
func TestInnsynCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.db")
	demoDB(t, db)
	h := openRaw(t, db)
	var ref string
	h.QueryRow(`SELECT ref FROM cases WHERE personal IS NOT NULL ORDER BY registered_on DESC LIMIT 1`).Scan(&ref)
	h.Close()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"innsyn", "--db", db, "--ref", ref}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"ref": "`+ref+`"`) || !strings.Contains(out.String(), `"person_name": "`) ||
		!strings.Contains(out.String(), `"access": [`) || !strings.Contains(out.String(), `"safety_before": "`) ||
		!strings.Contains(out.String(), `"anonymised": "no"`) {
		t.Fatalf("innsyn %s:\n%.800s", ref, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"innsyn", "--db", db, "--ref", ref, "--format", "html"}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "<html") || !strings.Contains(out.String(), "Laget innsynsrapport") {
		t.Errorf("the HTML report does not list its own making: %.300s", out.String())
	}
}

// TestRestoreRefusesACutOrDamagedBackup: a backup carries its own signed
// checkpoint; a backup whose audit log was cut (even with the checkpoint file
// beside it intact), whose checkpoint is missing, or that has a changed byte
// inside a case row is refused, and the live database is left as it was. A
// half-written last line of the checkpoint file does not stop the service.
func TestRestoreRefusesACutOrDamagedBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	demoDB(t, db)
	bk := filepath.Join(dir, "b.db")
	if err := run(context.Background(), []string{"backup", "--db", db, "--to", bk}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	variant := func(name string, change func(path string)) string {
		p := filepath.Join(dir, name+".db")
		for _, suffix := range []string{"", ".signature"} {
			b, _ := os.ReadFile(bk + suffix)
			os.WriteFile(p+suffix, b, 0o600)
		}
		change(p)
		return p
	}
	cut := variant("cut", func(p string) {
		h := openRaw(t, p)
		defer h.Close()
		for _, q := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE id > 100`, `VACUUM`} {
			if _, err := h.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	})
	unsigned := variant("unsigned", func(p string) { os.Remove(p + ".signature") })
	flipped := variant("flipped", func(p string) {
		h := openRaw(t, p)
		defer h.Close()
		if _, err := h.Exec(`UPDATE cases SET created_at = 'x' || substr(created_at, 2) WHERE rowid = 5`); err != nil {
			t.Fatal(err)
		}
	})
	before, _ := os.ReadFile(db)
	for name, b := range map[string]string{"cut": cut, "unsigned": unsigned, "flipped": flipped} {
		var errOut bytes.Buffer
		if err := run(context.Background(), []string{"restore", "--db", db, "--from", b}, noEnv, io.Discard, &errOut); err == nil {
			t.Errorf("a %s backup was restored", name)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the live database")
	}
	if err := run(context.Background(), []string{"restore", "--db", db, "--from", bk}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatalf("the good backup: %v", err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("after restoring the good backup: %v", err)
	}
	f, _ := os.OpenFile(db+".audit-checkpoints", os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"size":10,"ha`) // a crash in the middle of a line
	f.Close()
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, noEnv, io.Discard, io.Discard); err != nil {
		t.Errorf("a half-written last checkpoint line stopped verify: %v", err)
	}
}

// TestPrivacyRecordNamesEveryProvider: with several [[oidc.providers]], the
// record says whom the service trusts — each provider, and what it may
// assert — rather than "no identity provider".
func TestPrivacyRecordNamesEveryProvider(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("s\n"), 0o600)
	cfg := filepath.Join(dir, "c.toml")
	conf := fmt.Sprintf(`
[[oidc.providers]]
name = "politi"
label = "Politiets innlogging"
issuer = "https://login.politiet.example"
client_id = "tryggspor"
client_secret_file = %[1]q
role_claim = "roles"
org_claim = "org"
allowed_roles = ["officer", "leader"]
allowed_org_kinds = ["police_unit"]
[[oidc.providers]]
name = "kommune"
label = "Kommunens innlogging"
issuer = "https://login.kommune.example"
client_id = "tryggspor"
client_secret_file = %[1]q
fixed_role = "guide"
org_claim = "org"
allowed_roles = ["guide"]
allowed_org_kinds = ["school"]
`, secret)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"privacy", "record", "--config", cfg}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	rec := out.String()
	for _, want := range []string{"https://login.politiet.example", "https://login.kommune.example", "rollen fra kravet «roles»",
		"alle får rollen " + tryggspor.Label("userrole", "guide"), "Kan bare gi rollene " + tryggspor.Label("userrole", "officer")} {
		if !strings.Contains(rec, want) {
			t.Errorf("the record does not say %q:\n%s", want, rec)
		}
	}
	if strings.Contains(rec, "Ingen identitetsleverandør") {
		t.Errorf("the record says no provider is set up:\n%s", rec)
	}
}

// demoDB makes a database at db with its key file and the demo data, as
// `tryggspor demo` does: a used database to attack, back up or read.
func demoDB(t *testing.T, db string) {
	t.Helper()
	if err := store.GenerateKeyFile(db + ".key"); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"demo", "--db", db}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// openWithKey opens the database db with the key file beside it, as the
// commands do.
func openWithKey(t *testing.T, db string, o store.Options) *store.Store {
	t.Helper()
	key, err := store.ReadKeyFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), db, keys, o)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
