package importer_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/demo"
	"tryggspor/internal/importer"
	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

var (
	ctx   = context.Background()
	today = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	sys   = tryggspor.System("test")
)

func TestParseFormats(t *testing.T) {
	for name, file := range map[string]string{
		"semicolon with BOM": "\ufeffregistered_on;unit;category;role;age;residence_municipality;reported\n03.02.2021;baerum;violence;victim;14;Bærum;ja\n",
		"comma":              "registered_on,unit,category,role,age,residence_municipality,reported\n2021-02-03,baerum,violence,victim,14,Bærum,yes\n",
		"quoted, CRLF":       "registered_on;unit;category;role;age;residence_municipality;reported\r\n\"2021-02-03\";\"baerum\";violence;victim;14;\"Bærum\";no\r\n\r\n",
	} {
		rows, err := importer.Parse(strings.NewReader(file), demo.Organisations, nil, today)
		if err != nil || len(rows) != 1 || tryggspor.FormatDate(rows[0].Case.RegisteredOn) != "2021-02-03" || rows[0].Case.Residence != "Bærum" {
			t.Errorf("%s: %v %+v", name, err, rows)
		}
	}
}

func TestEveryBadRowIsListedAndNothingWritten(t *testing.T) {
	app := testkit.NewApp(t)
	file := "registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on\n" +
		"2021-02-03;baerum;violence;victim;14;Bærum;yes;conversation;2021-02-10;barnehuset-oslo;2021-02-12\n" +
		"31.02.2021;baerum;violence;victim;14;Bærum;yes;;;;\n" +
		"2021-02-03;nowhere;theft;victim;25;Bærum;maybe;;;;\n" +
		"2021-02-03;baerum;threats;victim;15;Bærum;no;declined;;;\n" +
		"2021-02-03;baerum;threats;victim;15;Bærum;no;declined;2021-02-04;sandvika-vgs;2021-02-05\n"
	_, err := importer.Import(ctx, app.Store, sys, strings.NewReader(file), false, today)
	var errs importer.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("bad file accepted: %v", err)
	}
	for _, want := range []string{"row 3, column registered_on", "row 4, column unit", "row 4, column category",
		"row 4, column reported", "row 5, column outcome_on", "row 6, column handover_to"} {
		if !strings.Contains(errs.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, errs)
		}
	}
	if strings.Contains(errs.Error(), "row 2,") {
		t.Errorf("the good row is reported: %v", errs)
	}
	cases, _ := app.Store.ListCases(ctx, tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	if len(cases) != 0 {
		t.Errorf("%d cases written from a file with bad rows", len(cases))
	}
}

func TestImportedCasesHaveTheUIsEvents(t *testing.T) {
	app := testkit.NewApp(t)
	file := "registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;person_name\n" +
		"2021-02-03;baerum;violence;victim;14;Bærum;yes;conversation;2021-02-10;barnehuset-oslo;2021-02-12;Kari Importsen\n"
	if _, err := importer.Import(ctx, app.Store, sys, strings.NewReader(file), false, today); err != nil {
		t.Fatal(err)
	}
	cs, _ := app.Store.ListCases(ctx, tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	c, evs, _ := app.Store.GetCase(ctx, tryggspor.Scope{All: true}, cs[0].ID)
	var types []string
	for _, e := range evs {
		types = append(types, string(e.Type))
	}
	want := "registered contact_attempt offer_made conversation_held handover_proposed handover_accepted closed"
	if strings.Join(types, " ") != want || c.Outcome != tryggspor.OutcomeConversation || c.HandoverKind != "barnehuset" ||
		c.Ref != "TP-2021-0001" || c.Personal.PersonName != "Kari Importsen" {
		t.Errorf("imported case: %s; %s %s %s %s", strings.Join(types, " "), c.Outcome, c.HandoverKind, c.Ref, c.Personal.PersonName)
	}
}

func TestOfficerImportsOnlyIntoOwnUnit(t *testing.T) {
	app := testkit.NewApp(t)
	file := "registered_on;unit;category;role;age;residence_municipality;reported\n2021-02-03;asker;violence;victim;14;Asker;yes\n"
	_, err := importer.Import(ctx, app.Store, tryggspor.Actor{Role: tryggspor.RoleOfficer, Org: "baerum", Name: "p"},
		strings.NewReader(file), false, today)
	if err == nil || !strings.Contains(err.Error(), "row 2, column unit") {
		t.Errorf("an officer imported into another unit: %v", err)
	}
}

// TestSummaryCountsWhatAPersonCounts imports random datasets and compares the
// summary with counts made row by row in the test.
func TestSummaryCountsWhatAPersonCounts(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	units := []string{"baerum", "asker", "majorstua"}
	places := []string{"Bærum", "Asker", "Oslo", "Drammen"}
	for round := 0; round < 4; round++ {
		app := testkit.NewApp(t)
		var b strings.Builder
		b.WriteString("registered_on,unit,category,role,age,residence_municipality,reported,outcome,outcome_on,handover_to,handover_on\n")
		type tally map[string]int
		want := map[string]tally{}
		add := func(year int, unit, dim, key string) {
			k := fmt.Sprintf("%d|%s|%s", year, unit, dim)
			if want[k] == nil {
				want[k] = tally{}
			}
			want[k][key]++
		}
		for i := 0; i < 150+r.Intn(150); i++ {
			year := 2019 + r.Intn(3)
			reg := time.Date(year, time.Month(1+r.Intn(12)), 1+r.Intn(28), 0, 0, 0, 0, time.UTC)
			unit, cat := units[r.Intn(3)], tryggspor.Categories[r.Intn(6)]
			role, age := "victim", r.Intn(18)
			if r.Intn(8) == 0 {
				role, age = "witness", r.Intn(70)
			}
			place, rep := places[r.Intn(4)], []string{"yes", "no"}[r.Intn(2)]
			outcome := []string{"", "conversation", "declined", "no_response"}[r.Intn(4)]
			on, dest, hon, kind := "", "", "", ""
			if outcome != "" {
				on = reg.AddDate(0, 0, r.Intn(20)).Format("2006-01-02")
			}
			if outcome == "conversation" && r.Intn(4) == 0 {
				dest = []string{"bekkestua-ungdomsskole", "barnehuset-oslo", "ungdom-og-fritid"}[r.Intn(3)]
				hon, kind = on, map[string]string{"bekkestua-ungdomsskole": "school", "barnehuset-oslo": "barnehuset", "ungdom-og-fritid": "other"}[dest]
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s\n", reg.Format("02.01.2006"), unit, cat, role, age, place, rep, outcome, on, dest, hon)
			band := map[bool]string{true: "0-12"}[age <= 12]
			switch {
			case age >= 18:
				band = "18+"
			case age >= 16:
				band = "16-17"
			case age >= 13:
				band = "13-15"
			}
			if outcome == "" {
				outcome = "open"
			}
			for _, u := range []string{unit, "vest", ""} {
				add(year, u, "total", "total")
				add(year, u, "by_category", string(cat))
				add(year, u, "by_outcome", outcome)
				add(year, u, "by_residence", place)
				add(year, u, "by_role", role)
				add(year, u, "by_age_band", band)
				add(year, u, "reported", rep)
				if kind != "" {
					add(year, u, "handovers", kind)
				}
			}
		}
		if _, err := importer.Import(ctx, app.Store, sys, strings.NewReader(b.String()), false, today); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for year := 2019; year <= 2021; year++ {
			for _, unit := range []string{"", "vest", "baerum", "asker", "majorstua"} {
				s, err := stats.Build(ctx, app.Store, year, unit, 0)
				if err != nil {
					t.Fatal(err)
				}
				k := func(dim string) tally { return want[fmt.Sprintf("%d|%s|%s", year, unit, dim)] }
				if s.Total != k("total")["total"] {
					t.Errorf("%d %q: total %d, counted %d", year, unit, s.Total, k("total")["total"])
				}
				for _, tb := range s.Tables {
					for _, c := range tb.Cells {
						if c.Value != k(tb.Key)[c.Key] {
							t.Errorf("%d %q %s/%s: summary %d, counted %d", year, unit, tb.Key, c.Key, c.Value, k(tb.Key)[c.Key])
						}
					}
				}
				if year > 2019 && s.Prev != want[fmt.Sprintf("%d|%s|total", year-1, unit)]["total"] {
					t.Errorf("%d %q: previous year %d", year, unit, s.Prev)
				}
			}
		}
	}
}
