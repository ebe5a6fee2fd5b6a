package stats

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func value(v int, hidden bool) any {
	if hidden {
		return Mark
	}
	return v
}

// JSON writes exactly the shape of SPEC §7: every key present, counts as
// integers or the string ":" when hidden.
func (s *Summary) JSON(w io.Writer) error {
	out := struct {
		Year              int            `json:"year"`
		Unit              string         `json:"unit"`
		Total             any            `json:"total"`
		ByCategory        map[string]any `json:"by_category"`
		ByOutcome         map[string]any `json:"by_outcome"`
		Handovers         map[string]any `json:"handovers"`
		ByResidence       map[string]any `json:"by_residence"`
		ByRole            map[string]any `json:"by_role"`
		ByAgeBand         map[string]any `json:"by_age_band"`
		Reported          map[string]any `json:"reported"`
		PreviousYearTotal any            `json:"previous_year_total"`
	}{Year: s.Year, Unit: s.Unit, Total: value(s.Total, s.TotalHidden), PreviousYearTotal: value(s.Prev, s.PrevHidden)}
	for _, p := range []struct {
		key string
		dst *map[string]any
	}{{"by_category", &out.ByCategory}, {"by_outcome", &out.ByOutcome}, {"handovers", &out.Handovers},
		{"by_residence", &out.ByResidence}, {"by_role", &out.ByRole}, {"by_age_band", &out.ByAgeBand},
		{"reported", &out.Reported}} {
		m := map[string]any{}
		for _, c := range s.Table(p.key).Cells {
			m[c.Key] = value(c.Value, c.Hidden)
		}
		*p.dst = m
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// rows is the summary as a sheet: table, key, label, this year, previous
// year (categories only).
func (s *Summary) rows() [][]string {
	y, py := strconv.Itoa(s.Year), strconv.Itoa(s.Year-1)
	out := [][]string{{"tabell", "nøkkel", "betegnelse", y, py}}
	out = append(out, []string{"total", "total", "Saker i alt", Show(s.Total, s.TotalHidden), Show(s.Prev, s.PrevHidden)})
	for _, t := range s.Tables {
		for i, c := range t.Cells {
			row := []string{t.Key, c.Key, c.Label, Show(c.Value, c.Hidden), ""}
			if t.Key == "by_category" {
				pc := s.PrevByCat.Cells[i]
				row[4] = Show(pc.Value, pc.Hidden)
			}
			out = append(out, row)
		}
	}
	footnote := "Tall under " + strconv.Itoa(s.Suppress) + " og tall som kunne avsløre dem, er erstattet med «:» (ikke vist av personvernhensyn)."
	if s.Suppress <= 1 {
		footnote = "Eksakte tall (ingen prikking)."
	}
	return append(out, []string{"merknad", "", footnote, "", ""})
}

// CSV writes the summary for Excel in Norway: UTF-8 with BOM, ';' separated.
func (s *Summary) CSV(w io.Writer) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	if err := cw.WriteAll(s.rows()); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// XLSX writes the summary as a workbook with one sheet.
func (s *Summary) XLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Trygghetsprogrammet"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, row := range s.rows() {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var val any = v
			if n, err := strconv.Atoi(v); err == nil && j >= 3 {
				val = n
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sheet, "C", "C", 40); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// SafeCell neutralises a text cell a spreadsheet would run as a formula
// (OWASP "CSV injection"): one starting with =, +, -, @, tab or CR gets a
// leading apostrophe, which Excel and LibreOffice show as text.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
