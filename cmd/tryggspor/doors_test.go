package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestOrgsImportThroughTheService: `orgs import` is the same use case as the
// admin's page: one audit entry for the import, for administration, by the
// command line; a second import of a changed file updates in place.
func TestOrgsImportThroughTheService(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "orgs.db")
	os.WriteFile(db+".key", []byte("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"), 0o600)
	csv := filepath.Join(dir, "orgs.csv")
	os.WriteFile(csv, []byte("code,name,kind,parent,municipality\noslo,Oslo pd,police_unit,,Oslo\nvest,Vest,police_unit,oslo,Bærum\n"), 0o600)
	env := func(string) string { return "" }
	for i := 0; i < 2; i++ {
		if err := run(context.Background(), []string{"orgs", "import", "--db", db, "--file", csv}, env, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	got := auditRows(t, db, "org.import")
	if len(got) != 2 || got[0] != "system:orgs import|administrasjon|ok" {
		t.Errorf("orgs import audited as %q, want one entry per run by the command line for administration", got)
	}
}
