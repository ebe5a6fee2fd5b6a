package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tryggspor/internal/testkit"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startDev runs `tryggspor dev` through run() and waits until it answers.
func startDev(t *testing.T, db string) string {
	base, _ := startDevStop(t, db)
	return base
}

// startDevStop is startDev with a function that stops the server early.
func startDevStop(t *testing.T, db string) (string, func()) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dev", "--addr", addr, "--db", db}, func(string) string { return "" }, io.Discard, io.Discard)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("dev exited with %v", err)
			}
		case <-time.After(testkit.Patience(t)):
			t.Error("dev did not shut down")
		}
	}
	t.Cleanup(stop)
	base := "http://" + addr
	for give := time.Now().Add(testkit.Patience(t)); time.Now().Before(give); {
		if r, err := http.Get(base + "/healthz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			return base, stop
		}
		select {
		case err := <-done:
			t.Fatalf("dev exited early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatal("dev did not answer /healthz")
	return "", nil
}

func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar} // no client timeout: see testkit.Patience
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	r, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}

var tokenRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestDevEndToEnd runs the whole service as a user would start it: sign-in by
// login_hint through the built-in provider, a case registered, its personal
// fields unreadable in the database files, and the audit chain checked by the
// CLI before and after tampering.
func TestDevEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dev.db")
	base := startDev(t, db)
	c := browser(t)
	r, body := get(t, c, base+"/login?login_hint=politi")
	if r.Request.URL.Path != "/cases" || !strings.Contains(body, "Demo") {
		t.Fatalf("login_hint=politi ended at %s", r.Request.URL)
	}
	_, body = get(t, c, base+"/cases/new")
	form := testkit.ValidCase()
	form.Set("csrf_token", tokenRe.FindStringSubmatch(body)[1])
	r, err := c.PostForm(base+"/cases", form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !regexp.MustCompile(`TP-\d{4}-\d{4}`).Match(page) || !bytes.Contains(page, []byte("Canary7Q4Z")) {
		t.Fatalf("registering through dev: %d at %s", r.StatusCode, r.Request.URL)
	}
	// Without a hint: one button per provider, then that provider's picker.
	_, body = get(t, browser(t), base+"/login")
	if !strings.Contains(body, `href="/login?idp=police"`) || !strings.Contains(body, `href="/login?idp=municipality"`) {
		t.Error("the sign-in page lacks a button per provider")
	}
	_, body = get(t, browser(t), base+"/login?idp=municipality")
	if !strings.Contains(body, "Velg demobruker") || !strings.Contains(body, `value="barnehuset"`) || strings.Contains(body, `value="politi"`) {
		t.Error("the municipality provider's user picker is missing or shows police users")
	}

	// No personal field in plaintext in any database file, WAL included.
	for _, f := range []string{db, db + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, canary := range []string{"Canary7Q4Z", "Canary8W", "912 34 567", "canary-note-9X2W", "CanaryRef", "Demo Hansen", "900 00 001"} {
			if bytes.Contains(raw, []byte(canary)) {
				t.Errorf("%s holds %q in plaintext", filepath.Base(f), canary)
			}
		}
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("audit verify on a used database: %v", err)
	}
	if !strings.Contains(out.String(), "intact") {
		t.Errorf("audit verify said %q", out.String())
	}
	tamper(t, db)
	err = run(context.Background(), []string{"audit", "verify", "--db", db}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "broken at entry 3") {
		t.Errorf("audit verify after editing entry 3: %v", err)
	}
}

// tamper edits one audit row the way someone with the file would: the
// append-only trigger has to be dropped first.
func tamper(t *testing.T, db string) {
	t.Helper()
	h, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Exec(`UPDATE audit SET actor = 'someone else' WHERE id = 3`); err == nil {
		t.Error("the audit log accepted an UPDATE")
	}
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET actor = 'someone else' WHERE id = 3`} {
		if _, err := h.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDevRefusesNonLoopback(t *testing.T) {
	err := run(context.Background(), []string{"dev", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "x.db")},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("dev on 0.0.0.0: %v", err)
	}
}

func TestDevSeedsOnceAndKeepsAnExistingDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keep.db")
	env := func(string) string { return "" }
	if err := run(context.Background(), []string{"demo", "--db", db}, env, io.Discard, io.Discard); err == nil {
		t.Fatal("demo without a key should fail: the key is created by dev")
	}
	// rows is the number of cases the list says it holds (it shows 50 a page).
	rows := func(body string) int {
		m := regexp.MustCompile(`(\d+) saker`).FindStringSubmatch(body)
		if m == nil {
			return 0
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	base, stop := startDevStop(t, db)
	c := browser(t)
	get(t, c, base+"/login?login_hint=politi")
	_, body := get(t, c, base+"/cases")
	seeded := rows(body)
	if seeded == 0 {
		t.Fatal("dev did not seed demo cases")
	}
	_, body = get(t, c, base+"/cases/new")
	form := testkit.ValidCase()
	form.Set("csrf_token", tokenRe.FindStringSubmatch(body)[1])
	if r, err := c.PostForm(base+"/cases", form); err != nil || r.StatusCode != 200 {
		t.Fatalf("register: %v", err)
	}
	stop()

	base = startDev(t, db)
	c = browser(t)
	get(t, c, base+"/login?login_hint=politi")
	_, body = get(t, c, base+"/cases")
	_, found := get(t, c, base+"/cases?q=Canary7Q4Z")
	if got := rows(body); got != seeded+1 || !strings.Contains(found, "Canary7Q4Z") {
		t.Errorf("after restart the list has %d cases, want %d with the registered one", got, seeded+1)
	}
	if err := run(context.Background(), []string{"demo", "--db", db}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("demo into a used database: %v", err)
	}
}
