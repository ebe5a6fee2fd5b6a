package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestAuditBatchesLoseNothing: audit-only writes are appended together in
// the writer's batch (store.go runAudits). Mixed with refused writes,
// cancelled requests and concurrent views, every entry whose Audit call
// said yes is in the log exactly once, none whose call said no is, and
// the chain verifies.
func TestAuditBatchesLoseNothing(t *testing.T) {
	st, path := testkit.MustOpenStore(t, time.Now)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	c := newCase(t, svc, "baerum", "Kari")
	a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	const n = 300
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			actx := ctx
			switch i % 5 {
			case 1: // a request given up on, at some moment
				cctx, cancel := context.WithCancel(ctx)
				go func() { time.Sleep(time.Duration(i%7) * 50 * time.Microsecond); cancel() }()
				actx = cctx
			case 2: // a refused write in the same batches
				svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "conversation_held", Date: "2026-03-02"})
			case 3:
				svc.ViewCase(ctx, a, c.ID)
			}
			entries := []tryggspor.AuditEntry{{Actor: a, Action: "test.batch", Outcome: "ok", Object: fmt.Sprintf("entry-%d", i)}}
			if i%4 == 0 { // more than one chunk of 16 in one call
				for k := 1; k < 20; k++ {
					entries = append(entries, tryggspor.AuditEntry{Actor: a, Action: "test.batch", Outcome: "ok", Object: fmt.Sprintf("entry-%d", i), Detail: fmt.Sprint(k)})
				}
			}
			results[i] = st.Audit(actx, entries...)
		}(i)
	}
	wg.Wait()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, err := range results {
		want := 0
		if err == nil {
			want = 1
			if i%4 == 0 {
				want = 20
			}
		}
		var got int
		if err := db.QueryRow(`SELECT count(*) FROM audit WHERE action = 'test.batch' AND object = ?`, fmt.Sprintf("entry-%d", i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("call %d answered %v and left %d entries, want %d", i, err, got, want)
		}
	}
	res, err := st.VerifyAudit(ctx)
	if err != nil || res.BrokenAt != 0 {
		t.Fatalf("chain after mixed batches: %+v %v", res, err)
	}
}
