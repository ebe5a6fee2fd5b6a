package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// TestAuditWitnessCatchesARollback does what someone holding the database
// and its checkpoint file (but not the witness, in a second directory) can:
// cut the log and the local checkpoint file back to an earlier checkpoint,
// so that both agree. `audit verify` alone cannot tell; `audit verify
// --witness DIR` exits 1 naming the witnessed checkpoint. Likewise a log cut
// before the first local checkpoint, and a local file cut back under an
// intact log. The untouched copy passes.
func TestAuditWitnessCatchesARollback(t *testing.T) {
	dir, witness := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "used.db")
	if err := store.GenerateKeyFile(db + ".key"); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "TRYGGSPOR_AUDIT_WITNESS_DIR" {
			return witness
		}
		return ""
	}
	if err := run(context.Background(), []string{"demo", "--db", db}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	wfile := witnessFile(t, witness)
	for range 3 { // three more sessions, each closed with a checkpoint
		addViewsWitnessed(t, db, wfile, 100)
	}
	local := readLines(t, db+".audit-checkpoints")
	if w := readLines(t, wfile); len(w) != len(local) || len(local) < 4 {
		t.Fatalf("witness has %d checkpoints, the local file %d: every checkpoint should go to both", len(w), len(local))
	}
	first := firstSize(t, local[0])
	cases := []struct {
		name       string
		keepLocal  int    // checkpoint lines kept in the local file (-1: all)
		cutAfter   int    // entries kept (-1: all)
		wantPlain  string // what verify without the witness says ("" passes)
		wantWitnes string
	}{
		{"untouched", -1, -1, "", ""},
		{"log and checkpoint file cut back to the first checkpoint", 1, first, "", "entries were removed"},
		{"log cut before the first checkpoint, checkpoint file removed", 0, first / 2, "not anchored", "entries were removed"},
		{"checkpoint file cut back, log intact", 1, -1, "", "is behind the signed checkpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := copyDatabase(t, db)
			if tc.keepLocal >= 0 {
				body := strings.Join(local[:tc.keepLocal], "")
				if err := os.WriteFile(c+".audit-checkpoints", []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tc.cutAfter >= 0 {
				h := openRaw(t, c)
				for _, q := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE id > ` + strconv.Itoa(tc.cutAfter)} {
					if _, err := h.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				h.Close()
			}
			var out bytes.Buffer
			err := run(context.Background(), []string{"audit", "verify", "--db", c}, noEnv, &out, io.Discard)
			if tc.wantPlain == "" && err != nil {
				t.Fatalf("without the witness, verify should pass here (the weakness the witness closes): %v", err)
			} else if tc.wantPlain != "" && (err == nil || !strings.Contains(err.Error(), tc.wantPlain)) {
				t.Fatalf("without the witness verify said %v; want %q", err, tc.wantPlain)
			}
			out.Reset()
			err = run(context.Background(), []string{"audit", "verify", "--db", c, "--witness", witness}, noEnv, &out, io.Discard)
			if tc.wantWitnes == "" {
				if err != nil || !strings.Contains(out.String(), "witness") {
					t.Fatalf("untouched copy against the witness: %v %s", err, out.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("audit verify --witness passed after %q: %s", tc.name, out.String())
			}
			if testing.Verbose() {
				t.Logf("%s → %v", tc.name, err)
			}
			if !strings.Contains(err.Error(), tc.wantWitnes) || !strings.Contains(err.Error(), wfile) {
				t.Errorf("audit verify --witness said %q; want it to say %q and name the witness file %s", err, tc.wantWitnes, wfile)
			}
		})
	}
	t.Run("an empty witness directory is an error, not a pass", func(t *testing.T) {
		err := run(context.Background(), []string{"audit", "verify", "--db", db, "--witness", t.TempDir()}, noEnv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "holds no checkpoint") {
			t.Fatalf("verify against an empty witness: %v", err)
		}
	})
}

// witnessFile is the one checkpoint file in the witness directory.
func witnessFile(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.checkpoints"))
	if len(m) != 1 {
		t.Fatalf("witness directory holds %v; want one .checkpoints file", m)
	}
	return m[0]
}

// addViewsWitnessed records n audit entries and closes the database, which
// signs a checkpoint into the local file and the witness.
func addViewsWitnessed(t *testing.T, db, witness string, n int) {
	t.Helper()
	st := openWithKey(t, db, store.Options{WitnessFile: witness})
	a := tryggspor.Actor{Name: "revisor", Role: tryggspor.RoleAuditor, Org: "oslo"}
	for range n {
		if err := st.Audit(context.Background(), tryggspor.NewEntry(a, tryggspor.ActAuditView, "", "")); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// readLines is the file's lines, each with its newline.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
}

// firstSize is the entry count of a checkpoint line (its "size" field).
func firstSize(t *testing.T, line string) int {
	t.Helper()
	_, rest, _ := strings.Cut(line, `"size":`)
	n, err := strconv.Atoi(rest[:strings.IndexAny(rest, ",}")])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
