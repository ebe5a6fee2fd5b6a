package store_test

import (
	"database/sql"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// mustOpenSecond opens another Store on the same file, as a second process
// (a CLI command beside the server) would.
// mustOpenSecond opens the database a second time, as another process with
// the same keys would.
func mustOpenSecond(t *testing.T, path string, keys *store.Keyring) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, path, keys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestTwoStoresShareTheAuditChainAndOrganisations: two stores on one file take
// turns appending to the audit log without either answering "Finnes allerede",
// the chain stays whole, and an organisation added through one is seen through
// the other at once.
func TestTwoStoresShareTheAuditChainAndOrganisations(t *testing.T) {
	a, path := testkit.MustOpenStore(t, time.Now)
	b := mustOpenSecond(t, path, a.Keys())
	before, err := a.ListOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(who string) tryggspor.AuditEntry {
		return tryggspor.AuditEntry{Actor: tryggspor.System(who), Action: "test", Outcome: "ok"}
	}
	for i := 0; i < 5; i++ {
		if err := a.Audit(ctx, entry("a")); err != nil {
			t.Fatalf("round %d, first store: %v", i, err)
		}
		if err := b.Audit(ctx, entry("b"), entry("b")); err != nil {
			t.Fatalf("round %d, second store: %v", i, err)
		}
	}
	res, err := a.VerifyAudit(ctx)
	if err != nil || res.BrokenAt != 0 {
		t.Fatalf("audit chain after interleaved writers: %+v %v", res, err)
	}
	err = b.UpsertOrganisations(ctx, []tryggspor.Organisation{{Code: "ny-skole", Name: "Ny skole", Kind: tryggspor.OrgSchool,
		Municipality: "Bærum"}}, entry("b"))
	if err != nil {
		t.Fatal(err)
	}
	after, err := a.ListOrganisations(ctx)
	if err != nil || len(after) != len(before)+1 {
		t.Errorf("the first store lists %d organisations after the second added one, want %d (%v)", len(after), len(before)+1, err)
	}
	if _, err := a.GetOrganisation(ctx, "ny-skole"); err != nil {
		t.Errorf("the first store does not know the new organisation: %v", err)
	}
}

// TestReadyFailsWhileAnotherProcessHoldsTheWriteLock: readiness is about
// writing, so a store that can read but not write reports not ready, and ready
// again as soon as the lock is released.
func TestReadyFailsWhileAnotherProcessHoldsTheWriteLock(t *testing.T) {
	st, path := testkit.MustOpenStore(t, time.Now)
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("idle store not ready: %v", err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(ctx); err == nil {
		t.Error("ready while another connection holds the write lock")
	}
	if err := st.Ping(ctx); err != nil {
		t.Errorf("reads fail as well: %v", err)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testkit.Patience(t))
	for st.Ready(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("not ready again after the lock was released")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
