package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

// TestVerifyInHalvesFindsWhatOneWalkFinds: verify walks a large log in two
// halves at once; on every kind of damage, near the split and away from
// it, it must say exactly what one walk from the start says.
func TestVerifyInHalvesFindsWhatOneWalkFinds(t *testing.T) {
	ctx := context.Background()
	keys, err := NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(ctx, path, keys, Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := tryggspor.Actor{Name: "revisor", Role: tryggspor.RoleAuditor, Org: "oslo"}
	for i := range 40 {
		batch := make([]tryggspor.AuditEntry, 10)
		for j := range batch {
			batch[j] = tryggspor.NewEntry(a, tryggspor.ActAuditView, "", "")
		}
		if err := s.Audit(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			if _, _, err := s.WriteAuditCheckpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	same := func(name string) {
		t.Helper()
		old := splitFrom
		defer func() { splitFrom = old }()
		splitFrom = 1 << 62
		one, err1 := s.VerifyAudit(ctx)
		splitFrom = 2
		halves, err2 := s.VerifyAudit(ctx)
		if (err1 == nil) != (err2 == nil) || one.BrokenAt != halves.BrokenAt || one.Reason != halves.Reason ||
			one.Entries != halves.Entries && one.BrokenAt == 0 {
			t.Errorf("%s: one walk %+v %v; halves %+v %v", name, one, err1, halves, err2)
		}
	}
	same("untouched")
	n := int64(400)
	for _, id := range []int64{1, 150, n/2 - 1, n / 2, n/2 + 1, 300, n} {
		tx := func(q string) {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		tx(`UPDATE audit SET detail = 'x' WHERE id = ` + strconv.FormatInt(id, 10))
		same("edit " + strconv.FormatInt(id, 10))
		tx(`UPDATE audit SET detail = '' WHERE id = ` + strconv.FormatInt(id, 10))
		same("edit undone " + strconv.FormatInt(id, 10))
	}
	for _, id := range []int64{n / 2, n/2 + 1, 120, n} {
		if _, err := raw.Exec(`DELETE FROM audit WHERE id = ` + strconv.FormatInt(id, 10)); err != nil {
			t.Fatal(err)
		}
		same("delete " + strconv.FormatInt(id, 10))
	}
}
