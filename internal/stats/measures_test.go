package stats

import (
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
)

// TestReportSpeaksOfMeasures (issue 21): the report section says how many
// measures the year's plans agreed and how the evaluated ones were judged,
// in bokmål and English, and never a hidden count.
func TestReportSpeaksOfMeasures(t *testing.T) {
	counts := func(agreed, helped, partly int) tryggspor.Counts {
		return tryggspor.Counts{Total: 40, Outcome: map[string]int{"conversation": 40}, Handover: map[string]int{"school": 20},
			MeasuresAgreed: agreed, Measures: map[string]int{"helped": helped, "partly": partly}}
	}
	s := FromCounts(2026, "vest", "Vest", 0, counts(30, 12, 8), tryggspor.Counts{})
	nb, en := strings.Join(s.Paragraphs("nb"), " "), strings.Join(s.Paragraphs("en"), " ")
	for _, want := range []string{"avtalt 30 tiltak; 20 er evaluert", "12 hjalp og 8 hjalp delvis"} {
		if !strings.Contains(nb, want) {
			t.Errorf("bokmål report lacks %q:\n%s", want, nb)
		}
	}
	if !strings.Contains(en, "agreed 30 measures; 20 were evaluated") || !strings.Contains(en, "12 helped and 8 partly helped") {
		t.Errorf("English report:\n%s", en)
	}
	var csv strings.Builder
	if err := s.CSV(&csv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Tiltak i planene;Avtalt;30;0;+30;measures;agreed", "Tiltak i planene;Evaluert;20;0;+20;measures;"} {
		if !strings.Contains(csv.String(), want) {
			t.Errorf("the CSV lacks %q:\n%s", want, csv.String())
		}
	}
	small := FromCounts(2026, "vest", "Vest", 5, counts(3, 1, 1), tryggspor.Counts{})
	if p := strings.Join(small.Paragraphs("nb"), " "); !strings.Contains(p, "Antallet tiltak i oppfølgingsplanene er ikke vist") {
		t.Errorf("small counts are not withheld:\n%s", p)
	}
}
