package stats

import (
	"context"
	"fmt"
	"sort"

	"tryggspor/internal/tryggspor"
)

// Summary is one year's figures for a unit and the units below it, with the
// previous year beside it, after suppression.
type Summary struct {
	Year     int
	Unit     string // "" for the whole installation
	UnitName string
	// Municipality is the unit's own municipality (the report's "bosatt i
	// …"); Residence is set when the summary counts only its residents.
	Municipality, Residence     string
	Suppress                    int
	Total                       int
	TotalHidden                 bool
	Tables                      []*Table // by_category, by_outcome, handovers, by_residence, by_role, by_age_band, reported
	Prev                        int
	PrevHidden                  bool
	PrevByCat                   *Table // last year's categories, suppressed against last year's total
	SafetyBefore, SafetyAfter   float64
	SafetyBeforeN, SafetyAfterN int
	SafetyHidden                bool
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

// Counter is the store's aggregate query.
type Counter interface {
	SummaryCounts(ctx context.Context, year int, units []string, residence string) (tryggspor.Counts, error)
	ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error)
}

// Build computes the summary for year and unit (with the units below it; ""
// for all units) and applies suppression.
func Build(ctx context.Context, st Counter, year int, unit string, suppress int) (*Summary, error) {
	return BuildResidents(ctx, st, year, unit, "", suppress)
}

// BuildResidents is Build for the cases of residents of one municipality
// (all when residence is "").
func BuildResidents(ctx context.Context, st Counter, year int, unit, residence string, suppress int) (*Summary, error) {
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	var units []string
	name, municipality := "Alle enheter", ""
	if unit != "" {
		found := false
		for _, o := range orgs {
			if o.Code == unit && o.Kind == tryggspor.OrgPoliceUnit {
				found, name, municipality = true, o.Name, o.Municipality
			}
		}
		if !found {
			return nil, tryggspor.Invalid("Ukjent enhet %q.", unit)
		}
		units = tryggspor.Subtree(unit, orgs)
	}
	this, err := st.SummaryCounts(ctx, year, units, residence)
	if err != nil {
		return nil, err
	}
	prev, err := st.SummaryCounts(ctx, year-1, units, residence)
	if err != nil {
		return nil, err
	}
	s := FromCounts(year, unit, name, suppress, this, prev)
	s.Municipality, s.Residence = municipality, residence
	return s, nil
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
}

// terms are a dimension's keys and labels: the vocabulary's, or the keys that
// occur in m, sorted, labelled by themselves.
func terms(vocab string, m map[string]int) []tryggspor.Term {
	if vocab != "" {
		return tryggspor.Terms(vocab)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]tryggspor.Term, len(keys))
	for i, k := range keys {
		out[i] = tryggspor.Term{Code: k, Label: k}
	}
	return out
}

func counts(c tryggspor.Counts, key string) map[string]int {
	return map[string]map[string]int{"by_category": c.Category, "by_outcome": c.Outcome, "handovers": c.Handover,
		"by_residence": c.Residence, "by_role": c.Role, "by_age_band": c.AgeBand, "reported": c.Reported}[key]
}

// FromCounts builds and suppresses the summary from raw counts.
func FromCounts(year int, unit, unitName string, suppress int, this, prev tryggspor.Counts) *Summary {
	s := &Summary{Year: year, Unit: unit, UnitName: unitName, Suppress: suppress, Total: this.Total, Prev: prev.Total}
	for _, d := range dims {
		m := counts(this, d.key)
		t := &Table{Key: d.key, Title: d.title, Total: this.Total, Own: d.key == "handovers"}
		if t.Own {
			t.Total = 0 // handovers add up to their own total, not to the cases'
		}
		for _, term := range terms(d.vocab, m) {
			t.Cells = append(t.Cells, &Cell{Key: term.Code, Label: term.Label, Value: m[term.Code]})
			if t.Own {
				t.Total += m[term.Code]
			}
		}
		s.Tables = append(s.Tables, t)
	}
	s.TotalHidden = Suppress(s.Tables, this.Total, suppress)
	s.PrevByCat = &Table{Key: "by_category", Title: "Kategori", Total: prev.Total}
	for _, term := range tryggspor.Terms("category") {
		s.PrevByCat.Cells = append(s.PrevByCat.Cells, &Cell{Key: term.Code, Label: term.Label, Value: prev.Category[term.Code]})
	}
	s.PrevHidden = Suppress([]*Table{s.PrevByCat}, prev.Total, suppress)
	s.SafetyBeforeN, s.SafetyAfterN = this.SafetyBeforeN, this.SafetyAfterN
	if this.SafetyBeforeN > 0 {
		s.SafetyBefore = float64(this.SafetyBeforeSum) / float64(this.SafetyBeforeN)
	}
	if this.SafetyAfterN > 0 {
		s.SafetyAfter = float64(this.SafetyAfterSum) / float64(this.SafetyAfterN)
	}
	// A mean over fewer than n people can reveal one child's own rating.
	s.SafetyHidden = suppress > 1 && (this.SafetyBeforeN < suppress || this.SafetyAfterN < suppress)
	return s
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
