package handlers

import (
	"slices"
	"testing"

	"tryggspor/internal/tryggspor"
)

// TestPatternsMatchTheirEnglish: a catalogue entry with placeholders has
// the same placeholders, in the same order, in its English; otherwise it
// would never be used as a pattern.
func TestPatternsMatchTheirEnglish(t *testing.T) {
	n := 0
	for nb, en := range catalogue {
		verbs := patternVerb.FindAllString(nb, -1)
		if len(verbs) == 0 {
			continue
		}
		n++
		if got := patternVerb.FindAllString(en, -1); !slices.Equal(verbs, got) {
			t.Errorf("«%s» has %v, its English %q has %v", nb, verbs, en, got)
		}
	}
	if len(messagePatterns) != n {
		t.Errorf("%d patterns compiled from %d entries with placeholders", len(messagePatterns), n)
	}
}

// TestTranslatesMessagesWithValues: a message with a value in it is
// translated by its pattern, the value kept, a value that is itself
// catalogued translated too; what has no entry stays as it is.
func TestTranslatesMessagesWithValues(t *testing.T) {
	vest := tryggspor.Organisation{Code: "enhet-vest", Name: "Enhet Vest", Kind: tryggspor.OrgPoliceUnit, Parent: "baerum"}
	all := []tryggspor.Organisation{vest,
		{Code: "baerum", Name: "Forebyggende seksjon Bærum", Kind: tryggspor.OrgPoliceUnit, Parent: "asker"},
		{Code: "asker", Name: "Enhet Asker", Kind: tryggspor.OrgPoliceUnit, Parent: "enhet-vest"}}
	ring := vest.Validate(all)["parent"]
	for _, tt := range []struct{ nb, en string }{
		{"Datoen kan ikke være før saken ble registrert (01.02.2026).", "The date cannot be before the case was registered (01.02.2026)."},
		{tryggspor.TextProblem("a\x07b", false), "The text has a control character (U+0007) that is not allowed here."},
		{"Registreringsdatoen kan ikke være etter den første senere hendelsen i saken (Tilbud gitt, 03.02.2026).",
			"The registration date cannot be after the first later event in the case (Offer made, 03.02.2026)."},
		{"Rettingen gjør saken ugyldig (Alder): Alder må være et helt tall fra 0 til 120.",
			"The correction makes the case invalid (Age): Age must be a whole number from 0 to 120."},
		{"Rettingen gjør saken ugyldig (Alder): Teksten er for lang (høyst 200 tegn).",
			"The correction makes the case invalid (Age): The text is too long (at most 200 characters)."},
		{"Innloggingen fra «ID-porten» gir mer enn én organisasjon. En bruker hører til én organisasjon i Tryggspor.",
			"The sign-in from “ID-porten” gives more than one organisation. A user belongs to one organisation in Tryggspor."},
		{"Brukeren har ingen rolle i Tryggspor.", "The user has no role in Tryggspor."},
		{"Utvalget har 12000 oppføringer; en nedlasting kan ha høyst 10000. Snevre inn utvalget.",
			"The selection has 12000 entries; a download can have at most 10000. Narrow the selection."},
		{ring, "“Enhet Vest” cannot be under “Forebyggende seksjon Bærum”, which is under “Enhet Asker”, which is under “Enhet Vest”."},
		{"Side 2 av 5", "Page 2 of 5"},
		{"Mine saker i dag", "Mine saker i dag"},
		{"Datoen kan ikke være før saken ble registrert", "Datoen kan ikke være før saken ble registrert"},
	} {
		en := &Page{Lang: "en"}
		if got := en.T(tt.nb); got != tt.en {
			t.Errorf("T(%q)\n got %q\nwant %q", tt.nb, got, tt.en)
		}
		if nb := (&Page{Lang: "nb"}).T(tt.nb); nb != tt.nb {
			t.Errorf("bokmål T(%q) = %q", tt.nb, nb)
		}
	}
}
