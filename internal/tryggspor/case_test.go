package tryggspor

import (
	"strings"
	"testing"
	"time"
)

// TestValidateRefusesControlCharactersAndInvalidUTF8: the register form
// refuses what the import refuses, with the message beside the field; notes
// and the intra-family reason may hold line breaks (CRLF, as browsers send a
// textarea) and tabs.
func TestValidateRefusesControlCharactersAndInvalidUTF8(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	valid := func() CaseInput {
		return CaseInput{RegisteredOn: "2026-05-01", Category: "violence", Role: "victim", Age: "14",
			Residence: "Bærum", Reported: "yes", IntraFamily: "yes", IntraFamilyReason: "Linje én\r\nlinje to",
			PersonName: "Kari Nordmann", GuardianName: "Ola Nordmann", GuardianPhone: "+47 900 00 000",
			Notes: "Samtale:\tmor\r\nringte"}
	}
	if _, err := valid().Validate(today, nil); err != nil {
		t.Fatalf("valid input refused: %v", ErrorFields(err))
	}
	for _, tc := range []struct {
		field string
		set   func(*CaseInput)
		want  string
	}{
		{"person_name", func(in *CaseInput) { in.PersonName = "Kari\x00" }, "kontrolltegn (U+0000)"},
		{"person_name", func(in *CaseInput) { in.PersonName = "Kari\nNordmann" }, "kontrolltegn (U+000A)"},
		{"residence_municipality", func(in *CaseInput) { in.Residence = "B\xe6rum" }, "ugyldige tegn (ikke gyldig UTF-8)"},
		{"guardian_name", func(in *CaseInput) { in.GuardianName = "Ola\tNordmann" }, "kontrolltegn (U+0009)"},
		{"police_report_ref", func(in *CaseInput) { in.PoliceReportRef = "12\u008534" }, "kontrolltegn (U+0085)"},
		{"notes", func(in *CaseInput) { in.Notes = "ok\x1b[31m" }, "kontrolltegn (U+001B)"},
		{"notes", func(in *CaseInput) { in.Notes = "ok \xff" }, "ugyldige tegn"},
		{"intra_family_reason", func(in *CaseInput) { in.IntraFamilyReason = "grunn\x07" }, "kontrolltegn (U+0007)"},
	} {
		in := valid()
		tc.set(&in)
		_, err := in.Validate(today, nil)
		fe := ErrorFields(err)
		if !strings.Contains(fe[tc.field], tc.want) || len(fe) != 1 {
			t.Errorf("%s: %v, want %q beside the field", tc.field, fe, tc.want)
		}
	}
}

func TestTextProblemRefusesDirectionOverrides(t *testing.T) {
	for _, s := range []string{"Ola\u202eTest", "Kari\u2066x\u2069"} {
		if TextProblem(s, false) == "" {
			t.Errorf("%q was accepted", s)
		}
	}
	if p := TextProblem("Åse Ødegård-Æsøy", false); p != "" {
		t.Errorf("a Norwegian name was refused: %s", p)
	}
}
