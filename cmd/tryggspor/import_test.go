package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAndSummaryCommands: a bad file is refused with every bad row on
// stderr and an error (exit 1), the database unchanged; a good one imports,
// and the summary counts it.
func TestImportAndSummaryCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "imp.db")
	_, stop := startDevStop(t, db)
	stop()
	env := func(string) string { return "" }
	summary := func(args ...string) map[string]any {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"summary", "--db", db, "--format", "json"}, args...), env, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := summary("--year", "2019")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("registered_on;unit;category;role;age;residence_municipality;reported\n"+
		"2019-05-01;baerum;violence;victim;14;Bærum;ja\n2019-05-02;baerum;violence;victim;40;Bærum;ja\n2019-13-01;asker;ran;victim;14;Asker;ja\n"), 0o600)
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"import", "--db", db, "--file", bad}, env, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "nothing imported") {
		t.Fatalf("bad file: %v", err)
	}
	for _, want := range []string{"row 3, column age", "row 4, column registered_on", "row 4, column category"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if got := summary("--year", "2019"); got["total"] != before["total"] {
		t.Errorf("a refused import changed the database: %v → %v", before["total"], got["total"])
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("registered_on,unit,category,role,age,residence_municipality,reported,outcome,outcome_on\n"+
		"01.05.2019,baerum,violence,victim,14,Bærum,ja,declined,03.05.2019\n2019-05-02,asker,robbery,witness,40,Asker,nei,,\n"), 0o600)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, "--file", good, "--dry-run"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "2 cases checked") {
		t.Fatalf("dry run: %v %s", err, out.String())
	}
	if got := summary("--year", "2019"); got["total"] != before["total"] {
		t.Error("a dry run wrote cases")
	}
	if err := run(context.Background(), []string{"import", "--db", db, "--file", good}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	got := summary("--year", "2019", "--unit", "vest", "--suppress", "0") // exact counts: the import is what is tested
	if got["total"] != float64(2) || got["by_outcome"].(map[string]any)["declined"] != float64(1) ||
		got["by_role"].(map[string]any)["witness"] != float64(1) || got["unit"] != "vest" {
		t.Errorf("summary after import: %v", got)
	}
	if s := summary("--year", "2021", "--unit", "vest", "--suppress", "5"); s["total"] != float64(229) {
		t.Errorf("demo 2021 total %v", s["total"])
	}
	for _, f := range []string{"csv", "xlsx"} {
		out := filepath.Join(dir, "s."+f)
		if err := run(context.Background(), []string{"summary", "--db", db, "--year", "2021", "--format", f, "--out", out}, env, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(out); err != nil || st.Size() < 100 {
			t.Errorf("%s export: %v", f, err)
		}
	}
}

func TestBackupRestoreAnonymiseCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ops.db")
	_, stop := startDevStop(t, db)
	stop()
	env := func(string) string { return "" }
	do := func(args ...string) string {
		var out bytes.Buffer
		if err := run(context.Background(), args, env, &out, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String()
	}
	backup := filepath.Join(dir, "backup.db")
	do("backup", "--db", db, "--to", backup)
	out := do("anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z", "--dry-run")
	if !strings.Contains(out, "would be anonymised") || !strings.Contains(out, "TP-2021-") {
		t.Errorf("dry run: %s", out)
	}
	if out := do("anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z"); !strings.Contains(out, "cases anonymised") {
		t.Errorf("anonymise: %s", out)
	}
	if out := do("anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z"); !strings.HasPrefix(out, "0 cases") {
		t.Errorf("second run: %s", out)
	}
	if s := do("summary", "--db", db, "--year", "2021", "--unit", "vest"); !strings.Contains(s, `"total": 229`) {
		t.Errorf("statistics changed by anonymisation: %s", s)
	}
	do("restore", "--db", db, "--from", backup)
	if out := do("anonymise", "--db", db, "--now", "2030-01-01T00:00:00Z", "--dry-run"); strings.HasPrefix(out, "0 cases") {
		t.Error("the restored database is the anonymised one")
	}
	if out := do("audit", "verify", "--db", db); !strings.Contains(out, "intact") {
		t.Errorf("restored audit log: %s", out)
	}
}

// TestImportCommandReadsExcelsEncodingsAndRefusesTheSameFileTwice: a
// Windows-1252 file as Excel writes it imports, and the command says how it
// read the file; importing the same file again is refused until --again.
func TestImportCommandReadsExcelsEncodingsAndRefusesTheSameFileTwice(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "enc.db")
	_, stop := startDevStop(t, db)
	stop()
	env := func(string) string { return "" }
	file := filepath.Join(dir, "excel.csv")
	os.WriteFile(file, []byte("registered_on;unit;category;role;age;residence_municipality;reported\r\n"+
		"01.05.2019;baerum;violence;victim;14;B\xe6rum;ja\r\n"), 0o600)
	imp := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"import", "--db", db, "--file", file}, args...), env, &out, io.Discard)
		return out.String(), err
	}
	if out, err := imp(); err != nil || !strings.Contains(out, "read as Windows-1252") || !strings.Contains(out, "1 cases imported") {
		t.Fatalf("first import: %v\n%s", err, out)
	}
	if _, err := imp(); err == nil || !strings.Contains(err.Error(), "allerede importert") || !strings.Contains(err.Error(), "--again") {
		t.Errorf("second import: %v", err)
	}
	if out, err := imp("--again"); err != nil || !strings.Contains(out, "imported before") || !strings.Contains(out, "1 cases imported") {
		t.Errorf("import --again: %v\n%s", err, out)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"summary", "--db", db, "--year", "2019", "--unit", "baerum", "--format", "json", "--suppress", "0"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	json.Unmarshal(out.Bytes(), &s)
	if s["by_residence"].(map[string]any)["Bærum"] != float64(2) {
		t.Errorf("Bærum residents in 2019: %v", s["by_residence"])
	}
}
