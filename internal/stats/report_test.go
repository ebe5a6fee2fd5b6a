package stats

import (
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
)

func counted(total int, outcome, handover map[string]int) tryggspor.Counts {
	return tryggspor.Counts{Total: total, Category: map[string]int{"violence": total}, Outcome: outcome,
		Handover: handover, Residence: map[string]int{"Bærum": total}, Role: map[string]int{"victim": total},
		AgeBand: map[string]int{"13-15": total}, Reported: map[string]int{"yes": total}}
}

// TestReportWordsOneZeroManyAndHidden reads the report section as a reader
// of the annual report would: singular, zero and plural forms, Norwegian
// thousands, and never the mark inside a sentence.
func TestReportWordsOneZeroManyAndHidden(t *testing.T) {
	one := FromCounts(2021, "baerum", "Forebyggende seksjon Bærum", 0,
		counted(1, map[string]int{"conversation": 1}, map[string]int{}), tryggspor.Counts{})
	got := strings.Join(one.Paragraphs("nb"), "\n")
	for _, want := range []string{"I 2021 er det registrert én sak under Trygghetsprogrammet, Forebyggende seksjon Bærum.",
		"Av den ene saken som er registrert, har ett barn vært i trygghetssamtale.", "Ingen har takket nei til tilbudet.",
		"Ingen saker er overført fra politiet"} {
		if !strings.Contains(got, want) {
			t.Errorf("one case: lacks %q in\n%s", want, got)
		}
	}
	for _, bad := range []string{"1 saker", "0 utsatte", "1 barn", " 0 "} {
		if strings.Contains(got, bad) {
			t.Errorf("one case: says %q in\n%s", bad, got)
		}
	}
	many := FromCounts(2021, "oslo", "Oslo politidistrikt", 0,
		counted(12345, map[string]int{"conversation": 5000, "declined": 7344, "no_response": 1}, map[string]int{"school": 1, "barnehuset": 2}), tryggspor.Counts{})
	got = strings.Join(many.Paragraphs("nb"), "\n")
	for _, want := range []string{"registrert 12\u202f345 saker", "Av de 12\u202f345 sakene som er registrert, har 5000 barn vært i trygghetssamtale.",
		"7344 barn har fått tilbud om trygghetssamtale, men har takket nei.", "Én utsatt har ikke svart på henvendelser.",
		"totalt 3 saker som er overført", "; én sak til kommune/skole og 2 saker til Barnehuset."} {
		if !strings.Contains(got, want) {
			t.Errorf("many: lacks %q in\n%s", want, got)
		}
	}
	hidden := FromCounts(2021, "baerum", "Forebyggende seksjon Bærum", 5,
		counted(76, map[string]int{"conversation": 32, "declined": 42, "no_response": 2}, map[string]int{"school": 3, "barnehuset": 6}), tryggspor.Counts{})
	for _, lang := range []string{"nb", "en"} {
		got = strings.Join(hidden.Paragraphs(lang), "\n")
		if strings.Contains(got, ":") || strings.Contains(got, " 2 ") || strings.Contains(got, "32") {
			t.Errorf("%s: a hidden figure, or the mark, in the text:\n%s", lang, got)
		}
	}
	if want := "Antallet som har vært i trygghetssamtale og antallet som ikke har svart, er ikke vist av personvernhensyn."; !strings.Contains(strings.Join(hidden.Paragraphs("nb"), "\n"), want) {
		t.Errorf("hidden outcomes: lacks %q in\n%s", want, strings.Join(hidden.Paragraphs("nb"), "\n"))
	}
}
