package store_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestTickChecksWhatIsNewAndTheScrubberFindsAnOldEdit: the minute's
// checkpoint checks only the entries added since the last one, so an edit to
// an old entry (by someone holding the file) is for the scrubber to find; it
// does, naming the edited entry, as does a full verify. A chain broken among
// the new entries is refused by the tick itself.
func TestTickChecksWhatIsNewAndTheScrubberFindsAnOldEdit(t *testing.T) {
	st, path := testkit.MustOpenStore(t, time.Now)
	addEntries(t, st, 300)
	if _, wrote, err := st.WriteAuditCheckpoint(ctx); err != nil || !wrote {
		t.Fatalf("first checkpoint: %v %v", wrote, err)
	}
	if res, err := st.ScrubAudit(ctx, 0, 7); err != nil || res.BrokenAt != 0 || res.Entries < 300 {
		t.Fatalf("scrub of an intact log: %+v %v", res, err)
	}
	raw := rawDB(t, path)
	exec(t, raw, `DROP TRIGGER audit_no_update`, `UPDATE audit SET actor = 'noen andre' WHERE id = 100`)
	addEntries(t, st, 50)
	if _, wrote, err := st.WriteAuditCheckpoint(ctx); err != nil || !wrote {
		t.Fatalf("the tick after 50 new entries: %v %v (it checks only those)", wrote, err)
	}
	res, err := st.ScrubAudit(ctx, 0, 7)
	if err != nil || res.BrokenAt != 100 || !strings.Contains(res.Reason, "edited") {
		t.Fatalf("scrub after an edit of entry 100: %+v %v", res, err)
	}
	if v, err := st.VerifyAudit(ctx); err != nil || v.BrokenAt != 100 {
		t.Fatalf("verify after an edit of entry 100: %+v %v", v, err)
	}
	var last int64
	if err := raw.QueryRow(`SELECT max(id) FROM audit`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	addEntries(t, st, 10)
	exec(t, raw, `UPDATE audit SET detail = 'endret' WHERE id = `+itoa(last+5))
	if _, _, err := st.WriteAuditCheckpoint(ctx); err == nil || !strings.Contains(err.Error(), "not signed") {
		t.Fatalf("the tick signed a log with a new entry edited: %v", err)
	}
}

// TestScrubberIsPaced: a pass over the log asked to take a while does take
// it, and ends early when the server stops.
func TestScrubberIsPaced(t *testing.T) {
	st, _ := testkit.MustOpenStore(t, time.Now)
	addEntries(t, st, 100)
	start := time.Now()
	if _, err := st.ScrubAudit(ctx, 300*time.Millisecond, 10); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 250*time.Millisecond {
		t.Fatalf("a pass paced to 300 ms took %v", took)
	}
	stopped, stop := context.WithCancel(ctx)
	stop()
	if _, err := st.ScrubAudit(stopped, time.Hour, 10); err == nil {
		t.Fatal("a pass paced to an hour went on after the server stopped")
	}
}

func addEntries(t *testing.T, st interface {
	Audit(ctx context.Context, e ...tryggspor.AuditEntry) error
}, n int) {
	t.Helper()
	a := tryggspor.Actor{Name: "revisor", Role: tryggspor.RoleAuditor, Org: "oslo"}
	for range n {
		if err := st.Audit(ctx, tryggspor.NewEntry(a, tryggspor.ActAuditView, "", "")); err != nil {
			t.Fatal(err)
		}
	}
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *sql.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
