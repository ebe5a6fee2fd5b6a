package handlers_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"tryggspor/internal/app"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// lockedBuffer collects the service's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSignInDatabaseFailure: when the database fails in the middle of a
// sign-in (a table the step needs is gone, as a broken migration or a
// damaged file leaves it), the user gets the technical error page with a
// request id, not "no access"; the failure is logged with that id; and
// the audit log holds no refusal for it. The database is real: the table
// is renamed under the running service.
func TestSignInDatabaseFailure(t *testing.T) {
	for _, table := range []string{"login_states", "organisations", "users", "sessions"} {
		t.Run(table, func(t *testing.T) {
			log := &lockedBuffer{}
			a := testkit.NewApp(t, func(o *app.Options) { o.Log = slog.New(slog.NewJSONHandler(log, nil)) })
			a.Queue(t, "politi")
			c := a.Anonymous(t)
			c.HTTP.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
				if r.URL.Path == "/auth/callback" {
					breakTable(t, a.DBPath, table)
				}
				return nil
			}
			c.Get("/login")
			if c.Status() < 500 || strings.Contains(c.Body, "Ingen tilgang") {
				t.Errorf("sign-in with %s gone: %d: %.400s", table, c.Status(), c.Body)
			}
			rid := c.Resp.Header.Get("X-Request-Id")
			if rid == "" || !strings.Contains(c.Body, rid) {
				t.Errorf("the error page does not give the request id %q: %.400s", rid, c.Body)
			}
			if !strings.Contains(log.String(), `"level":"ERROR"`) || !strings.Contains(log.String(), `"rid":"`+rid+`"`) {
				t.Errorf("the failure is not logged as an error with its request id:\n%s", log)
			}
			recs, _, err := a.Store.SearchAudit(context.Background(), tryggspor.AuditFilter{Action: tryggspor.ActLogin,
				Outcome: tryggspor.OutcomeDenied, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) > 0 {
				t.Errorf("a database failure is audited as a refused sign-in: %q", recs[0].Entry.Detail)
			}
		})
	}
}

// breakTable renames table in the database file, through a connection of
// its own, so the service's next query of it fails.
func breakTable(t *testing.T, path, table string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`ALTER TABLE ` + table + ` RENAME TO ` + table + `_gone`); err != nil {
		t.Fatal(err)
	}
}

// TestFailedSignInPurpose: a sign-in refused before anyone is known (a
// callback this browser did not start, a user with no role) is audited
// with the sign-in's purpose, not the system's, and so is a sign-in that
// succeeds; the auditor's page says so in words.
func TestFailedSignInPurpose(t *testing.T) {
	a := testkit.NewApp(t)
	a.Anonymous(t).Get("/auth/callback?state=forged&code=x")
	a.SignIn(t, "ukjent")
	a.SignIn(t, "politi")
	recs, _, err := a.Store.SearchAudit(context.Background(), tryggspor.AuditFilter{Action: tryggspor.ActLogin, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("want 3 sign-in entries, got %d", len(recs))
	}
	for _, r := range recs {
		if r.Entry.Purpose != tryggspor.PurposeSignIn {
			t.Errorf("sign-in by %q (%s, %s) audited with the purpose %q", r.Entry.Actor.Name, r.Entry.Outcome, r.Entry.Detail, r.Entry.Purpose)
		}
	}
	if page := a.SignIn(t, "revisor").Get("/audit?action=login").Body; strings.Contains(page, "automatisk oppfølging") || !strings.Contains(page, "innlogging") {
		t.Errorf("the audit log shows sign-ins with the system's purpose: %.2000s", page)
	}
}
