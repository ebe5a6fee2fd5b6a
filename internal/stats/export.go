package stats

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"tryggspor/internal/sheet"
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
		RepeatVictims     any            `json:"repeat_victims"`
		Measures          map[string]any `json:"measures"`
		// Suppress is the level the counts were suppressed with;
		// NotForPublication is true when it is below the deployment's.
		Suppress          int    `json:"suppress"`
		NotForPublication bool   `json:"not_for_publication"`
		PublicationNote   string `json:"publication_note"` // the warning in words ("" when it may be published)
	}{Year: s.Year, Unit: s.Unit, Total: value(s.Total, s.TotalHidden), PreviousYearTotal: 0,
		RepeatVictims: value(s.RepeatVictims, s.RepeatHidden), Suppress: s.Suppress, NotForPublication: s.NotForPublication(), PublicationNote: s.PublicationNote()}
	if s.PrevYear != nil {
		out.PreviousYearTotal = value(s.PrevYear.Total, s.PrevYear.TotalHidden)
	}
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
	mt := s.Table("measures")
	out.Measures = map[string]any{"agreed": value(s.MeasuresAgreed, s.MeasuresAgreedHidden), "evaluated": value(mt.Total, mt.TotalHidden)}
	for _, c := range mt.Cells {
		out.Measures[c.Key] = value(c.Value, c.Hidden)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Figure is one row of the exported sheet: this year, the previous year and
// the change, each as shown (a number or the mark).
type Figure struct {
	Table, Label, This, Prev, Change string
	TableKey, Key                    string
}

// prevCell is the previous year's cell with the same keys; a key that did
// not occur last year (a municipality) was 0.
func (s *Summary) prevCell(table, key string) (int, bool) {
	if s.PrevYear == nil {
		return 0, true
	}
	var c *Cell
	switch {
	case table == "" && key == "total":
		return s.PrevYear.Total, s.PrevYear.TotalHidden
	case table == "" && key == "repeat_victims":
		return s.PrevYear.RepeatVictims, s.PrevYear.RepeatHidden
	case table == "measures" && key == "agreed":
		return s.PrevYear.MeasuresAgreed, s.PrevYear.MeasuresAgreedHidden
	case key == "":
		t := s.PrevYear.Table(table)
		return t.Total, t.TotalHidden
	default:
		c = s.PrevYear.Cell(table, key)
	}
	if c == nil {
		return 0, false
	}
	return c.Value, c.Hidden
}

// NotComparable marks a change that is not given because one side has no
// value to compare (a mean without ratings): "–", not the hidden mark.
const NotComparable = "–"

// Change is this year minus last, signed, or the mark when either is hidden
// (a change beside a hidden figure would give it away).
func Change(v int, vh bool, p int, ph bool) string {
	if vh || ph {
		return Mark
	}
	if v-p > 0 {
		return "+" + strconv.Itoa(v-p)
	}
	return strconv.Itoa(v - p)
}

// Figures are the summary's counts and means as rows, in report order, with
// the previous year beside every row.
func (s *Summary) Figures() []Figure {
	row := func(table, label, tkey, key string, v int, vh bool) Figure {
		p, ph := s.prevCell(tkey, key)
		return Figure{Table: table, Label: label, This: Show(v, vh), Prev: Show(p, ph), Change: Change(v, vh, p, ph),
			TableKey: tkey, Key: key}
	}
	out := []Figure{row("Saker", "Saker i alt", "", "total", s.Total, s.TotalHidden)}
	out[0].TableKey = "total"
	rv := row("Saker", "Utsatt før (sak siste 12 måneder)", "", "repeat_victims", s.RepeatVictims, s.RepeatHidden)
	rv.TableKey = "total"
	out = append(out, rv)
	for _, t := range s.Tables {
		if t.Key == "measures" {
			out = append(out, row(t.Title, "Avtalt", t.Key, "agreed", s.MeasuresAgreed, s.MeasuresAgreedHidden))
		}
		for _, c := range t.Cells {
			out = append(out, row(t.Title, c.Label, t.Key, c.Key, c.Value, c.Hidden))
		}
		// A municipality that occurred last year but not this year is a
		// row too: 0 this year.
		if s.PrevYear != nil && t.Key == "by_residence" {
			for _, pc := range s.PrevYear.Table(t.Key).Cells {
				if s.Cell(t.Key, pc.Key) == nil {
					out = append(out, row(t.Title, pc.Label, t.Key, pc.Key, 0, false))
				}
			}
		}
		if t.Own {
			out = append(out, row(t.Title, cmp.Or(t.TotalLabel, "I alt"), t.Key, "", t.Total, t.TotalHidden))
		}
	}
	for _, m := range []struct {
		mean       func(*Summary) Mean
		label, key string
	}{
		{func(s *Summary) Mean { return s.MeanBefore }, "Snitt før samtalen (1–5)", "before"},
		{func(s *Summary) Mean { return s.MeanAfter }, "Snitt ved avslutning (1–5)", "after"},
	} {
		this := m.mean(s)
		// A change is only given between two means that are both shown;
		// otherwise "–" (not comparable), never ":" (which says hidden).
		f := Figure{Table: "Trygghet", Label: m.label, This: Mean1(this), Prev: Mark, Change: NotComparable, TableKey: "safety", Key: m.key}
		n := Figure{Table: "Trygghet", Label: "Antall vurderinger (n), " + strings.TrimPrefix(m.label, "Snitt "),
			This: meanN(this), Prev: Mark, Change: NotComparable, TableKey: "safety", Key: m.key + "_n"}
		if s.PrevYear != nil {
			prev := m.mean(s.PrevYear)
			f.Prev, n.Prev = Mean1(prev), meanN(prev)
			if this.Shown && prev.Shown {
				f.Change = Decimal(this.Value-prev.Value, true)
				n.Change = Change(this.N, false, prev.N, false)
			}
		}
		out = append(out, f, n)
	}
	return out
}

// Mean1 is a mean with one decimal in Norwegian style (2,0), the mark when
// its n is hidden, or "–" when nobody has a rating.
func Mean1(m Mean) string {
	switch {
	case m.Shown:
		return Decimal(m.Value, false)
	case m.N == 0:
		return "–"
	}
	return Mark
}

func meanN(m Mean) string {
	if m.Shown || m.N == 0 {
		return strconv.Itoa(m.N)
	}
	return Mark
}

// Decimal formats f with one decimal and a decimal comma; signed adds "+"
// to a positive value.
func Decimal(f float64, signed bool) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if signed && f > 0 && s != "0.0" {
		s = "+" + s
	}
	return strings.Replace(s, ".", ",", 1)
}

// Footnote explains the mark, or says the counts are exact.
func (s *Summary) Footnote() string {
	if s.Suppress <= 1 {
		return "Eksakte tall (ingen prikking)."
	}
	return "«:» = ikke vist av personvernhensyn: tall under " + strconv.Itoa(s.Suppress) +
		", og tall som kunne avsløre dem, er skjult."
}

// PublicationFormat is the warning on everything made below the deployment's
// suppression level, as a format of the level used and the configured one
// (the pages translate the format, the sheets print it in bokmål).
const PublicationFormat = "Ikke for publisering: laget med prikkegrense %d, lavere enn tjenestens %d."

// PublicationNote is PublicationFormat filled in, or "" when the summary may
// be published.
func (s *Summary) PublicationNote() string {
	if !s.NotForPublication() {
		return ""
	}
	return fmt.Sprintf(PublicationFormat, s.Suppress, s.Configured)
}

// Scope names the unit and year the figures are for.
func (s *Summary) Scope() string {
	name := s.UnitName
	if s.Unit != "" {
		name += " (" + s.Unit + ") med enhetene under"
	}
	return fmt.Sprintf("%s, saker registrert i %d", name, s.Year)
}

// rows is the summary as a sheet: a header in words, one row per figure with
// this year, the previous year and the change, the keys for machines last,
// and notes at the bottom.
func (s *Summary) rows() [][]string {
	y, py := strconv.Itoa(s.Year), strconv.Itoa(s.Year-1)
	out := [][]string{{"Tabell", "Verdi", y, py, "Endring fra " + py, "Tabellnøkkel", "Verdinøkkel"}}
	for _, f := range s.Figures() {
		out = append(out, []string{f.Table, f.Label, f.This, f.Prev, f.Change, f.TableKey, f.Key})
	}
	out = append(out,
		[]string{"Merknad", "Omfang", s.Scope(), "", "", "note", "scope"},
		[]string{"Merknad", "Prikking", s.Footnote(), "", "", "note", "suppression"},
		[]string{"Merknad", "Prikkegrense", strconv.Itoa(s.Suppress), "", "", "note", "suppress"})
	if note := s.PublicationNote(); note != "" {
		// First and last, so neither the top of the sheet nor its notes
		// can be copied without it.
		warn := []string{"IKKE FOR PUBLISERING", note, "", "", "", "note", "not_for_publication"}
		out = append([][]string{warn}, append(out, warn)...)
	}
	return out
}

// CSV writes the summary for Excel in Norway (internal/sheet): UTF-8 with
// BOM, ';' separated, every text cell formula-safe.
func (s *Summary) CSV(w io.Writer) error {
	var buf bytes.Buffer
	sw := sheet.NewWriter(&buf)
	for _, row := range s.rows() {
		if err := sw.Write(row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// XLSX writes the summary as a workbook with one sheet. Text goes in as
// strings (never formulas); figures as numbers.
func (s *Summary) XLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	name := "Trygghetsprogrammet"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	for i, row := range s.rows() {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var val any = v
			if i > 0 && j >= 2 && j <= 4 && sheet.IsNumber(v) {
				if n, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err == nil {
					val = n
				}
			}
			if err := f.SetCellValue(name, cell, val); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(name, "A", "B", 28); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
