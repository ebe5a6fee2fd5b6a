// Package orgs reads organisation lists (code,name,kind,parent,municipality)
// from CSV, as exported from a spreadsheet, and checks them as a whole: every
// bad row is reported, and the police unit tree must hang together.
package orgs

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"tryggspor/internal/tryggspor"
)

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

var columns = []string{"code", "name", "kind", "parent", "municipality"}

// ParseCSV reads the file and returns the organisations, or an error listing
// every bad row as "row N, column X: message" (the header is row 1). known
// holds organisations already in the database, which parents may refer to.
func ParseCSV(r io.Reader, known []tryggspor.Organisation) ([]tryggspor.Organisation, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	cr := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	if len(rows) == 0 {
		return nil, errors.New("the file is empty")
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var errs []error
	for _, c := range columns[:3] {
		if _, ok := idx[c]; !ok {
			errs = append(errs, fmt.Errorf("row 1, column %s: missing column", c))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	get := func(row []string, col string) string {
		if i, ok := idx[col]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	kinds := map[string]tryggspor.OrgKind{}
	for _, o := range known {
		kinds[o.Code] = o.Kind
	}
	var out []tryggspor.Organisation
	seen := map[string]int{}
	for n, row := range rows[1:] {
		line := n + 2
		o := tryggspor.Organisation{Code: get(row, "code"), Name: get(row, "name"), Kind: tryggspor.OrgKind(get(row, "kind")),
			Parent: get(row, "parent"), Municipality: get(row, "municipality")}
		if !codeRe.MatchString(o.Code) {
			errs = append(errs, fmt.Errorf("row %d, column code: %q is not a code (lower-case letters, digits and -)", line, o.Code))
		} else if prev, dup := seen[o.Code]; dup {
			errs = append(errs, fmt.Errorf("row %d, column code: %q also on row %d", line, o.Code, prev))
		}
		seen[o.Code] = line
		if o.Name == "" {
			errs = append(errs, fmt.Errorf("row %d, column name: required", line))
		}
		if !o.Kind.Valid() {
			errs = append(errs, fmt.Errorf("row %d, column kind: %q is not one of police_unit, school, barnehuset, municipal_service, other", line, o.Kind))
		}
		kinds[o.Code] = o.Kind
		out = append(out, o)
	}
	for i, o := range out {
		if o.Parent == "" {
			continue
		}
		pk, ok := kinds[o.Parent]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("row %d, column parent: unknown organisation %q", i+2, o.Parent))
		case o.Parent == o.Code:
			errs = append(errs, fmt.Errorf("row %d, column parent: an organisation cannot be its own parent", i+2))
		case o.Kind == tryggspor.OrgPoliceUnit && pk != tryggspor.OrgPoliceUnit:
			errs = append(errs, fmt.Errorf("row %d, column parent: a police unit's parent must be a police unit", i+2))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
