package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreRefusesAnyChangedByte is issue 17's tampered backup: a signed
// backup edited with sqlite3 (a case's age, unit and outcome, an event's date
// and actor) or with one byte changed anywhere in the file (case rows,
// events, staged files, free pages: 100 random places) is refused by
// restore with one line, and the live database is left as it was; a backup
// made before backups were signed as a whole is refused with what to do; the
// untouched backup restores.
func TestRestoreRefusesAnyChangedByte(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	demoDB(t, db)
	bk := filepath.Join(dir, "b.db")
	if err := run(context.Background(), []string{"backup", "--db", db, "--to", bk}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(bk)
	sig, _ := os.ReadFile(bk + ".signature")
	live, _ := os.ReadFile(db)
	variant := filepath.Join(dir, "v.db")
	restore := func(what string, body []byte, want string) {
		t.Helper()
		os.Remove(variant)
		os.WriteFile(variant, body, 0o600)
		os.WriteFile(variant+".signature", sig, 0o600)
		err := run(context.Background(), []string{"restore", "--db", db, "--from", variant}, noEnv, io.Discard, io.Discard)
		switch {
		case err == nil:
			t.Fatalf("%s: the changed backup was restored", what)
		case strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), want):
			t.Fatalf("%s: refused with %q, want one line saying %q", what, err, want)
		}
	}
	for _, edit := range []string{`UPDATE cases SET age = age + 1 WHERE rowid = 1`, `UPDATE cases SET unit = 'asker' WHERE rowid = 2`,
		`UPDATE cases SET outcome = 'conversation' WHERE outcome = 'declined'`,
		`UPDATE events SET on_date = '2020-01-01' WHERE rowid = 3`, `UPDATE events SET actor_name = 'Noen Andre' WHERE rowid = 4`} {
		p := filepath.Join(dir, "edit.db")
		os.Remove(p)
		os.WriteFile(p, good, 0o600)
		h := openRaw(t, p)
		dropTriggers(t, h) // as whoever has the file can
		if _, err := h.Exec(edit); err != nil {
			t.Fatal(err)
		}
		h.Close()
		edited, _ := os.ReadFile(p)
		restore(edit, edited, "SHA-256 differs")
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	for i := range 100 {
		b := bytes.Clone(good)
		at := rng.IntN(len(b))
		b[at] ^= byte(1 + rng.IntN(255))
		restore(fmt.Sprintf("flip %d at offset %d of %d", i+1, at, len(b)), b, "SHA-256 differs")
	}
	os.Remove(variant + ".signature")
	h, _ := os.Create(variant + ".audit-checkpoint")
	h.Close()
	os.WriteFile(variant, good, 0o600)
	err := run(context.Background(), []string{"restore", "--db", db, "--from", variant}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "make a new one with `tryggspor backup --to FILE`") {
		t.Errorf("a backup from before whole-file signatures: %v", err)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(live, after) {
		t.Fatal("a refused restore changed the live database")
	}
	if err := run(context.Background(), []string{"restore", "--db", db, "--from", bk}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatalf("the untouched backup: %v", err)
	}
}

// dropTriggers removes the database's guards (append-only events and audit),
// as anyone holding the file can.
func dropTriggers(t *testing.T, h *sql.DB) {
	t.Helper()
	rows, err := h.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := h.Exec(`DROP TRIGGER "` + n + `"`); err != nil {
			t.Fatal(err)
		}
	}
}
