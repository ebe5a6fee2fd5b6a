package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tryggspor/internal/testkit"
)

// buildBinary builds the tryggspor command into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "tryggspor")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSeparateProcesses runs `tryggspor dev` as its own process, started with
// umask 022 the way a shell would, and the operator's commands as processes
// of their own beside it: import, orgs import, anonymise and backup succeed
// and the service keeps working; restore is refused with one line on stderr
// and exit status 1; every file the service created is 0600; every event the
// server acknowledged is in the database after it stops.
func TestSeparateProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	db := filepath.Join(dir, "live.db")
	addr := freeAddr(t)
	dev := exec.Command("sh", "-c", `umask 022; exec "$0" dev --addr "$1" --db "$2"`, bin, addr, db)
	var devErr bytes.Buffer
	dev.Stderr = &devErr
	if err := dev.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- dev.Wait() }()
	defer func() {
		if dev.ProcessState == nil {
			dev.Process.Kill()
		}
	}()
	base := "http://" + addr
	for i := 0; ; i++ {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			break
		}
		if i == 200 {
			t.Fatalf("dev did not answer:\n%s", devErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	c := signIn(t, base, "politi")
	id, csrf := registerCase(t, c, base)
	acked := 0
	for i := 0; i < 5; i++ {
		if ok, _ := postAttempt(c, base, id, csrf); ok {
			acked++
		}
	}
	command := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		return stderr.String(), cmd.ProcessState.ExitCode()
	}
	orgsCSV := filepath.Join(dir, "orgs.csv")
	os.WriteFile(orgsCSV, []byte("code,name,kind,parent,municipality\nny-skole,Ny skole,school,,Bærum\n"), 0o600)
	backup := filepath.Join(dir, "backup.db")
	for _, args := range [][]string{
		{"import", "--db", db, "--file", writeCasesCSV(t, 1000, "Proc")},
		{"orgs", "import", "--db", db, "--file", orgsCSV},
		{"anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z"},
		{"backup", "--db", db, "--to", backup},
	} {
		if stderr, rc := command(args...); rc != 0 {
			t.Fatalf("%s beside a running dev: exit %d\n%s", args[0], rc, stderr)
		}
		serviceWorks(t, base)
		if ok, _ := postAttempt(c, base, id, csrf); ok {
			acked++
		}
	}
	stderr, rc := command("restore", "--db", db, "--from", backup)
	if rc != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "stop it") {
		t.Errorf("restore beside a running dev: exit %d, stderr %q", rc, stderr)
	}
	serviceWorks(t, base)
	for _, f := range []string{db, db + "-wal", db + "-shm", db + ".key", db + ".lock", backup} {
		st, err := os.Stat(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		} else if got := fmt.Sprintf("%o", st.Mode().Perm()); got != "600" {
			t.Errorf("%s: mode %s, want 600", filepath.Base(f), got)
		}
	}
	dev.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("dev exited with %v\n%s", err, devErr.String())
		}
	case <-time.After(testkit.Patience(t)):
		t.Fatal("dev did not stop on SIGTERM")
	}
	if got := attempts(t, db, id); got != acked || acked != 9 {
		t.Errorf("%d of 9 events acknowledged, %d in the database after stop", acked, got)
	}
	if stderr, rc := command("audit", "verify", "--db", db); rc != 0 {
		t.Errorf("audit verify: %s", stderr)
	}
}
