// Package sheet writes the CSV files Tryggspor hands to Excel in Norway:
// UTF-8 with a byte-order mark, ';' between cells, and every text cell
// formula-safe (OWASP "CSV injection"). It is the one writer for the
// statistics and the audit log, so both neutralise the same cells.
package sheet

import (
	"encoding/csv"
	"io"
	"regexp"
)

// Writer writes rows of cells. The byte-order mark goes before the first
// row, so a writer can stream straight into a response.
type Writer struct {
	out     io.Writer
	csv     *csv.Writer
	started bool
}

// NewWriter returns a writer to w.
func NewWriter(w io.Writer) *Writer {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	return &Writer{out: w, csv: cw}
}

// Write writes one row, each cell made Safe.
func (w *Writer) Write(row []string) error {
	if !w.started {
		w.started = true
		if _, err := io.WriteString(w.out, "\ufeff"); err != nil {
			return err
		}
	}
	safe := make([]string, len(row))
	for i, v := range row {
		safe[i] = Safe(v)
	}
	return w.csv.Write(safe)
}

// Flush writes what is buffered and reports any error so far.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// number is a cell a spreadsheet reads as a number: an integer or a decimal
// with a comma, optionally signed. "-5" is minus five, not a formula.
var number = regexp.MustCompile(`^[+-]?[0-9]+(,[0-9]+)?$`)

// Safe neutralises a text cell a spreadsheet would run as a formula: one
// starting with =, +, -, @, tab or carriage return gets a leading
// apostrophe, which Excel and LibreOffice show as text. Numbers, signed or
// not, are left as they are.
func Safe(v string) string {
	if v == "" || number.MatchString(v) {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}

// IsNumber says whether a cell is a number as Safe sees it (for a workbook
// that stores numbers as numbers).
func IsNumber(v string) bool { return number.MatchString(v) }
