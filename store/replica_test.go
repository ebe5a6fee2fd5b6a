package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// copyFetch is a replica fetch that writes the file src, as Litestream
// writes the database it restored.
func copyFetch(src string) func(context.Context, string) error {
	return func(_ context.Context, out string) error {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o600)
	}
}

// TestRestoreReplicaChecksLikeRestore: a replica's copy is refused while a
// store holds the database; a copy with an edited audit entry, and a file
// that is no database, are refused and the database stays byte for byte as
// it was; a whole copy is put in place, the replaced database and the old
// checkpoints are kept, and the restored log verifies.
func TestRestoreReplicaChecksLikeRestore(t *testing.T) {
	st, path := testkit.MustOpenStore(t, time.Now)
	keys := st.Keys()
	for i := 0; i < 5; i++ {
		if err := st.Audit(ctx, tryggspor.AuditEntry{Actor: tryggspor.System("test"), Action: "test", Outcome: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := st.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	if _, err := store.RestoreReplica(ctx, path, keys, "", "", copyFetch(good)); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore onto a database a store holds: %v", err)
	}
	st.Close()

	edited := filepath.Join(dir, "edited.db")
	b, _ := os.ReadFile(good)
	os.WriteFile(edited, b, 0o600)
	h, err := sql.Open("sqlite", "file:"+edited)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Exec(`DROP TRIGGER audit_no_update; UPDATE audit SET outcome = 'denied' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	h.Close()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("hello\n"), 0o600)
	before, _ := os.ReadFile(path)
	for name, src := range map[string]string{"edited audit entry": edited, "no database": garbage} {
		_, err := store.RestoreReplica(ctx, path, keys, "", "", copyFetch(src))
		if err == nil || !strings.Contains(err.Error(), "nothing changed") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", name, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%s: the refused restore changed the database", name)
		}
	}

	res, err := store.RestoreReplica(ctx, path, keys, "", "", copyFetch(good))
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced == "" || res.OldAnchors == "" || res.Entries == 0 {
		t.Errorf("restore result %+v: the replaced database and checkpoints are not kept", res)
	}
	re, err := store.Open(ctx, path, keys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if v, err := re.VerifyAudit(ctx); err != nil || v.BrokenAt != 0 || int64(v.Entries) != res.Entries {
		t.Errorf("the restored log: %+v %v", v, err)
	}
}
