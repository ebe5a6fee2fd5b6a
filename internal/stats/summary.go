package stats

import (
	"context"
	"fmt"
	"sort"

	"tryggspor/internal/tryggspor"
)

// Summary is one year's published figures for a unit and the units below it,
// after suppression. Every figure in it, and in the summaries it points to,
// was suppressed together with every other figure of its year (see world),
// so a page, a download and the report agree on what is hidden.
type Summary struct {
	Year     int
	Unit     string // "" for the whole installation
	UnitName string
	// Municipality is the unit's own municipality (the report's "bosatt i
	// …"); Residence is set when the summary counts only its residents.
	Municipality, Residence string
	Suppress                int
	// Configured is the deployment's publishing level; a summary made
	// below it is not for publication (NotForPublication).
	Configured  int
	Total       int
	TotalHidden bool
	// RepeatVictims are the cases whose person had a case in the 12 months
	// before, in any unit (SPEC §12), suppressed like any other count.
	RepeatVictims int
	RepeatHidden  bool
	// MeasuresAgreed are the follow-up plans' measures of the year's cases
	// (SPEC §13); the table "measures" holds them by their latest
	// evaluation, its own total the evaluated ones.
	MeasuresAgreed        int
	MeasuresAgreedHidden  bool
	Tables                []*Table // by_category, by_outcome, handovers, by_residence, by_role, by_age_band, reported
	MeanBefore, MeanAfter Mean
	// SafetyBefore and SafetyAfter are the means' values when shown, else 0.
	SafetyBefore, SafetyAfter float64

	// PrevYear is the same unit the year before, as that year's own summary
	// shows it (nil only for summaries that are themselves a previous year,
	// a section or a part); Prev and PrevHidden are its total.
	PrevYear   *Summary
	Prev       int
	PrevHidden bool
	// Sections are the units directly below this one (each with the units
	// below it) and, when it has any, the cases registered on this unit
	// itself (Direct).
	Sections []*Summary
	Direct   bool
	// Local is the residents of Municipality among this summary's cases.
	Local *Summary
	// Years are the five years up to Year, oldest first (the page only).
	Years []*Summary

	total  *Cell
	repeat *Cell
	agreed *Cell
	n      [2]*Cell // safety ratings before and after
	sums   [2]int
}

// Mean is an average safety rating and how many ratings it is over. It is
// shown only when its n is: a mean over a few children can reveal one
// child's own rating, and n bounds the conversation count.
type Mean struct {
	Value float64
	N     int
	Shown bool
}

// Table returns the table with key.
func (s *Summary) Table(key string) *Table {
	for _, t := range s.Tables {
		if t.Key == key {
			return t
		}
	}
	return nil
}

// Cell returns the cell of table key with code, or nil.
func (s *Summary) Cell(table, code string) *Cell {
	if t := s.Table(table); t != nil {
		for _, c := range t.Cells {
			if c.Key == code {
				return c
			}
		}
	}
	return nil
}

// Counter is the store's aggregate query.
type Counter interface {
	SummaryCounts(ctx context.Context, year int, units []string, residence string) (tryggspor.Counts, error)
	ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error)
}

// Build computes the summary for year and unit (with the units below it; ""
// for all units), with the previous year, suppressed with limit suppress.
func Build(ctx context.Context, st Counter, year int, unit string, suppress int) (*Summary, error) {
	return build(ctx, st, year, unit, suppress, 2)
}

// dims are the summary's tables in report order: JSON key, title, and the
// vocabulary their keys and labels come from (none for residence, whose keys
// are the municipalities that occur).
var dims = []struct{ key, title, vocab string }{
	{"by_category", "Kategori", "category"},
	{"by_outcome", "Utfall", "outcome"},
	{"handovers", "Overført til", "handover_kind"},
	{"by_residence", "Bosted", ""},
	{"by_role", "Rolle", "role"},
	{"by_age_band", "Alder", "age_band"},
	{"reported", "Anmeldt", "reported"},
	{"measures", "Tiltak i planene", "result"},
}

// terms are a dimension's keys and labels: the vocabulary's, or the keys that
// occur in m, sorted, labelled by themselves.
func terms(vocab string, m map[string]int) []tryggspor.Term {
	if vocab != "" {
		return tryggspor.Terms(vocab)
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]tryggspor.Term, len(keys))
	for i, k := range keys {
		out[i] = tryggspor.Term{Code: k, Label: k}
	}
	return out
}

// dimension is where Counts keeps the table named key: the one mapping from
// a table's key to its field, for reading and for writing.
func dimension(c *tryggspor.Counts, key string) *map[string]int {
	return map[string]*map[string]int{"by_category": &c.Category, "by_outcome": &c.Outcome, "handovers": &c.Handover,
		"by_residence": &c.Residence, "by_role": &c.Role, "by_age_band": &c.AgeBand, "reported": &c.Reported,
		"measures": &c.Measures}[key]
}

// newSummary lays out the raw counts as cells, before suppression.
func newSummary(year int, unit, unitName string, suppress int, c tryggspor.Counts) *Summary {
	s := &Summary{Year: year, Unit: unit, UnitName: unitName, Suppress: suppress, Total: c.Total,
		total:  &Cell{Key: "total", Label: "Saker i alt", Value: c.Total},
		repeat: &Cell{Key: "repeat_victims", Label: "Utsatt før (sak siste 12 måneder)", Value: c.RepeatVictims},
		agreed: &Cell{Key: "agreed", Label: "Avtalt", Value: c.MeasuresAgreed},
		n:      [2]*Cell{{Key: "n_before", Value: c.SafetyBeforeN}, {Key: "n_after", Value: c.SafetyAfterN}},
		sums:   [2]int{c.SafetyBeforeSum, c.SafetyAfterSum}}
	for _, d := range dims {
		m := *dimension(&c, d.key)
		// Handovers and measures have totals of their own: the cases
		// handed over, the measures evaluated.
		t := &Table{Key: d.key, Title: d.title, Own: d.key == "handovers" || d.key == "measures"}
		if d.key == "measures" {
			t.TotalLabel = "Evaluert"
		}
		for _, term := range terms(d.vocab, m) {
			t.Cells = append(t.Cells, &Cell{Key: term.Code, Label: term.Label, Value: m[term.Code]})
			t.Total += m[term.Code]
		}
		t.total = s.total
		if t.Own {
			t.total = &Cell{Key: "total", Label: "I alt", Value: t.Total}
		}
		s.Tables = append(s.Tables, t)
	}
	return s
}

// relate adds the summary's own relations to set: each table adds up to its
// total; handovers and safety ratings follow a held conversation.
func (s *Summary) relate(set *Set) {
	set.summaries = append(set.summaries, s)
	set.add(s.total)
	set.AtMost(s.repeat, s.total)
	set.add(s.agreed)
	set.AtMost(s.Table("measures").total, s.agreed) // a measure is evaluated only once agreed
	for _, t := range s.Tables {
		set.Sum(t.total, t.Cells...)
	}
	conv := s.Cell("by_outcome", "conversation")
	set.AtMost(s.Table("handovers").total, conv)
	for _, n := range s.n {
		set.AtMost(n, s.total)
		if n.Value <= conv.Value {
			set.AtMost(n, conv)
		}
	}
}

// cells lists every figure of the summary by a name that is the same in
// every summary, so a unit's figures can be tied to its parts'.
func (s *Summary) cells() map[string]*Cell {
	out := map[string]*Cell{"total": s.total, "repeat_victims": s.repeat, "n_before": s.n[0], "n_after": s.n[1],
		"measures_agreed": s.agreed}
	for _, t := range s.Tables {
		if t.Own {
			out[t.Key+"/"] = t.total
		}
		for _, c := range t.Cells {
			out[t.Key+"/"+c.Key] = c
		}
	}
	return out
}

// link adds whole = Σ parts for every figure of whole.
func link(set *Set, whole *Summary, parts ...*Summary) {
	pc := make([]map[string]*Cell, len(parts))
	for i, p := range parts {
		pc[i] = p.cells()
	}
	wc := whole.cells()
	names := make([]string, 0, len(wc))
	for k := range wc {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		var ps []*Cell
		for _, m := range pc {
			ps = append(ps, m[k])
		}
		set.Sum(wc[k], ps...)
	}
}

// settle copies the suppression decided on the cells to the summary's plain
// fields and computes the means that may be shown.
func (s *Summary) settle() {
	s.Total, s.TotalHidden = s.total.Value, s.total.Hidden
	s.RepeatVictims, s.RepeatHidden = s.repeat.Value, s.repeat.Hidden
	s.MeasuresAgreed, s.MeasuresAgreedHidden = s.agreed.Value, s.agreed.Hidden
	for _, t := range s.Tables {
		t.Total, t.TotalHidden = t.total.Value, t.total.Hidden
	}
	for i, m := range []*Mean{&s.MeanBefore, &s.MeanAfter} {
		n := s.n[i]
		m.N, m.Shown = n.Value, !n.Hidden && n.Value > 0
		if m.Shown {
			m.Value = float64(s.sums[i]) / float64(n.Value)
		}
	}
	s.SafetyBefore, s.SafetyAfter = s.MeanBefore.Value, s.MeanAfter.Value
}

// Show formats a count for display: the value, or the mark when hidden.
func Show(v int, hidden bool) string {
	if hidden {
		return Mark
	}
	return fmt.Sprint(v)
}

// HandoverTotal is the number of handovers (shown under the handover table).
func (s *Summary) HandoverTotal() (int, bool) {
	t := s.Table("handovers")
	return t.Total, t.TotalHidden
}

// FromCounts builds and suppresses a summary from raw counts alone: one unit
// with no sections and no previous year (tests and tools).
func FromCounts(year int, unit, unitName string, suppress int, this, prev tryggspor.Counts) *Summary {
	build := func(y int, c tryggspor.Counts) *Summary {
		s := newSummary(y, unit, unitName, suppress, c)
		var set Set
		s.relate(&set)
		set.Suppress(suppress)
		s.settle()
		return s
	}
	s := build(year, this)
	s.PrevYear = build(year-1, prev)
	s.Prev, s.PrevHidden = s.PrevYear.Total, s.PrevYear.TotalHidden
	return s
}

// NotForPublication says the summary was made with less suppression than the
// deployment publishes with: every page, download and report of it says so
// in its own text.
func (s *Summary) NotForPublication() bool { return s.Suppress < s.Configured }
