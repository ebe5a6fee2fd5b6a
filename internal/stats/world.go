package stats

import (
	"context"
	"fmt"

	"tryggspor/internal/tryggspor"
)

// world is every figure published for one year at one suppression limit:
// the installation, each police unit with the units below it, the cases
// registered on a unit that has units below it, and for each unit with a
// municipality its residents and the others. They are suppressed as one Set
// tied together by their sums, so a leader who reads the unit, each of its
// sections, the residents in the report and the comparison of sections side
// by side cannot subtract their way to a hidden count.
type world struct {
	year, suppress int
	all            *Summary
	units          map[string]*Summary // by code, with the units below
	direct         map[string]*Summary // units with sections: their own cases
	local          map[string]*Summary // residents of the unit's municipality
	kids           map[string][]string // police units by parent
	set            *Set
}

// buildWorld reads the year's counts for the organisations orgs (read once
// by the caller for all the years it builds) and suppresses them together.
func buildWorld(ctx context.Context, st Counter, orgs []tryggspor.Organisation, year, suppress int) (*world, error) {
	b := &worldBuilder{ctx: ctx, st: st, w: &world{year: year, suppress: suppress, units: map[string]*Summary{},
		direct: map[string]*Summary{}, local: map[string]*Summary{}, kids: map[string][]string{}},
		police: map[string]tryggspor.Organisation{}, raw: map[string]tryggspor.Counts{}}
	tops := b.tree(orgs)
	all, err := st.SummaryCounts(ctx, year, nil, "")
	if err != nil {
		return nil, fmt.Errorf("summary %d: %w", year, err)
	}
	rest := add(tryggspor.Counts{}, all, 1)
	var parts []*Summary
	for _, t := range tops {
		c, err := b.unit(t, map[string]bool{})
		if err != nil {
			return nil, err
		}
		rest = add(rest, c, -1)
		parts = append(parts, b.w.units[t])
	}
	w := b.w
	w.all = newSummary(year, "", "Alle enheter", suppress, all)
	w.all.relate(&b.set)
	other := newSummary(year, "", "", suppress, rest) // cases of no known unit: normally none
	other.relate(&b.set)
	link(&b.set, w.all, append(parts, other)...)
	if err := w.residents(ctx, st, &b.set, b.police, b.raw); err != nil {
		return nil, err
	}
	b.set.Suppress(suppress)
	w.set = &b.set
	for _, s := range b.set.summaries {
		s.settle()
	}
	return w, nil
}

// worldBuilder gathers a world's summaries and their relations.
type worldBuilder struct {
	ctx    context.Context
	st     Counter
	w      *world
	set    Set
	police map[string]tryggspor.Organisation
	raw    map[string]tryggspor.Counts
}

// tree records the police units by parent and returns the top ones.
func (b *worldBuilder) tree(orgs []tryggspor.Organisation) []string {
	for _, o := range orgs {
		if o.Kind == tryggspor.OrgPoliceUnit {
			b.police[o.Code] = o
		}
	}
	var tops []string
	for _, o := range orgs {
		if o.Kind != tryggspor.OrgPoliceUnit {
			continue
		}
		if _, ok := b.police[o.Parent]; ok && o.Parent != o.Code {
			b.w.kids[o.Parent] = append(b.w.kids[o.Parent], o.Code)
		} else {
			tops = append(tops, o.Code)
		}
	}
	return tops
}

// unit builds the summary of code with the units below it (and, when it has
// any, of its own cases), tied to its parts, and returns its raw counts.
func (b *worldBuilder) unit(code string, seen map[string]bool) (tryggspor.Counts, error) {
	if seen[code] {
		return tryggspor.Counts{}, fmt.Errorf("police units form a loop at %q", code)
	}
	seen[code] = true
	w := b.w
	own, err := b.st.SummaryCounts(b.ctx, w.year, []string{code}, "")
	if err != nil {
		return own, fmt.Errorf("summary %d %s: %w", w.year, code, err)
	}
	total := add(tryggspor.Counts{}, own, 1)
	var parts []*Summary
	for _, k := range w.kids[code] {
		c, err := b.unit(k, seen)
		if err != nil {
			return c, err
		}
		total = add(total, c, 1)
		parts = append(parts, w.units[k])
	}
	o := b.police[code]
	s := newSummary(w.year, code, o.Name, w.suppress, total)
	s.Municipality = o.Municipality
	s.relate(&b.set)
	if len(parts) > 0 {
		d := newSummary(w.year, code, o.Name, w.suppress, own)
		d.Direct = true
		d.relate(&b.set)
		w.direct[code] = d
		link(&b.set, s, append(parts, d)...)
	}
	w.units[code], b.raw[code] = s, total
	return total, nil
}

// residents adds, for each unit with a municipality, its residents and the
// others, tied to the unit and to its residence table.
func (w *world) residents(ctx context.Context, st Counter, set *Set, police map[string]tryggspor.Organisation, raw map[string]tryggspor.Counts) error {
	all := mapOrgs(police)
	for code, s := range w.units {
		m := police[code].Municipality
		if m == "" {
			continue
		}
		lc, err := st.SummaryCounts(ctx, w.year, tryggspor.Subtree(code, all), m)
		if err != nil {
			return fmt.Errorf("summary %d %s residents of %s: %w", w.year, code, m, err)
		}
		l := newSummary(w.year, code, s.UnitName, w.suppress, lc)
		l.Municipality, l.Residence = m, m
		l.relate(set)
		o := newSummary(w.year, code, s.UnitName, w.suppress, add(raw[code], lc, -1))
		o.relate(set)
		link(set, s, l, o)
		if c := s.Cell("by_residence", m); c != nil {
			set.Sum(c, l.total) // the same figure, in two places
		}
		w.local[code] = l
	}
	return nil
}

func mapOrgs(m map[string]tryggspor.Organisation) []tryggspor.Organisation {
	out := make([]tryggspor.Organisation, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	return out
}

// summary is the published summary of unit ("" for all), with its sections
// and residents.
func (w *world) summary(unit string) (*Summary, error) {
	if unit == "" {
		return w.all, nil
	}
	s, ok := w.units[unit]
	if !ok {
		return nil, tryggspor.Invalid("Ukjent enhet %q.", unit)
	}
	s.Sections = nil
	for _, k := range w.kids[unit] {
		s.Sections = append(s.Sections, w.units[k])
	}
	if d := w.direct[unit]; d != nil && d.Total > 0 {
		s.Sections = append(s.Sections, d)
	}
	s.Local = w.local[unit]
	return s, nil
}

// add returns a + sign·b, dimension by dimension.
func add(a, b tryggspor.Counts, sign int) tryggspor.Counts {
	out := tryggspor.Counts{Total: a.Total + sign*b.Total, RepeatVictims: a.RepeatVictims + sign*b.RepeatVictims,
		SafetyBeforeSum: a.SafetyBeforeSum + sign*b.SafetyBeforeSum, SafetyBeforeN: a.SafetyBeforeN + sign*b.SafetyBeforeN,
		SafetyAfterSum: a.SafetyAfterSum + sign*b.SafetyAfterSum, SafetyAfterN: a.SafetyAfterN + sign*b.SafetyAfterN,
		MeasuresAgreed: a.MeasuresAgreed + sign*b.MeasuresAgreed}
	for _, d := range dims {
		m := map[string]int{}
		for k, v := range *dimension(&a, d.key) {
			m[k] += v
		}
		for k, v := range *dimension(&b, d.key) {
			m[k] += sign * v
		}
		*dimension(&out, d.key) = m
	}
	return out
}
