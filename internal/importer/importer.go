// Package importer reads cases from a spreadsheet export (SPEC §8): CSV in
// UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252, separated by
// ';' (Excel in Norway) or ',', or the first sheet of an .xlsx workbook. Every
// row is checked before anything is written, every error is reported as "row
// N, column X: message" (the header is row 1), and each good row becomes a
// case with the same events a case worked in the UI would have, so statistics
// agree.
//
// The file is read as a stream, never held whole: once to check every row,
// and once more, inside one write transaction, to write the cases in chunks.
// Memory does not grow with the file, and a failure anywhere rolls back all.
package importer

import (
	"bytes"
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

// dateColumns may hold a spreadsheet's date serial numbers in an .xlsx.
var dateColumns = map[string]bool{"registered_on": true, "outcome_on": true, "handover_on": true, "birth_date": true}

// Errors lists every problem found; nothing is imported when it is not empty.
type Errors []string

func (e Errors) Error() string { return strings.Join(e, "\n") }

// maxErrors bounds the messages kept, so that a file where every row is bad
// cannot fill memory; the last message says how many more there were.
const maxErrors = 10000

// Parse reads a small file held in a reader and returns its rows, or Errors
// naming every bad row and column. orgs are the organisations that units,
// schools and handover destinations may name; allowUnit, when set, limits the
// units a row may name (an officer imports into their own unit only). today
// bounds the dates. Import streams instead and is the one to use for files.
func Parse(r io.Reader, orgs []tryggspor.Organisation, allowUnit func(string) bool, today time.Time) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	_, enc, err := survey(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var rows []Row
	err = scan(bytes.NewReader(data), enc, newParser(orgs, allowUnit, today, nil), func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func newParser(orgs []tryggspor.Organisation, allowUnit func(string) bool, today time.Time, places tryggspor.Places) *parser {
	byCode := make(map[string]tryggspor.Organisation, len(orgs))
	for _, o := range orgs {
		byCode[o.Code] = o
	}
	return &parser{orgs: byCode, allowUnit: allowUnit, today: today, places: places}
}

// scan reads the file of encoding enc from its start, checks the header and
// every row, and calls fn with each good row. It returns Errors listing every
// bad row (fn is then not called again after the first one), fn's own error,
// or a read error.
func scan(r io.Reader, enc string, p *parser, fn func(Row) error) error {
	recs, err := open(r, enc)
	if err != nil {
		return err
	}
	defer recs.close()
	p.serial = recs.serialDates()
	if err := readHeader(recs, enc, p); err != nil {
		return err
	}
	return scanRows(recs, p, fn)
}

// readHeader reads the first non-blank row as the header and sets p.cols.
func readHeader(recs records, enc string, p *parser) error {
	var head []string
	for head == nil {
		_, rec, err := recs.next()
		if err == io.EOF {
			return Errors{"row 1, column -: the file has no rows under the header"}
		} else if err != nil {
			return err
		}
		if !blank(rec) {
			head = rec
		}
	}
	if enc != EncodingXLSX && strings.Contains(strings.Join(head, ""), "\x00") {
		return Errors{"row 1, column -: filen ser ut som UTF-16 uten byte order mark (BOM); lagre den som «CSV UTF-8» eller «Unicode-tekst»"}
	}
	cols, errs := header(head)
	if len(errs) > 0 {
		return errs
	}
	p.cols = cols
	return nil
}

// scanRows checks the rows under the header; see scan.
func scanRows(recs records, p *parser, fn func(Row) error) error {
	var errs Errors
	var rows, more int
	for {
		line, rec, err := recs.next()
		if err == io.EOF {
			break
		} else if err != nil {
			var pe Errors
			if errors.As(err, &pe) {
				return append(errs, pe...)
			}
			return err
		}
		if blank(rec) {
			continue
		}
		rows++
		row, rowErrs := p.row(line, rec)
		switch {
		case len(rowErrs) > 0 && len(errs)+len(rowErrs) > maxErrors:
			more += len(rowErrs)
		case len(rowErrs) > 0:
			errs = append(errs, rowErrs...)
		case len(errs) == 0:
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	if more > 0 {
		errs = append(errs, fmt.Sprintf("… and %d more errors (the first %d are listed)", more, len(errs)))
	}
	if len(errs) > 0 {
		return errs
	}
	if rows == 0 {
		return Errors{"row 1, column -: the file has no rows under the header"}
	}
	return nil
}

// header maps each known column to its index. A column named twice is an
// error: which of the two was meant cannot be known.
func header(h []string) (map[string]int, Errors) {
	cols := map[string]int{}
	var errs Errors
	for i, name := range h {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if msg := tryggspor.TextProblem(name, false); msg != "" {
			errs = append(errs, fmt.Sprintf("row 1, column %d: %s", i+1, msg))
			continue
		}
		if !known[name] {
			errs = append(errs, fmt.Sprintf("row 1, column %s: unknown column (use the field names of the case data dictionary)", name))
			continue
		}
		if j, dup := cols[name]; dup {
			errs = append(errs, fmt.Sprintf("row 1, column %s: kolonnen finnes to ganger (kolonne %d og %d); fjern den ene", name, j+1, i+1))
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
