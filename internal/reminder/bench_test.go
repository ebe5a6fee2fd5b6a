package reminder_test

import (
	"context"
	"database/sql"
	"runtime"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tryggspor/internal/reminder"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// seedMillion writes 1,000,000 cases straight into the file with one SQL
// statement: 900,000 closed over ten years and 100,000 open in every stage.
func seedMillion(b *testing.B, path string) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(60000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
		INSERT INTO cases (id, ref, ref_year, ref_seq, registered_on, unit, category, role, age, residence_municipality,
			reported, intra_family, status, outcome, last_event_at, created_at, attempts, unanswered, last_attempt_on,
			offered_on, scheduled_for, pending_to, proposed_on, accept_by)
		SELECT printf('c%07d', i), printf('TP-%d-%06d', 2016 + i % 10, i), 2016 + i % 10, i,
			date('2016-01-01', '+' || (i % 3650) || ' days'), 'baerum', 'threats', 'victim', 12 + i % 6, 'Bærum', 'no', 'no',
			CASE WHEN i % 10 <> 0 THEN 'closed' ELSE
				CASE (i / 10) % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'offered' WHEN 2 THEN 'conversation_scheduled' ELSE 'handover_pending' END END,
			CASE WHEN i % 10 <> 0 THEN 'declined' ELSE '' END,
			'2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z',
			CASE (i / 10) % 4 WHEN 0 THEN 0 ELSE 4 END, CASE (i / 10) % 4 WHEN 1 THEN 3 ELSE 0 END,
			CASE (i / 10) % 4 WHEN 0 THEN '' ELSE '2026-01-05' END,
			CASE (i / 10) % 4 WHEN 0 THEN '' ELSE '2026-01-02' END,
			CASE (i / 10) % 4 WHEN 2 THEN '2026-01-20' ELSE '' END,
			CASE (i / 10) % 4 WHEN 3 THEN 'bekkestua-ungdomsskole' ELSE '' END,
			CASE (i / 10) % 4 WHEN 3 THEN '2026-01-10' ELSE '' END,
			CASE (i / 10) % 4 WHEN 3 THEN '2026-12-31' ELSE '' END
		FROM n`)
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSweep is one sweep over 1,000,000 cases of which 100,000 are open.
// The first sweep, which records all 150,000 reminders, is timed apart
// (first-sweep-s); the benchmark times the sweeps after it, which find them
// recorded — the state every 15-minute sweep of a running server is in.
func BenchmarkSweep(b *testing.B) {
	clock := &testkit.Clock{T: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	st, path := testkit.MustOpenStore(b, clock.Now)
	seedMillion(b, path)
	e := &reminder.Engine{Store: st, Service: &tryggspor.Service{Store: st, Now: clock.Now},
		Settings: reminder.DefaultSettings, Now: clock.Now}
	start := time.Now()
	created, err := e.Sweep(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	first, nFirst := time.Since(start).Seconds(), len(created)
	runtime.GC()
	stop, peak := samplePeakHeap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		created, err := e.Sweep(context.Background())
		if err != nil || len(created) != 0 {
			b.Fatalf("steady sweep created %d: %v", len(created), err)
		}
	}
	b.StopTimer()
	stop()
	b.ReportMetric(first, "first-sweep-s")
	b.ReportMetric(float64(nFirst), "created-first")
	b.ReportMetric(float64(*peak)/(1<<20), "peak-heap-MiB")
}

// samplePeakHeap records the largest live heap seen every 20 ms until stopped.
func samplePeakHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > *peak {
				*peak = m.HeapInuse
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }, peak
}
