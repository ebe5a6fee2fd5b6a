package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnonymiseLeavesNothingDecryptable imports concluded cases with personal
// fields, anonymises them, and then tries the key on everything left: every
// earlier ciphertext whose bytes are still anywhere in the database file or
// its WAL, and every BLOB and TEXT value of every table. Nothing may open.
// The server runs throughout, so its connections keep the WAL alive: closing
// the command's own connections does not clean up after it.
func TestAnonymiseLeavesNothingDecryptable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "anon.db")
	startDev(t, db)
	env := func(string) string { return "" }
	const n = 1000
	var errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, "--file", writeCasesCSV(t, n, "Anon")}, env, io.Discard, &errb); err != nil {
		t.Log(errb.String()[:min(errb.Len(), 600)])
		t.Fatal(err)
	}
	aead := devKey(t, db)
	known := map[string]sealed{}
	ciphertexts(t, db, known)
	if before := recoverable(t, db, aead, known); len(before) < n {
		t.Fatalf("before anonymising only %d ciphertexts open: the check itself is broken", len(before))
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "cases anonymised") {
		t.Fatalf("anonymise: %s", out.String())
	}
	h := openRaw(t, db)
	gone := map[string]bool{}
	for _, id := range queryStrings(t, h, `SELECT id FROM cases WHERE anonymised_at IS NOT NULL`) {
		gone[id] = true
	}
	h.Close()
	if len(gone) < n {
		t.Fatalf("only %d cases anonymised", len(gone))
	}
	var left []string
	for _, p := range recoverable(t, db, aead, known) {
		// The AAD names the case: case:<id> or event:<id>:<seq>.
		if id := strings.Split(p, ":")[1]; gone[strings.Fields(id)[0]] {
			left = append(left, p)
		}
	}
	for i, p := range left {
		if i == 5 {
			t.Errorf("… %d in all", len(left))
			break
		}
		t.Errorf("still decrypts after anonymisation: %s", p)
	}
	t.Logf("%d ciphertexts before anonymisation, %d left", len(known), len(left))
}
