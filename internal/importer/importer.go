// Package importer reads cases from a spreadsheet export (SPEC §8): UTF-8 CSV
// with or without BOM, separated by ';' (Excel in Norway) or ','. Every row is
// checked before anything is written, every error is reported as "row N,
// column X: message" (the header is row 1), and each good row becomes a case
// with the same events a case worked in the UI would have, so statistics agree.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// Row is one imported case with its timeline, ready for the store.
type Row struct {
	Line   int
	Case   tryggspor.Case
	Events []tryggspor.Event
}

var required = []string{"registered_on", "unit", "category", "role", "age", "residence_municipality", "reported"}

var known = map[string]bool{"registered_on": true, "unit": true, "category": true, "role": true, "age": true,
	"residence_municipality": true, "reported": true, "outcome": true, "outcome_on": true, "handover_to": true,
	"handover_on": true, "intra_family": true, "person_name": true, "birth_date": true, "guardian_name": true,
	"guardian_phone": true, "police_report_ref": true, "school": true, "notes": true, "ref": true,
	"safety_before": true, "safety_after": true, "handover_kind": true}

// Errors lists every problem found; nothing is imported when it is not empty.
type Errors []string

func (e Errors) Error() string { return strings.Join(e, "\n") }

// Parse reads the whole file and returns its rows, or Errors naming every bad
// row and column. orgs are the organisations that units, schools and handover
// destinations may name; allowUnit, when set, limits the units a row may name
// (an officer imports into their own unit only). today bounds the dates.
func Parse(r io.Reader, orgs []tryggspor.Organisation, allowUnit func(string) bool, today time.Time) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{fmt.Sprintf("row %d, column %d: %v", pe.StartLine, pe.Column, pe.Err)}
		}
		return nil, err
	}
	if len(records) < 2 {
		return nil, Errors{"row 1, column -: the file has no rows under the header"}
	}
	cols, errs := header(records[0])
	if len(errs) > 0 {
		return nil, errs
	}
	byCode := map[string]tryggspor.Organisation{}
	for _, o := range orgs {
		byCode[o.Code] = o
	}
	p := &parser{cols: cols, orgs: byCode, allowUnit: allowUnit, today: today}
	rows := make([]Row, 0, len(records)-1)
	for i, rec := range records[1:] {
		if blank(rec) {
			continue
		}
		row, rowErrs := p.row(i+2, rec)
		errs = append(errs, rowErrs...)
		if len(rowErrs) == 0 {
			rows = append(rows, row)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

func header(h []string) (map[string]int, Errors) {
	cols := map[string]int{}
	var errs Errors
	for i, name := range h {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if !known[name] {
			errs = append(errs, fmt.Sprintf("row 1, column %s: unknown column (use the field names of the case data dictionary)", name))
			continue
		}
		cols[name] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			errs = append(errs, fmt.Sprintf("row 1, column %s: required column is missing", c))
		}
	}
	return cols, errs
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
