package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// Tests of issue 9: any number of tryggspor processes on one database file.

var noEnv = func(string) string { return "" }

// cli runs one command as the operator would, returning its error and output.
func cli(args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := run(context.Background(), args, noEnv, &out, &errb)
	return out.String() + errb.String(), err
}

// signIn signs user in through the built-in provider with a cookie jar.
func signIn(t *testing.T, base, user string) *http.Client {
	t.Helper()
	c := browser(t)
	r, _ := get(t, c, base+"/login?login_hint="+user)
	if r.StatusCode != http.StatusOK || r.Request.URL.Path == "/login" || strings.HasPrefix(r.Request.URL.Path, "/devidp") {
		t.Fatalf("sign-in as %s: %d at %s", user, r.StatusCode, r.Request.URL)
	}
	return c
}

// registerCase registers testkit.ValidCase through the form and returns the
// new case's id and the session's CSRF token.
func registerCase(t *testing.T, c *http.Client, base string) (string, string) {
	t.Helper()
	_, body := get(t, c, base+"/cases/new")
	m := tokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on /cases/new")
	}
	form := testkit.ValidCase()
	form.Set("csrf_token", m[1])
	r, err := c.PostForm(base+"/cases", form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	id := strings.TrimPrefix(r.Request.URL.Path, "/cases/")
	if r.StatusCode != http.StatusOK || id == "" || id == "new" || strings.Contains(id, "/") {
		t.Fatalf("register: %d at %s", r.StatusCode, r.Request.URL)
	}
	return id, m[1]
}

// postAttempt records a contact attempt on a case; it reports whether the
// server said it was recorded (redirected back to the case page).
func postAttempt(c *http.Client, base, id, csrf string) (bool, error) {
	form := url.Values{"csrf_token": {csrf}, "type": {"contact_attempt"}, "channel": {"phone"}, "reached": {"no"},
		"with": {"guardian"}, "date": {tryggspor.FormatDate(tryggspor.Today(time.Now()))}}
	r, err := c.PostForm(base+"/cases/"+id+"/events", form)
	if err != nil {
		return false, err
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode == http.StatusOK && r.Request.Method == http.MethodGet && r.Request.URL.Path == "/cases/"+id, nil
}

// attempts counts the contact attempts stored for a case.
func attempts(t *testing.T, db, id string) int {
	t.Helper()
	h := openRaw(t, db)
	defer h.Close()
	var n int
	if err := h.QueryRow(`SELECT count(*) FROM events WHERE case_id = ? AND type = 'contact_attempt'`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// serviceWorks walks what each kind of user does and fails on any answer
// that is not 2xx or 3xx.
func serviceWorks(t *testing.T, base string) {
	t.Helper()
	c := signIn(t, base, "politi")
	for _, p := range []string{"/cases"} {
		if r, _ := get(t, c, base+p); r.StatusCode >= 400 {
			t.Errorf("officer GET %s: %d", p, r.StatusCode)
		}
	}
	id, csrf := registerCase(t, c, base)
	if r, _ := get(t, c, base+"/cases/"+id); r.StatusCode != http.StatusOK {
		t.Errorf("case page: %d", r.StatusCode)
	}
	if ok, err := postAttempt(c, base, id, csrf); !ok || err != nil {
		t.Errorf("event POST not recorded (%v)", err)
	}
	for user, p := range map[string]string{"leder": "/stats", "revisor": "/audit"} {
		if r, _ := get(t, signIn(t, base, user), base+p); r.StatusCode != http.StatusOK {
			t.Errorf("%s GET %s: %d", user, p, r.StatusCode)
		}
	}
}

// TestCLIWritesWhileDevRuns: import, orgs import and anonymise against the
// database of a running server each succeed, and the server keeps working
// after each (before the fix every audited route answered 409 "Finnes
// allerede" until a restart).
func TestCLIWritesWhileDevRuns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	base := startDev(t, db)
	serviceWorks(t, base)
	orgsCSV := filepath.Join(dir, "orgs.csv")
	os.WriteFile(orgsCSV, []byte("code,name,kind,parent,municipality\nny-skole,Ny skole,school,,Bærum\n"), 0o600)
	for _, cmd := range [][]string{
		{"import", "--db", db, "--file", writeCasesCSV(t, 1000, "Live")},
		{"orgs", "import", "--db", db, "--file", orgsCSV},
		{"anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z"},
	} {
		start := time.Now()
		if out, err := cli(cmd...); err != nil {
			t.Fatalf("%s while dev runs: %v\n%s", cmd[0], err, out)
		}
		t.Logf("%s beside the server: %v", cmd[0], time.Since(start).Round(time.Millisecond))
		serviceWorks(t, base)
	}
	if out, err := cli("audit", "verify", "--db", db); err != nil || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after the commands: %v %s", err, out)
	}
}

// TestImportWhileClientsWork: a CLI import of 5,000 rows while eight signed-in
// officers load case pages and record events. The import succeeds, and every
// event a client was told was recorded is in the database afterwards.
func TestImportWhileClientsWork(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 5,000 cases")
	}
	db := filepath.Join(t.TempDir(), "busy.db")
	base, stop := startDevStop(t, db)
	csv := writeCasesCSV(t, 5000, "Busy")
	const clients = 8
	type client struct {
		c        *http.Client
		id, csrf string
		acked    int
		failed   int
	}
	cs := make([]*client, clients)
	for i := range cs {
		c := signIn(t, base, "politi")
		id, csrf := registerCase(t, c, base)
		cs[i] = &client{c: c, id: id, csrf: csrf}
	}
	var importing atomic.Bool
	importing.Store(true)
	var during atomic.Int64
	var wg sync.WaitGroup
	for _, cl := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for importing.Load() {
				if r, err := cl.c.Get(base + "/cases/" + cl.id); err == nil {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
				}
				ok, err := postAttempt(cl.c, base, cl.id, cl.csrf)
				if ok && err == nil {
					cl.acked++
					during.Add(1)
				} else {
					cl.failed++
				}
			}
		}()
	}
	start := time.Now()
	out, err := cli("import", "--db", db, "--file", csv)
	took := time.Since(start)
	importing.Store(false)
	wg.Wait()
	if err != nil {
		t.Fatalf("import while clients work: %v\n%.500s", err, out)
	}
	if !strings.Contains(out, "5000 cases imported") {
		t.Errorf("import said %q", out)
	}
	acked, failed := 0, 0
	for _, cl := range cs {
		acked += cl.acked
		failed += cl.failed
	}
	t.Logf("import of 5,000 rows took %v; the clients had %d events acknowledged and %d refused meanwhile", took.Round(time.Millisecond), acked, failed)
	if during.Load() == 0 {
		t.Error("no client event was acknowledged while the import ran: the test proved nothing")
	}
	serviceWorks(t, base)
	stop()
	for i, cl := range cs {
		if got := attempts(t, db, cl.id); got < cl.acked {
			t.Errorf("client %d was told %d events were recorded; %d are in the database", i, cl.acked, got)
		}
	}
	if out, err := cli("audit", "verify", "--db", db); err != nil {
		t.Errorf("audit verify: %v %s", err, out)
	}
}

// TestRestoreRefusedWhileDevRuns: restore against the database of a running
// server is refused with one clear line, changes nothing, and every write
// the server acknowledged is still there after it stops. Once it has stopped,
// the same restore puts the backup in place and keeps the replaced database.
func TestRestoreRefusedWhileDevRuns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	base, stop := startDevStop(t, db)
	backup := filepath.Join(dir, "before.db")
	if out, err := cli("backup", "--db", db, "--to", backup); err != nil {
		t.Fatalf("backup while dev runs: %v %s", err, out)
	}
	c := signIn(t, base, "politi")
	id, csrf := registerCase(t, c, base)
	acked := 0
	for i := 0; i < 5; i++ {
		if ok, err := postAttempt(c, base, id, csrf); ok && err == nil {
			acked++
		}
	}
	if acked != 5 {
		t.Fatalf("%d of 5 events acknowledged", acked)
	}
	out, err := cli("restore", "--db", db, "--from", backup)
	if err == nil {
		t.Fatalf("restore while dev runs succeeded: %s", out)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "stop it") {
		t.Errorf("restore refusal is not one clear line: %q", msg)
	}
	for _, f := range []string{db + "-wal", db + "-shm"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the refused restore removed %s: %v", filepath.Base(f), err)
		}
	}
	if m, _ := filepath.Glob(db + ".replaced-*"); len(m) != 0 {
		t.Errorf("the refused restore set the database aside: %v", m)
	}
	if ok, err := postAttempt(c, base, id, csrf); !ok || err != nil {
		t.Errorf("the server does not record events after the refused restore: %v", err)
	} else {
		acked++
	}
	stop()
	if got := attempts(t, db, id); got != acked {
		t.Fatalf("%d events acknowledged, %d in the database after stop", acked, got)
	}

	out, err = cli("restore", "--db", db, "--from", backup)
	if err != nil {
		t.Fatalf("restore with the server stopped: %v %s", err, out)
	}
	kept, _ := filepath.Glob(db + ".replaced-*")
	if len(kept) != 1 || !strings.Contains(out, kept[0]) {
		t.Fatalf("replaced database not kept (or not named): %v %q", kept, out)
	}
	if got := attempts(t, kept[0], id); got != acked {
		t.Errorf("the kept database has %d of the %d acknowledged events", got, acked)
	}
	if got := attempts(t, db, id); got != 0 {
		t.Errorf("the restored database has the case registered after the backup")
	}
	if out, err := cli("audit", "verify", "--db", db); err != nil {
		t.Errorf("restored database: %v %s", err, out)
	}
	base = startDev(t, db)
	serviceWorks(t, base)
}

// TestRestoreRefusesDamagedBackup: a backup with two cell pointers swapped
// (integrity_check: rowid out of order), one with an edited audit entry (the
// append-only trigger dropped first, as someone with the file would), one
// from a newer schema and a file that is no database are each refused with
// one line, and the live database stays byte for byte as it was.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	_, stop := startDevStop(t, db)
	stop()
	good := filepath.Join(dir, "good.db")
	if out, err := cli("backup", "--db", db, "--to", good); err != nil {
		t.Fatal(err, out)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	damaged := map[string][]byte{"no database": []byte("hello\n")}
	damaged["rowid out of order"] = swapCells(t, raw)
	editedFile := filepath.Join(dir, "edited.db")
	if _, err := cli("backup", "--db", db, "--to", editedFile); err != nil {
		t.Fatal(err)
	}
	tamper(t, editedFile)
	edited, _ := os.ReadFile(editedFile)
	damaged["edited audit entry"] = edited
	newer := filepath.Join(dir, "newer.db")
	if _, err := cli("backup", "--db", db, "--to", newer); err != nil {
		t.Fatal(err)
	}
	h := openRaw(t, newer)
	if _, err := h.Exec(`INSERT INTO schema_migrations VALUES ('migrations/9999_future.sql', '2099-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	h.Close()
	damaged["newer schema"], _ = os.ReadFile(newer)

	before, _ := os.ReadFile(db)
	for name, b := range damaged {
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
		os.WriteFile(f, b, 0o600)
		_, err := cli("restore", "--db", db, "--from", f)
		if err == nil {
			t.Errorf("%s: restore accepted it", name)
			continue
		}
		if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: %q", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the live database")
	}
	if m, _ := filepath.Glob(db + ".replaced-*"); len(m) != 0 {
		t.Errorf("a refused restore set the database aside: %v", m)
	}
	if out, err := cli("restore", "--db", db, "--from", good); err != nil {
		t.Errorf("the good backup: %v %s", err, out)
	}
}

// swapCells returns a copy of a database with the first two cell pointers of
// a table leaf page swapped, the damage a flipped bit in a pointer does.
func swapCells(t *testing.T, raw []byte) []byte {
	t.Helper()
	b := bytes.Clone(raw)
	pageSize := int(b[16])<<8 | int(b[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	for p := 1; (p+1)*pageSize <= len(b); p++ {
		pg := b[p*pageSize : (p+1)*pageSize]
		if pg[0] != 0x0D || int(pg[3])<<8|int(pg[4]) < 2 {
			continue
		}
		pg[8], pg[9], pg[10], pg[11] = pg[10], pg[11], pg[8], pg[9]
		return b
	}
	t.Fatal("no table leaf page with two cells")
	return nil
}

// TestFilesArePrivate: started with umask 022, the service's database, WAL,
// SHM, key, lock file and a backup are all 0600.
func TestFilesArePrivate(t *testing.T) {
	old := setUmask(0o022)
	defer setUmask(old)
	dir := t.TempDir()
	db := filepath.Join(dir, "private.db")
	base := startDev(t, db)
	serviceWorks(t, base)
	backup := filepath.Join(dir, "backup.db")
	if out, err := cli("backup", "--db", db, "--to", backup); err != nil {
		t.Fatal(err, out)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm", db + ".key", db + ".lock", backup} {
		st, err := os.Stat(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if got := fmt.Sprintf("%o", st.Mode().Perm()); got != "600" {
			t.Errorf("%s has mode %s, want 600", filepath.Base(f), got)
		}
	}
}
