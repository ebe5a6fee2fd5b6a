package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
)

// TestSameFileTwiceNeedsAgain: a file is recorded by its SHA-256 with the
// import; checking it again says when it was imported, importing it again
// without Again is a Conflict that writes nothing, and with Again it imports.
func TestSameFileTwiceNeedsAgain(t *testing.T) {
	st := mustOpenStore(t)
	file := []byte("registered_on;unit;category;role;age;residence_municipality;reported\n2021-02-03;baerum;violence;victim;14;Bærum;ja\n")
	first, err := importBytes(t, st, file, importer.Options{})
	if err != nil || !first.ImportedBefore.IsZero() {
		t.Fatalf("first import: %+v %v", first, err)
	}
	at, ok, err := st.FileImported(ctx, first.SHA256)
	if err != nil || !ok || at.IsZero() {
		t.Fatalf("FileImported: %v %v %v", at, ok, err)
	}
	check, err := importBytes(t, st, file, importer.Options{DryRun: true})
	if err != nil || !check.ImportedBefore.Equal(at) || check.SHA256 != first.SHA256 {
		t.Errorf("check of the same file: %+v %v (imported %v)", check, err, at)
	}
	if _, err := importBytes(t, st, file, importer.Options{}); tryggspor.ErrorKind(err) != tryggspor.KindConflict ||
		!strings.Contains(tryggspor.ErrorMessage(err), "allerede importert") {
		t.Errorf("second import without Again: %v", err)
	}
	if n := len(allCases(t, st)); n != 1 {
		t.Errorf("%d cases after a refused second import", n)
	}
	if _, err := importBytes(t, st, file, importer.Options{Again: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(allCases(t, st)); n != 2 {
		t.Errorf("%d cases after importing again", n)
	}
	if _, ok, _ := st.FileImported(ctx, strings.Repeat("0", 64)); ok {
		t.Error("a file never imported is found")
	}
}

// changingFile serves one content for the first two readings from the start
// (hash, check) and another after that (write), as a file edited while it is
// being imported would.
type changingFile struct {
	before, after []byte
	starts        atomic.Int32
}

func (f *changingFile) ReadAt(p []byte, off int64) (int, error) {
	if off == 0 {
		f.starts.Add(1)
	}
	b := f.before
	if f.starts.Load() > 2 {
		b = f.after
	}
	return bytes.NewReader(b).ReadAt(p, off)
}

// TestFailureWhileWritingRollsBackEverything: the file changes between the
// check and the write, so that its last row is bad after several chunks of
// cases have been inserted; nothing at all is kept, and the audit chain
// stays whole.
func TestFailureWhileWritingRollsBackEverything(t *testing.T) {
	st := mustOpenStore(t)
	var b strings.Builder
	b.WriteString("registered_on;unit;category;role;age;residence_municipality;reported\n")
	for i := 0; i < 350; i++ {
		fmt.Fprintf(&b, "2021-02-03;baerum;violence;victim;%02d;Bærum;ja\n", 10+i%8)
	}
	before := []byte(b.String())
	after := bytes.Clone(before)
	copy(after[len(after)-4:], "XX\n") // reported "jXX": bad, same size
	f := &changingFile{before: before, after: after}
	_, err := importer.ImportFile(ctx, st, sys, f, int64(len(before)), importer.Options{}, today)
	var errs importer.Errors
	if !errors.As(err, &errs) || !strings.Contains(err.Error(), "row 351, column reported") {
		t.Fatalf("changed file: %v", err)
	}
	if n := len(allCases(t, st)); n != 0 {
		t.Errorf("%d cases kept from a failed import", n)
	}
	if v, err := st.VerifyAudit(ctx); err != nil || v.BrokenAt != 0 {
		t.Errorf("audit chain: %+v %v", v, err)
	}
	// The same file, unchanged, then imports whole.
	if res, err := importer.ImportFile(ctx, st, sys, bytes.NewReader(before), int64(len(before)), importer.Options{}, today); err != nil || res.Cases != 350 {
		t.Fatalf("unchanged file: %+v %v", res, err)
	}
	if v, err := st.VerifyAudit(ctx); err != nil || v.BrokenAt != 0 {
		t.Errorf("audit chain after the import: %+v %v", v, err)
	}
}

// TestOfficerImportsOnlyIntoOwnUnitFromAFile: the streaming API keeps the
// permission rules: an officer into their own unit, other roles not at all.
func TestOfficerImportsOnlyIntoOwnUnitFromAFile(t *testing.T) {
	st := mustOpenStore(t)
	file := []byte("registered_on;unit;category;role;age;residence_municipality;reported\n" +
		"2021-02-03;baerum;violence;victim;14;Bærum;yes\n2021-02-03;asker;violence;victim;14;Asker;yes\n")
	officer := tryggspor.Actor{Role: tryggspor.RoleOfficer, Org: "baerum", Name: "p"}
	_, err := importer.ImportFile(ctx, st, officer, bytes.NewReader(file), int64(len(file)), importer.Options{}, today)
	if err == nil || !strings.Contains(err.Error(), "row 3, column unit") || strings.Contains(err.Error(), "row 2") {
		t.Errorf("officer of baerum importing into asker: %v", err)
	}
	guide := tryggspor.Actor{Role: tryggspor.RoleGuide, Org: "bekkestua-ungdomsskole", Name: "g"}
	if _, err := importer.ImportFile(ctx, st, guide, bytes.NewReader(file), int64(len(file)), importer.Options{}, today); tryggspor.ErrorKind(err) != tryggspor.KindForbidden {
		t.Errorf("guide import: %v", err)
	}
	if n := len(allCases(t, st)); n != 0 {
		t.Errorf("%d cases written", n)
	}
}
