package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tryggspor/internal/app"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// TestNamedDataSet: a small named data set has every case in the unit, a
// name search finds cases/surnames of them, the open benchmark case shows
// its contact attempt and offer and the closed one is concluded, the paths
// file names both, and no name is in the database file in clear text.
func TestNamedDataSet(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	err := run(ctx, []string{"--db", db, "--unit", "baerum", "--cases", "60", "--open", "6", "--surnames", "10",
		"--entries", "300", "--batch", "100", "--checkpoint-every", "100"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	paths := readPaths(t, db+".paths")
	key, err := store.ReadKeyFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, db, keys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.New(st, app.Options{}).Service
	officer := tryggspor.Actor{UserID: 1, Name: "P", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for q, want := range map[string]int{"": 60, paths["SURNAME"]: 6} {
		l, err := svc.FindCases(ctx, officer, tryggspor.CaseQuery{Text: q})
		if err != nil || l.Total != want {
			t.Errorf("search %q: %d cases (%v), want %d", q, l.Total, err, want)
		}
	}
	open, err := svc.ViewCase(ctx, officer, strings.TrimPrefix(paths["OPEN_CASE"], "/cases/"))
	if err != nil {
		t.Fatal(err)
	}
	if open.Case.Status != tryggspor.StatusOffered || len(open.Timeline) != 3 || !strings.HasPrefix(open.Case.Personal.PersonName, "Fornavn") {
		t.Errorf("open case: status %s, %d events, name %q", open.Case.Status, len(open.Timeline), open.Case.Personal.PersonName)
	}
	closed, err := svc.ViewCase(ctx, officer, strings.TrimPrefix(paths["CLOSED_CASE"], "/cases/"))
	if err != nil {
		t.Fatal(err)
	}
	if closed.Case.Status != tryggspor.StatusClosed || closed.Case.Personal.PersonName == "" {
		t.Errorf("closed case: status %s, name %q", closed.Case.Status, closed.Case.Personal.PersonName)
	}
	st.Close()
	files, _ := filepath.Glob(db + "*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("Fornavn")) || bytes.Contains(b, []byte("Foresatt")) {
			t.Errorf("%s holds a name in clear text", filepath.Base(f))
		}
	}
}

// TestNamedDataSetNeedsAKnownUnit: an unknown unit is refused before
// anything is written.
func TestNamedDataSetNeedsAKnownUnit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	err := run(context.Background(), []string{"--db", db, "--unit", "oslo-sentrum", "--cases", "10"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "baerum") {
		t.Errorf("err %v", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a database was created: %v", err)
	}
}

// TestNamedDataSetAtItsSmallest: two cases are the two the benchmarks open,
// one open and one concluded, however many open cases were asked for.
func TestNamedDataSetAtItsSmallest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	if err := run(context.Background(), []string{"--db", db, "--unit", "asker", "--cases", "2", "--entries", "10",
		"--batch", "10", "--checkpoint-every", "10"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if p := readPaths(t, db+".paths"); p["CASES"] != "2" || p["OPEN_CASE"] == p["CLOSED_CASE"] {
		t.Errorf("paths %v", p)
	}
}

// readPaths reads the KEY=value lines of a paths file.
func readPaths(t *testing.T, path string) map[string]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		out[k] = v
	}
	for _, k := range []string{"OPEN_CASE", "CLOSED_CASE", "SURNAME"} {
		if out[k] == "" {
			t.Fatalf("%s has no %s: %q", path, k, b)
		}
	}
	return out
}
