package tryggspor

// CaseField is one field of the register form and the case (SPEC §4): the
// one table its label in both languages, whether it is personal, whether a
// correction may change it, how a value is entered and where the form keeps
// it come from. The vocabulary's "field" dimension, the corrections (what
// may be corrected, with which input, which may be left empty), the subject
// access report and its JSON, and the privacy record all read it; a new
// case field is one entry here (and a column where it is stored).
type CaseField struct {
	Code     string
	Label    string // bokmål
	English  string
	Personal bool // personal data: encrypted, removed by anonymisation
	// Input is how a value is entered (Kind, and Dim for coded values).
	Input FieldSpec
	// Correctable: a correction event may change it; Optional: a
	// correction may leave it empty.
	Correctable, Optional bool
	in                    func(*CaseInput) *string
}

var caseFields = []CaseField{
	{Code: "registered_on", Label: "Registrert dato", English: "Registered on", Input: FieldSpec{Kind: FieldDate},
		Correctable: true, in: func(i *CaseInput) *string { return &i.RegisteredOn }},
	{Code: "category", Label: "Kategori", English: "Category", Input: FieldSpec{Kind: FieldSelect, Dim: "category"},
		Correctable: true, in: func(i *CaseInput) *string { return &i.Category }},
	{Code: "role", Label: "Rolle", English: "Role", Input: FieldSpec{Kind: FieldRadio, Dim: "role"},
		Correctable: true, in: func(i *CaseInput) *string { return &i.Role }},
	{Code: "age", Label: "Alder", English: "Age", Input: FieldSpec{Kind: FieldNumber},
		Correctable: true, in: func(i *CaseInput) *string { return &i.Age }},
	{Code: "residence_municipality", Label: "Bostedskommune", English: "Municipality of residence", Input: FieldSpec{Kind: FieldText},
		Correctable: true, in: func(i *CaseInput) *string { return &i.Residence }},
	{Code: "reported", Label: "Anmeldt", English: "Reported to police", Input: FieldSpec{Kind: FieldRadio, Dim: "yesno"},
		Correctable: true, in: func(i *CaseInput) *string { return &i.Reported }},
	{Code: "intra_family", Label: "Gjerningsperson i samme familie", English: "Offender in the same family",
		Input: FieldSpec{Kind: FieldRadio, Dim: "yesno"}, in: func(i *CaseInput) *string { return &i.IntraFamily }},
	{Code: "intra_family_reason", Label: "Begrunnelse for å ta inn saken", English: "Reason for taking the case", Personal: true,
		Input: FieldSpec{Kind: FieldTextarea}, in: func(i *CaseInput) *string { return &i.IntraFamilyReason }},
	{Code: "school", Label: "Skole", English: "School", Input: FieldSpec{Kind: FieldOrg},
		Correctable: true, Optional: true, in: func(i *CaseInput) *string { return &i.School }},
	{Code: "person_name", Label: "Navn", English: "Name", Personal: true, Input: FieldSpec{Kind: FieldText},
		Correctable: true, in: func(i *CaseInput) *string { return &i.PersonName }},
	{Code: "birth_date", Label: "Fødselsdato", English: "Date of birth", Personal: true, Input: FieldSpec{Kind: FieldDate},
		Correctable: true, Optional: true, in: func(i *CaseInput) *string { return &i.BirthDate }},
	{Code: "guardian_name", Label: "Foresattes navn", English: "Guardian's name", Personal: true, Input: FieldSpec{Kind: FieldText},
		Correctable: true, in: func(i *CaseInput) *string { return &i.GuardianName }},
	{Code: "guardian_phone", Label: "Foresattes telefon", English: "Guardian's phone", Personal: true, Input: FieldSpec{Kind: FieldText},
		Correctable: true, in: func(i *CaseInput) *string { return &i.GuardianPhone }},
	{Code: "police_report_ref", Label: "Anmeldelsesnummer", English: "Police report reference", Personal: true,
		Input: FieldSpec{Kind: FieldText}, Correctable: true, Optional: true, in: func(i *CaseInput) *string { return &i.PoliceReportRef }},
	{Code: "notes", Label: "Notater", English: "Notes", Personal: true, Input: FieldSpec{Kind: FieldTextarea},
		Correctable: true, Optional: true, in: func(i *CaseInput) *string { return &i.Notes }},
}

// CaseFields are the case's fields in the register form's order (shared:
// callers must not change it).
func CaseFields() []CaseField { return caseFields }

// CaseFieldOf is the field named code; ok is false for an unknown code.
func CaseFieldOf(code string) (CaseField, bool) { return caseField(code) }

// caseField is the field named code; ok is false for an unknown code.
func caseField(code string) (CaseField, bool) {
	for _, f := range caseFields {
		if f.Code == code {
			return f, true
		}
	}
	return CaseField{}, false
}

// fieldTerms are the case fields as a vocabulary dimension ("field").
var fieldTerms = func() []Term {
	out := make([]Term, len(caseFields))
	for i, f := range caseFields {
		out[i] = Term{f.Code, f.Label}
	}
	return out
}()

// correctable lists the case fields a correction event may change.
var correctable = func() []string {
	var out []string
	for _, f := range caseFields {
		if f.Correctable {
			out = append(out, f.Code)
		}
	}
	return out
}()

// PersonalField reports whether a case field is personal (P) data.
func PersonalField(code string) bool {
	f, ok := caseField(code)
	return ok && f.Personal
}

// field returns a pointer to the named field of in, nil for an unknown one.
func (in *CaseInput) field(name string) *string {
	if f, ok := caseField(name); ok {
		return f.in(in)
	}
	return nil
}

// FieldValue is the case's value of the field named code as the register
// form holds it (codes, YYYY-MM-DD dates, "yes"/"no"); "" for an unknown
// field.
func (c *Case) FieldValue(code string) string {
	in := c.input()
	if f := in.field(code); f != nil {
		return *f
	}
	return ""
}
