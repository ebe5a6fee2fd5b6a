package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreThroughSymlinkRefusedWhileDevRuns is issue 17's symbolic link:
// restore --db given a link to the live database (and a path with relative
// parts) while dev runs is refused with one line, as with the database's own
// name — the lock is taken on the resolved file — the write-ahead log keeps
// every frame the server wrote, the link stays a link, and the server keeps
// recording.
func TestRestoreThroughSymlinkRefusedWhileDevRuns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	base, stop := startDevStop(t, db)
	backup := filepath.Join(dir, "before.db")
	if out, err := cli("backup", "--db", db, "--to", backup); err != nil {
		t.Fatalf("backup while dev runs: %v %s", err, out)
	}
	c := signIn(t, base, "politi")
	id, csrf := registerCase(t, c, base)
	acked := 0
	for range 3 {
		if ok, err := postAttempt(c, base, id, csrf); ok && err == nil {
			acked++
		}
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	dotted := filepath.Join(dir, "sub", "..", "live.db")
	wal, err := os.ReadFile(db + "-wal")
	if err != nil || len(wal) == 0 {
		t.Fatalf("the running server has no write-ahead log to protect: %v", err)
	}
	for _, path := range []string{link, dotted} {
		_, err := cli("restore", "--db", path, "--from", backup)
		if err == nil {
			t.Fatalf("restore --db %s while dev runs succeeded", path)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "stop it") {
			t.Errorf("restore --db %s: refusal is not one clear line: %q", path, msg)
		}
	}
	if after, err := os.ReadFile(db + "-wal"); err != nil || len(after) < len(wal) {
		t.Errorf("the refused restore emptied the live write-ahead log: %d bytes before, %d after (%v)", len(wal), len(after), err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if m, _ := filepath.Glob(db + ".replaced-*"); len(m) != 0 {
		t.Errorf("the refused restore set the database aside: %v", m)
	}
	if ok, err := postAttempt(c, base, id, csrf); !ok || err != nil {
		t.Fatalf("the server does not record events after the refused restore: %v", err)
	}
	acked++
	stop()
	if got := attempts(t, db, id); got != acked {
		t.Errorf("%d events acknowledged, %d in the database after stop", acked, got)
	}
}
