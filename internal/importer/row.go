package importer

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

type parser struct {
	cols      map[string]int
	orgs      map[string]tryggspor.Organisation
	allowUnit func(string) bool
	today     time.Time
	serial    bool // date columns may hold spreadsheet serial numbers (.xlsx)
	places    tryggspor.Places
}

func (p *parser) get(rec []string, col string) string {
	if i, ok := p.cols[col]; ok && i < len(rec) {
		v := strings.TrimSpace(rec[i])
		if p.serial && dateColumns[col] {
			v = serialDate(v)
		}
		return v
	}
	return ""
}

// cellProblems checks every cell of the row for what no field may hold:
// invalid UTF-8 and control characters (notes may have line breaks and tabs).
// Such a cell is reported for what it is, not for what it fails to be.
func (p *parser) cellProblems(rec []string) map[string]string {
	var out map[string]string
	for col, i := range p.cols {
		if i >= len(rec) {
			continue
		}
		if msg := tryggspor.TextProblem(rec[i], col == "notes"); msg != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[col] = msg
		}
	}
	return out
}

// row checks one record with the register form's own rules, then builds its
// timeline.
func (p *parser) row(line int, rec []string) (Row, Errors) {
	in := tryggspor.CaseInput{
		RegisteredOn: p.get(rec, "registered_on"), Category: p.get(rec, "category"), Role: p.get(rec, "role"),
		Age: p.get(rec, "age"), Residence: p.get(rec, "residence_municipality"), Reported: yesNo(p.get(rec, "reported")),
		IntraFamily: yesNo(p.get(rec, "intra_family")), PersonName: p.get(rec, "person_name"),
		BirthDate: p.get(rec, "birth_date"), GuardianName: p.get(rec, "guardian_name"),
		GuardianPhone: p.get(rec, "guardian_phone"), PoliceReportRef: p.get(rec, "police_report_ref"),
		School: p.get(rec, "school"), Notes: p.get(rec, "notes"),
	}
	if in.IntraFamily == "" {
		in.IntraFamily = "no"
	}
	if in.IntraFamily == "yes" {
		in.IntraFamilyReason = "Importert fra regneark"
	}
	c, err := in.Validate(p.today, p.places)
	fe := tryggspor.ErrorFields(err)
	if fe == nil {
		fe = map[string]string{}
	}
	for col, msg := range p.cellProblems(rec) {
		fe[col] = msg
	}
	// Historical sheets are often anonymised: personal fields are optional here.
	for _, f := range []string{"person_name", "guardian_name", "guardian_phone"} {
		if fe[f] == "Feltet må fylles ut." {
			delete(fe, f)
		}
	}
	add := func(col, msg string) {
		if _, ok := fe[col]; !ok {
			fe[col] = msg
		}
	}
	c.Unit = p.get(rec, "unit")
	if o, ok := p.orgs[c.Unit]; !ok || o.Kind != tryggspor.OrgPoliceUnit {
		add("unit", fmt.Sprintf("%q is not a police unit in Tryggspor", c.Unit))
	} else if p.allowUnit != nil && !p.allowUnit(c.Unit) {
		add("unit", fmt.Sprintf("you may import cases only into your own unit, not %q", c.Unit))
	}
	if c.School != "" && p.orgs[c.School].Kind != tryggspor.OrgSchool {
		add("school", fmt.Sprintf("%q is not a school in Tryggspor", c.School))
	}
	evs := p.timeline(rec, &c, add)
	if len(fe) > 0 {
		return Row{}, rowErrors(line, fe)
	}
	return Row{Line: line, Case: c, Events: evs}, nil
}

func rowErrors(line int, fe map[string]string) Errors {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out Errors
	for _, k := range keys {
		col := k
		if col == "intra_family_reason" {
			col = "intra_family"
		}
		out = append(out, fmt.Sprintf("row %d, column %s: %s", line, col, fe[k]))
	}
	return out
}

func yesNo(s string) string {
	switch strings.ToLower(s) {
	case "yes", "ja", "j", "y", "1", "true":
		return "yes"
	case "no", "nei", "n", "0", "false":
		return "no"
	case "":
		return ""
	}
	return s
}
