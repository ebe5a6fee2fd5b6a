package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCheckResidencesListsWithoutChanging: on the demo database with two
// legacy values put in, the check names each with its cases — what it maps
// to, or that it is unknown — fails, and changes nothing.
func TestCheckResidencesListsWithoutChanging(t *testing.T) {
	db := filepath.Join(t.TempDir(), "check.db")
	_, stop := startDevStop(t, db)
	stop()
	env := func(string) string { return "" }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check", "residences", "--db", db}, env, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "every residence is an official name") {
		t.Fatalf("demo data: %v\n%s", err, out.String())
	}
	raw, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var refA, refB string
	for v, ref := range map[string]*string{"Baerum ": &refA, "=cmd|' /C calc'!A0": &refB} {
		if err := raw.QueryRow(`UPDATE cases SET residence_municipality = ? WHERE id = (SELECT id FROM cases
			WHERE residence_municipality = 'Bærum' ORDER BY ref LIMIT 1) RETURNING ref`, v).Scan(ref); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	err = run(context.Background(), []string{"check", "residences", "--db", db}, env, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "2 residence values in 2 cases") {
		t.Errorf("check with two bad values: %v", err)
	}
	for _, want := range []string{`"Baerum ": maps to "Bærum"; 1 case: ` + refA, `"=cmd|' /C calc'!A0": not a municipality or configured value; 1 case: ` + refB} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM cases WHERE residence_municipality IN ('Baerum ', '=cmd|'' /C calc''!A0')`).Scan(&n); err != nil || n != 2 {
		t.Errorf("the check changed the cases: %d left, %v", n, err)
	}
}

// TestSummaryJSONKeepsTheShapeOfSection7: exactly the keys of SPEC §7, counts
// as integers, the demo's 2021 figures for Vest, and ":" for hidden counts.
func TestSummaryJSONKeepsTheShapeOfSection7(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sum.db")
	_, stop := startDevStop(t, db)
	stop()
	get := func(args ...string) map[string]any {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"summary", "--db", db, "--format", "json"}, args...), func(string) string { return "" }, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := get("--year", "2021", "--unit", "vest")
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// §7's keys, plus repeat_victims, which SPEC §12 adds, and the level
	// used (SPEC §13: the JSON states it).
	if got := strings.Join(keys, " "); got != "by_age_band by_category by_outcome by_residence by_role handovers measures not_for_publication previous_year_total publication_note repeat_victims reported suppress total unit year" {
		t.Errorf("keys: %s", got)
	}
	o := m["by_outcome"].(map[string]any)
	if m["year"] != float64(2021) || m["unit"] != "vest" || m["total"] != float64(229) || o["conversation"] != float64(93) ||
		o["declined"] != float64(124) || o["no_response"] != float64(12) || o["open"] != float64(0) ||
		m["by_residence"].(map[string]any)["Bærum"] != float64(76) || m["previous_year_total"] != float64(196) {
		t.Errorf("2021 Vest: %v", m)
	}
	m = get("--year", "2021", "--unit", "baerum", "--suppress", "5")
	if m["by_outcome"].(map[string]any)["no_response"] != ":" || m["total"] != float64(76) {
		t.Errorf("2021 Bærum at 5: %v", m)
	}
	// Without --suppress: the configured level (5 by default), stated.
	m = get("--year", "2021", "--unit", "baerum")
	if m["by_outcome"].(map[string]any)["no_response"] != ":" || m["suppress"] != float64(5) || m["not_for_publication"] != false {
		t.Errorf("2021 Bærum at the configured level: %v", m)
	}
	if m = get("--year", "2021", "--unit", "baerum", "--suppress", "0"); m["not_for_publication"] != true {
		t.Errorf("2021 Bærum at 0 is not marked not for publication: %v", m)
	}
	if m = get("--year", "2021"); m["unit"] != "" || m["total"] != float64(229) {
		t.Errorf("whole installation: %v", m)
	}
	// SPEC §13: the plans' measures of the year's cases. The demo's
	// followed-up case has three measures, one evaluated as partly helping:
	// exact at 0, hidden with the rest at the configured 5.
	year := strconv.Itoa(time.Now().AddDate(0, 0, -45).Year()) // the case was registered 45 days ago
	exact, _ := json.Marshal(get("--year", year, "--suppress", "0")["measures"])
	if string(exact) != `{"agreed":3,"evaluated":1,"helped":0,"not_done":0,"not_helped":0,"partly":1}` {
		t.Errorf("measures at 0: %s", exact)
	}
	hidden := get("--year", year)["measures"].(map[string]any)
	if hidden["agreed"] != ":" || hidden["partly"] != ":" {
		t.Errorf("measures at the configured 5 show small counts: %v", hidden)
	}
}
