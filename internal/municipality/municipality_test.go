package municipality

import "testing"

func TestTheListIsTheClassification(t *testing.T) {
	all := All()
	if len(all) != 357 {
		t.Fatalf("%d municipalities, want 357 (2024)", len(all))
	}
	numbers, names := map[string]bool{}, map[string]bool{}
	l := New(nil)
	for _, m := range all {
		if numbers[m.Number] || names[m.Name] {
			t.Errorf("%s %s occurs twice", m.Number, m.Name)
		}
		numbers[m.Number], names[m.Name] = true, true
		if got, ok := l.Normalize(m.Name); !ok || got != m.Name {
			t.Errorf("%s normalises to %q, %v", m.Name, got, ok)
		}
	}
}

// TestNormalizeMapsWhatPeopleType: case, spaces, missing diacritics, former
// and parallel names, and the configured extras; anything else, or a name
// that is two municipalities, is refused.
func TestNormalizeMapsWhatPeopleType(t *testing.T) {
	l := New([]string{"Utlandet", "Ukjent"})
	for in, want := range map[string]string{
		"Bærum": "Bærum", "Baerum": "Bærum", "bærum ": "Bærum", "BÆRUM": "Bærum", "  baerum": "Bærum",
		"Tromso": "Tromsø", "Tromsoe": "Tromsø", "Aalesund": "Ålesund", "Alesund": "Ålesund", "ÅLESUND": "Ålesund",
		"Aurskog Høland": "Aurskog-Høland", "aurskog-hoeland": "Aurskog-Høland", "Nord Odal": "Nord-Odal",
		"Røyken": "Asker", "Skedsmo": "Lillestrøm", "Nøtterøy": "Færder", "Karasjok": "Kárášjohka - Karasjok",
		"Kautokeino": "Guovdageaidnu - Kautokeino", "Herøy i Nordland": "Herøy (Nordland)", "Våler Østfold": "Våler (Østfold)",
		"Os": "Os", "Bø": "Bø", "Sande": "Sande", "Ås": "Ås", "Aas": "Ås", "utlandet": "Utlandet", "Ukjent": "Ukjent",
	} {
		if got, ok := l.Normalize(in); !ok || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"=cmd|' /C calc'!A0", "+SUM(1)", "@x", "-1", "=HYPERLINK(\"http://x\")", "", "Atlantis",
		"Herøy", "Våler", "Bærumm", "Oslo; Bærum"} {
		if got, ok := l.Normalize(in); ok {
			t.Errorf("Normalize(%q) = %q, want refused", in, got)
		}
	}
	if _, ok := New(nil).Normalize("Utlandet"); ok {
		t.Error("an extra value is accepted without being configured")
	}
}
