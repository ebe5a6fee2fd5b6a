// Package orgs reads organisation lists (code,name,kind,parent,municipality[,orgno])
// from CSV, as exported from a spreadsheet, and checks them as a whole: every
// bad row is reported, and the police unit tree must hang together.
package orgs

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"tryggspor/internal/tryggspor"
)

// columns are the file's columns; orgno (the organisation number) is
// optional.
var columns = []string{"code", "name", "kind", "parent", "municipality", "orgno"}

// readRows reads every record of a CSV file separated by ';' or ',' (as the
// header line shows), with or without a byte-order mark.
func readRows(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
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
	return rows, nil
}

// ParseCSV reads the file and returns the organisations, or an error listing
// every bad row as "row N, column X: message" (the header is row 1). known
// holds organisations already in the database, which parents may refer to.
func ParseCSV(r io.Reader, known []tryggspor.Organisation) ([]tryggspor.Organisation, error) {
	rows, err := readRows(r)
	if err != nil {
		return nil, err
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
	var out []tryggspor.Organisation
	seen := map[string]int{}
	for n, row := range rows[1:] {
		o := tryggspor.Organisation{Code: get(row, "code"), Name: get(row, "name"), Kind: tryggspor.OrgKind(get(row, "kind")),
			Parent: get(row, "parent"), Municipality: get(row, "municipality"), OrgNo: tryggspor.NormaliseOrgNo(get(row, "orgno"))}
		if prev, dup := seen[o.Code]; dup {
			errs = append(errs, fmt.Errorf("row %d, column code: %q also on row %d", n+2, o.Code, prev))
		}
		seen[o.Code] = n + 2
		out = append(out, o)
	}
	if _, ok := idx["orgno"]; !ok {
		// A file without the column keeps the numbers already registered.
		for i := range out {
			for _, k := range known {
				if k.Code == out[i].Code {
					out[i].OrgNo = k.OrgNo
				}
			}
		}
	}
	all := append(append([]tryggspor.Organisation{}, known...), out...)
	for i, o := range out {
		fe := o.Validate(all)
		for _, col := range columns {
			if msg, bad := fe[col]; bad {
				errs = append(errs, fmt.Errorf("row %d, column %s: %s", i+2, col, msg))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
