package stats_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tryggspor/internal/importer"
	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// BenchmarkSummary is the annual summary of one unit subtree over 1,000,000
// cases registered over ten years (national scale); 5 % of 2024's cases
// have a follow-up plan of three measures. Build suppresses this year's and last
// year's worlds (see world.go), 88 queries in all, each a one-pass aggregate,
// a residence GROUP BY or the plans' sums; ms/query is the time per query.
func BenchmarkSummary(b *testing.B) {
	st, path := testkit.MustOpenStore(b, time.Now)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(60000)")
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
		INSERT INTO cases (id, ref, ref_year, ref_seq, registered_on, unit, category, role, age, residence_municipality,
			reported, intra_family, status, outcome, handover_kind, safety_before, safety_after, last_event_at, created_at,
			plan_agreed, plan_evaluated, plan_helped, plan_partly)
		SELECT printf('c%07d', i), printf('TP-%d-%06d', 2016 + i % 10, i), 2016 + i % 10, i,
			date((2016 + i % 10) || '-01-01', '+' || (i % 365) || ' days'),
			CASE i % 3 WHEN 0 THEN 'baerum' WHEN 1 THEN 'asker' ELSE 'majorstua' END,
			CASE i % 6 WHEN 0 THEN 'violence' WHEN 1 THEN 'robbery' WHEN 2 THEN 'threats' WHEN 3 THEN 'sexual_offence'
				WHEN 4 THEN 'hate_crime' ELSE 'other' END,
			CASE WHEN i % 13 = 0 THEN 'witness' ELSE 'victim' END, 8 + i % 12,
			CASE i % 5 WHEN 0 THEN 'Bærum' WHEN 1 THEN 'Asker' WHEN 2 THEN 'Oslo' WHEN 3 THEN 'Drammen' ELSE 'Lier' END,
			CASE WHEN i % 3 = 0 THEN 'no' ELSE 'yes' END, 'no', 'closed',
			CASE i % 4 WHEN 0 THEN 'conversation' WHEN 1 THEN 'declined' WHEN 2 THEN 'no_response' ELSE '' END,
			CASE WHEN i % 40 = 0 THEN 'school' WHEN i % 40 = 4 THEN 'barnehuset' ELSE '' END,
			CASE WHEN i % 4 = 0 THEN 1 + i % 5 END, CASE WHEN i % 8 = 0 THEN 1 + i % 5 END,
			'2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z',
			CASE WHEN i % 400 IN (8, 18) THEN 3 ELSE 0 END, CASE WHEN i % 400 IN (8, 18) THEN 2 ELSE 0 END,
			CASE WHEN i % 400 = 8 THEN 2 ELSE 0 END, CASE WHEN i % 400 = 18 THEN 2 ELSE 0 END
		FROM n`)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	var s *stats.Summary
	for i := 0; i < b.N; i++ {
		if s, err = stats.Build(ctx, st, 2024, "vest", 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if s.Total != 100000 || s.MeasuresAgreed != 15000 {
		b.Fatalf("2024 total %d, measures %d, want 100000 and 15000", s.Total, s.MeasuresAgreed)
	}
	// Two worlds (this year and last) of the demo's five police units: per
	// world, each unit's own cases, the installation, and each unit's
	// residents — 11 counts of 4 queries each (dimensions, residences,
	// repeat victims, plans).
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/88, "ms/query")
}

// BenchmarkImport imports a 100,000-row spreadsheet into an empty database:
// parse, check every row, and write every case with its events and an audit
// entry in one transaction.
func BenchmarkImport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;person_name;guardian_name;guardian_phone\n")
	for i := 0; i < 100000; i++ {
		reg := time.Date(2016+i%10, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%360)
		outcome := []string{"conversation", "declined", "no_response", ""}[i%4]
		on, dest, hon := "", "", ""
		if outcome != "" {
			on = reg.AddDate(0, 0, 5).Format("2006-01-02")
		}
		if outcome == "conversation" && i%40 == 0 {
			dest, hon = "barnehuset-oslo", on
		}
		fmt.Fprintf(&sb, "%s;%s;%s;victim;%d;Bærum;ja;%s;%s;%s;%s;Person %d;Foresatt %d;+47 900 %05d\n",
			reg.Format("02.01.2006"), []string{"baerum", "asker", "majorstua"}[i%3], tryggspor.Categories[i%6],
			8+i%10, outcome, on, dest, hon, i, i, i%100000)
	}
	file := sb.String()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, _ := testkit.MustOpenStore(b, time.Now)
		b.StartTimer()
		n, err := importer.Import(context.Background(), st, tryggspor.System("bench"), strings.NewReader(file), false, time.Now())
		if err != nil || n != 100000 {
			b.Fatalf("imported %d: %v", n, err)
		}
	}
}
