package handlers_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/importer"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

const formula = "=cmd|' /C calc'!A0"

// TestResidenceIsAMunicipality: the register form offers the municipalities,
// refuses a formula as residence with the message beside the field, and an
// import maps Baerum, "bærum " and BÆRUM to Bærum but refuses the formula,
// naming its row and column.
func TestResidenceIsAMunicipality(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	officer.Get("/cases/new")
	if !strings.Contains(officer.Body, `list="municipalities"`) || !strings.Contains(officer.Body, `<option value="Bærum">`) ||
		!strings.Contains(officer.Body, `<option value="Utlandet">`) {
		t.Error("the register form does not offer the municipalities")
	}
	form := testkit.ValidCase()
	form.Set("residence_municipality", formula)
	form.Set("csrf_token", officer.CSRF())
	officer.PostRaw("/cases", form)
	if officer.Path() != "/cases" || !strings.Contains(officer.Body, `id="residence_municipality-error"`) ||
		!strings.Contains(officer.Body, "Ikke en kommune i Norge") {
		t.Errorf("a formula as residence: %d at %s", officer.Status(), officer.Path())
	}
	ctx, sys := context.Background(), tryggspor.System("test")
	file := "registered_on;unit;category;role;age;residence_municipality;reported\n" +
		"2022-03-01;baerum;violence;victim;14;Baerum;yes\n2022-03-02;baerum;violence;victim;14;bærum ;yes\n" +
		"2022-03-03;baerum;threats;victim;15;BÆRUM;no\n"
	if _, err := importer.Import(ctx, app.Store, sys, strings.NewReader(file+"2022-03-04;baerum;threats;victim;15;"+formula+";no\n"), false, app.Clock.Now()); err == nil {
		t.Fatal("an import with a formula as residence was accepted")
	} else {
		var errs importer.Errors
		if !errors.As(err, &errs) || !strings.Contains(err.Error(), "row 5, column residence_municipality") {
			t.Errorf("the refusal does not name row 5, column residence_municipality: %v", err)
		}
	}
	if _, err := importer.Import(ctx, app.Store, sys, strings.NewReader(file), false, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	leader := app.SignIn(t, "leder")
	leader.Get("/stats/export.json?year=2022&unit=baerum&suppress=0")
	var got struct {
		ByResidence map[string]any `json:"by_residence"`
	}
	if err := json.Unmarshal([]byte(leader.Body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.ByResidence) != 1 || got.ByResidence["Bærum"] != float64(3) {
		t.Errorf("by residence: %v, want Bærum: 3", got.ByResidence)
	}
}

// TestLegacyFormulaIsExportedHarmless: a residence typed before the list
// existed, and looking like a formula, reaches the CSV with a leading quote
// (the XLSX writes strings anyway).
func TestLegacyFormulaIsExportedHarmless(t *testing.T) {
	app, leader := leaderApp(t)
	db, err := sql.Open("sqlite", "file:"+app.DBPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, v := range []string{formula, "+SUM(A1)", "-2+3", "@A1", "\tx"} {
		if _, err := db.Exec(`UPDATE cases SET residence_municipality = ? WHERE id = (SELECT id FROM cases
			WHERE registered_on LIKE '2021-%' AND residence_municipality = 'Oslo' LIMIT 1)`, v); err != nil {
			t.Fatal(err)
		}
	}
	leader.Get("/stats/export.csv?year=2021&unit=vest")
	if leader.Status() != http.StatusOK {
		t.Fatalf("csv: %d", leader.Status())
	}
	for _, want := range []string{"Bosted;'" + formula, "Bosted;'+SUM(A1)", "Bosted;'-2+3", "Bosted;'@A1", "Bosted;'\tx"} {
		if !strings.Contains(leader.Body, want) {
			t.Errorf("csv lacks %q", want)
		}
	}
	for _, bad := range []string{";" + formula, ";+SUM", ";-2+3", ";@A1"} {
		if strings.Contains(leader.Body, bad) {
			t.Errorf("csv carries %q raw", bad)
		}
	}
}
