package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// benchStore is the national data set named by TRYGGSPOR_BENCH_DB (built by
// cmd/tryggspor-benchdata, key beside it, witness in
// TRYGGSPOR_BENCH_WITNESS), or else a fresh log of 200,000 entries.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	path := os.Getenv("TRYGGSPOR_BENCH_DB")
	if path == "" {
		st, _ := testkit.MustOpenStore(b, time.Now)
		for range 200 {
			appendViews(b, st, 1000)
		}
		if _, _, err := st.WriteAuditCheckpoint(ctx); err != nil {
			b.Fatal(err)
		}
		return st
	}
	key, err := store.ReadKeyFile(path + ".key")
	if err != nil {
		b.Fatal(err)
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		b.Fatal(err)
	}
	witness := ""
	if w := os.Getenv("TRYGGSPOR_BENCH_WITNESS"); w != "" {
		witness = filepath.Join(w, "benchdata.checkpoints")
	}
	st, err := store.Open(ctx, path, keys, store.Options{WitnessFile: witness})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// appendViews appends n case views by one officer in one batch.
func appendViews(b *testing.B, st *store.Store, n int) {
	b.Helper()
	batch := make([]tryggspor.AuditEntry, n)
	for i := range batch {
		batch[i] = tryggspor.NewEntry(tryggspor.Actor{Name: "politi-bench", Role: tryggspor.RoleOfficer, Org: "baerum"},
			tryggspor.ActCaseView, "case-1", "")
	}
	if err := st.Audit(ctx, batch...); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCheckpointTick is the server's minute tick after 1,000 new
// entries: it reads the last checkpoint from the end of the file, checks the
// entry it counts and the 1,000 after it, signs and appends one line (and
// the witness's). Its cost follows the new entries, not the log: compare the
// synthetic 200,000-entry log with TRYGGSPOR_BENCH_DB at 20 million. CPU
// time per tick is reported beside the wall time, which a busy machine
// inflates.
func BenchmarkCheckpointTick(b *testing.B) {
	st := benchStore(b)
	if _, _, err := st.WriteAuditCheckpoint(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		appendViews(b, st, 1000)
		c0 := cpuTime()
		b.StartTimer()
		if _, wrote, err := st.WriteAuditCheckpoint(ctx); err != nil || !wrote {
			b.Fatal(wrote, err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkIdleCheckpoint is the minute tick when nothing was added: one
// read of the file's end and one entry.
func BenchmarkIdleCheckpoint(b *testing.B) {
	st := benchStore(b)
	if _, _, err := st.WriteAuditCheckpoint(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, wrote, err := st.WriteAuditCheckpoint(ctx); err != nil || wrote {
			b.Fatal(wrote, err)
		}
	}
}

// BenchmarkScrubPass is one full pass of the scrubber, unpaced (as fast as
// it can go): entries checked per second of wall and of CPU time, and the
// process's peak RSS afterwards (which includes the test binary and, with
// the synthetic log, the log's making).
func BenchmarkScrubPass(b *testing.B) {
	st := benchStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	var entries int
	c0, t0 := cpuTime(), time.Now()
	for range b.N {
		res, err := st.ScrubAudit(context.Background(), 0, store.ScrubChunk)
		if err != nil || res.BrokenAt != 0 {
			b.Fatal(res, err)
		}
		entries += res.Entries
	}
	b.ReportMetric(float64(entries)/time.Since(t0).Seconds(), "entries/s")
	b.ReportMetric(float64(entries)/(cpuTime()-c0).Seconds(), "entries/cpu-s")
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB")
}
