package store_test

import (
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// BenchmarkIdleCheckpoint is the server's minute tick on a log of 200,000
// entries to which nothing was added since the last checkpoint: the whole
// chain is checked again (a middle entry edited is noticed within a minute),
// and nothing is signed.
func BenchmarkIdleCheckpoint(b *testing.B) {
	st, _ := testkit.MustOpenStore(b, time.Now)
	batch := make([]tryggspor.AuditEntry, 1000)
	for i := range batch {
		batch[i] = tryggspor.NewEntry(tryggspor.Actor{Name: "politi", Role: tryggspor.RoleOfficer, Org: "baerum"},
			tryggspor.ActCaseView, "case-1", "")
	}
	for range 200 {
		if err := st.Audit(ctx, batch...); err != nil {
			b.Fatal(err)
		}
	}
	if _, _, err := st.WriteAuditCheckpoint(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, wrote, err := st.WriteAuditCheckpoint(ctx); err != nil || wrote {
			b.Fatal(wrote, err)
		}
	}
}
