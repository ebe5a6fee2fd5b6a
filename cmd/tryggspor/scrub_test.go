package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// TestScrubberRecordsABreakInTheLog: with an old entry edited behind the
// server's back, the running scrubber writes the finding into the audit log
// itself (once, however many passes find it), where the data-protection
// officer's page shows it.
func TestScrubberRecordsABreakInTheLog(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if err := store.GenerateKeyFile(db + ".key"); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"demo", "--db", db}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	h := openRaw(t, db)
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET actor = 'noen andre' WHERE id = 20`} {
		if _, err := h.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	h.Close()
	st := openWithKey(t, db, store.Options{})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := startScrub(ctx, st, 10*time.Millisecond, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(testkit.Patience(t))
	for {
		recs, _, err := st.SearchAudit(context.Background(), tryggspor.AuditFilter{Action: tryggspor.ActAuditBroken})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 {
			if !strings.Contains(recs[0].Entry.Detail, string(tryggspor.DetBrokenAt)+"=20") || recs[0].Entry.Outcome != tryggspor.OutcomeFailed {
				t.Fatalf("the finding says %q (%s); want it to name entry 20", recs[0].Entry.Detail, recs[0].Entry.Outcome)
			}
			time.Sleep(50 * time.Millisecond) // several more passes
			if recs, _, _ = st.SearchAudit(context.Background(), tryggspor.AuditFilter{Action: tryggspor.ActAuditBroken}); len(recs) != 1 {
				t.Fatalf("the finding was recorded %d times; want once", len(recs))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the scrubber never recorded the edited entry")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
