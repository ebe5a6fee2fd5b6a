package tryggspor

import (
	"regexp"
	"strings"
)

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate checks an organisation against the others (all, which may include
// an older version of o itself): code shape, kind, and a parent that exists,
// is not o or below o, and is a police unit when o is one. Messages are keyed
// by the CSV column names.
func (o Organisation) Validate(all []Organisation) FieldErrors {
	fe := FieldErrors{}
	if !codeRe.MatchString(o.Code) {
		fe.Add("code", "Koden kan bare ha små bokstaver, sifre og bindestrek.")
	}
	if strings.TrimSpace(o.Name) == "" {
		fe.Add("name", "Feltet må fylles ut.")
	}
	if !o.Kind.Valid() {
		fe.Add("kind", "Velg en av typene police_unit, school, barnehuset, municipal_service eller other.")
	}
	o.validateOrgNo(all, fe)
	if o.Parent == "" {
		return fe
	}
	byCode := map[string]Organisation{}
	for _, x := range all {
		byCode[x.Code] = x
	}
	byCode[o.Code] = o
	parent, ok := byCode[o.Parent]
	switch {
	case !ok:
		fe.Add("parent", "Ukjent overordnet organisasjon «"+o.Parent+"».")
	case o.Kind == OrgPoliceUnit && parent.Kind != OrgPoliceUnit:
		fe.Add("parent", "En politienhet må ligge under en politienhet.")
	default:
		for seen, p := map[string]bool{}, o.Parent; p != ""; p = byCode[p].Parent {
			if p == o.Code || seen[p] {
				fe.Add("parent", "Organisasjonen kan ikke ligge under seg selv.")
				break
			}
			seen[p] = true
		}
	}
	return fe
}

// validateOrgNo checks the optional organisation number: nine digits with a
// valid check digit, and not the number of another organisation.
func (o Organisation) validateOrgNo(all []Organisation, fe FieldErrors) {
	if o.OrgNo == "" {
		return
	}
	if !ValidOrgNo(o.OrgNo) {
		fe.Add("orgno", "Organisasjonsnummeret må ha ni sifre med riktig kontrollsiffer.")
		return
	}
	for _, x := range all {
		if x.OrgNo == o.OrgNo && x.Code != o.Code {
			fe.Add("orgno", "Organisasjonsnummeret er allerede brukt av «"+x.Code+"».")
			return
		}
	}
}
