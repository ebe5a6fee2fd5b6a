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
		fe.Add("kind", "Velg en type: politienhet, skole, Barnehuset, kommunal tjeneste eller annen (police_unit, school, barnehuset, municipal_service eller other).")
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
	case o.Parent == o.Code:
		fe.Add("parent", "«"+orgName(o)+"» kan ikke ligge under seg selv.")
	case o.Kind == OrgPoliceUnit && parent.Kind != OrgPoliceUnit:
		fe.Add("parent", "En politienhet må ligge under en politienhet: «"+orgName(parent)+"» er ikke en politienhet. "+
			"Velg en politienhet, eller ingen.")
	case o.Kind != OrgPoliceUnit && o.Kind.Valid() && parent.Kind == OrgPoliceUnit:
		fe.Add("parent", "«"+orgName(o)+"» kan ikke ligge under «"+orgName(parent)+"», som er en politienhet: "+
			"bare politienheter ligger under politiet. Velg en kommunal tjeneste eller annen organisasjon, eller ingen.")
	default:
		if chain := cycle(o, byCode); chain != nil {
			fe.Add("parent", "«"+orgName(o)+"» kan ikke ligge under «"+strings.Join(chain, "», som ligger under «")+"».")
		}
	}
	return fe
}

// cycle returns the names from o's parent up to o itself when o's parent
// lies (directly or further up) under o; nil when it does not.
func cycle(o Organisation, byCode map[string]Organisation) []string {
	var chain []string
	seen := map[string]bool{}
	for p := o.Parent; p != ""; p = byCode[p].Parent {
		if seen[p] {
			return nil // a loop above o that o is not part of; reported for those organisations
		}
		seen[p] = true
		if p == o.Code {
			return append(chain, orgName(o))
		}
		chain = append(chain, orgName(byCode[p]))
	}
	return nil
}

// orgName is an organisation's name, or its code when it has none.
func orgName(o Organisation) string {
	if strings.TrimSpace(o.Name) != "" {
		return o.Name
	}
	return o.Code
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
