package stats

import (
	"math"
	"sort"
)

// Set is every figure published together at one suppression limit, and the
// relations a reader can use to work a hidden one out: sums (a table's cells
// add up to its total, a unit's figures to its sections' and its own, a
// unit's cases to its residents' and the others') and bounds (the number of
// safety ratings cannot exceed the conversations). Suppression is decided on
// the whole set at once, so no combination of pages, downloads and report
// reveals what one of them hides.
type Set struct {
	cells []*Cell
	seen  map[*Cell]bool
	sums  []relation
	les   [][2]*Cell // small ≤ big
	// summaries are those whose relations are in the set.
	summaries []*Summary
}

// relation is total = Σ parts.
type relation struct {
	total *Cell
	parts []*Cell
}

func (s *Set) add(cs ...*Cell) {
	if s.seen == nil {
		s.seen = map[*Cell]bool{}
	}
	for _, c := range cs {
		if c != nil && !s.seen[c] {
			s.seen[c] = true
			s.cells = append(s.cells, c)
		}
	}
}

// Sum records total = Σ parts.
func (s *Set) Sum(total *Cell, parts ...*Cell) {
	var ps []*Cell
	for _, p := range parts {
		if p != nil {
			ps = append(ps, p)
		}
	}
	s.add(total)
	s.add(ps...)
	s.sums = append(s.sums, relation{total, ps})
}

// AtMost records small ≤ big: small counts a subset of big's cases.
func (s *Set) AtMost(small, big *Cell) {
	s.add(small, big)
	s.les = append(s.les, [2]*Cell{small, big})
}

// Suppress hides, with limit n, every count from 1 to n-1 (primary) and then
// enough other counts (secondary) that none of the hidden ones can be worked
// out. Zeros stay visible, so a reader knows a hidden count is at least 1.
// Rules, per relation: a visible total has no hidden part, or at least two
// whose sum is at least n and more than their number (so neither the parts
// nor their sum is a small count, and they are not all 1); a hidden total
// has a hidden part; a bound's small side is hidden when its big side is.
// Then the whole set is checked as a system of equations and bounds, and
// any count still determined gets a guard, until none is.
func (s *Set) Suppress(n int) {
	for _, c := range s.cells {
		c.Hidden = n > 1 && c.Value >= 1 && c.Value < n
	}
	if n <= 1 {
		return
	}
	for {
		for s.local(n) {
		}
		xs := s.determined()
		if len(xs) == 0 {
			return
		}
		// Guard every determined count in one round: each elimination is
		// the costly part, and guards seldom make one another redundant.
		hid := false
		for _, x := range xs {
			hid = s.repair(x) || hid
		}
		if !hid {
			return
		}
	}
}

// local applies the per-relation rules once; it reports whether it hid
// anything.
func (s *Set) local(n int) bool {
	changed := false
	for _, r := range s.sums {
		k, sum := 0, 0
		for _, p := range r.parts {
			if p.Hidden {
				k, sum = k+1, sum+p.Value
			}
		}
		switch {
		case !r.total.Hidden && (k == 1 || (k >= 2 && (sum <= k || sum < n))):
			if !hideSmallest(r.parts) {
				r.total.Hidden = true
			}
			changed = true
		case r.total.Hidden && k == 0:
			hideSmallest(r.parts)
			changed = true
		}
	}
	for _, le := range s.les {
		if le[1].Hidden && !le[0].Hidden && le[0].Value > 0 {
			le[0].Hidden, changed = true, true
		}
	}
	return changed
}

// hideSmallest hides the smallest non-zero visible cell (the least
// information lost); false if there is none.
func hideSmallest(cs []*Cell) bool {
	var best *Cell
	for _, c := range cs {
		if !c.Hidden && c.Value > 0 && (best == nil || c.Value < best.Value) {
			best = c
		}
	}
	if best == nil {
		return false
	}
	best.Hidden = true
	return true
}

// repair guards x, a hidden count the set still determines: it hides the
// smallest visible count of a relation x is in, or failing that of any
// relation, so every round hides at least one more.
func (s *Set) repair(x *Cell) bool {
	var near, all []*Cell
	for _, r := range s.sums {
		members := append([]*Cell{r.total}, r.parts...)
		all = append(all, members...)
		for _, m := range members {
			if m == x {
				near = append(near, members...)
				break
			}
		}
	}
	if !hideSmallest(near) && !hideSmallest(all) {
		// Everything non-zero is hidden: with only zeros visible nothing
		// can be determined, so this is not reached.
		return false
	}
	return true
}

// determined lists the hidden counts that the visible counts, the relations
// and "every hidden count is at least 1" determine: those solved by the
// equations (Gauss–Jordan over the hidden counts), else those pinned by
// narrowing each hidden count's range by the sums and bounds until nothing
// changes.
func (s *Set) determined() []*Cell {
	idx := map[*Cell]int{}
	var vars []*Cell
	for _, c := range s.cells {
		if c.Hidden {
			idx[c] = len(vars)
			vars = append(vars, c)
		}
	}
	if len(vars) == 0 {
		return nil
	}
	if xs := s.solved(idx, vars); len(xs) > 0 {
		return xs
	}
	return s.pinned(idx, vars)
}

// solved is the linear-algebra half of determined: a hidden count whose unit
// vector lies in the row space of the equations. The equations are sparse (a
// sum has a handful of members), so elimination keeps rows as maps and an
// index of which rows hold each count.
func (s *Set) solved(idx map[*Cell]int, vars []*Cell) []*Cell {
	e := &elimination{pivot: map[int]map[int]float64{}, holds: map[int]map[int]bool{}}
	for _, r := range s.sums {
		row := map[int]float64{}
		for i, m := range append([]*Cell{r.total}, r.parts...) {
			if j, ok := idx[m]; ok {
				if i == 0 {
					row[j]++
				} else {
					row[j]--
				}
			}
		}
		e.add(row)
	}
	var found []*Cell
	for j, pr := range e.pivot {
		if len(pr) == 1 {
			found = append(found, vars[j])
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return order(found[i], found[j], idx) })
	return found
}

// elimination is Gauss–Jordan elimination over sparse rows.
type elimination struct {
	pivot map[int]map[int]float64 // pivot count → its row, reduced
	holds map[int]map[int]bool    // count → pivots whose rows hold it
}

const eps = 1e-9

// add reduces row by the pivots and, unless nothing is left, makes it a
// pivot, keeping the other pivots' rows reduced by it.
func (e *elimination) add(row map[int]float64) {
	e.reduce(row)
	lead := -1
	for j := range row {
		if lead < 0 || j < lead {
			lead = j
		}
	}
	if lead < 0 {
		return
	}
	f := row[lead]
	for k := range row {
		row[k] /= f
	}
	for p := range e.holds[lead] {
		pr := e.pivot[p]
		g := pr[lead]
		for k, w := range row {
			pr[k] -= g * w
			if math.Abs(pr[k]) < eps {
				delete(pr, k)
				delete(e.holds[k], p)
			} else {
				note(e.holds, k, p)
			}
		}
	}
	delete(e.holds, lead)
	e.pivot[lead] = row
	for k := range row {
		note(e.holds, k, lead)
	}
}

// reduce subtracts the pivots' rows from row until none of its counts is a
// pivot, dropping what cancels out.
func (e *elimination) reduce(row map[int]float64) {
	for reduced := false; !reduced; {
		reduced = true
		for j, v := range row {
			if math.Abs(v) < eps {
				delete(row, j)
				continue
			}
			if pr, ok := e.pivot[j]; ok {
				for k, w := range pr {
					row[k] -= v * w
				}
				delete(row, j)
				reduced = false
				break
			}
		}
	}
}

// order puts smaller counts first, then the set's own order, so guards are
// chosen the same way every time.
func order(a, b *Cell, idx map[*Cell]int) bool {
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	return idx[a] < idx[b]
}

// note records v in the set m[k].
func note(m map[int]map[int]bool, k, v int) {
	if m[k] == nil {
		m[k] = map[int]bool{}
	}
	m[k][v] = true
}

// pinned is the range half of determined: every hidden count starts at
// [1, ∞); each sum narrows its members from the others' ranges, each bound
// its two sides; a count whose range closes to one value is determined.
func (s *Set) pinned(idx map[*Cell]int, vars []*Cell) []*Cell {
	b := newBounds(idx, len(vars))
	for round := 0; round < 200; round++ {
		changed := false
		for _, r := range s.sums {
			changed = b.narrowSum(r) || changed
		}
		for _, le := range s.les {
			sl, _ := b.rng(le[0])
			_, bh := b.rng(le[1])
			changed = b.set(le[1], sl, unbounded) || changed
			changed = b.set(le[0], 0, bh) || changed
		}
		if !changed {
			break
		}
	}
	var out []*Cell
	for j, c := range vars {
		if b.lo[j] == b.hi[j] {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return order(out[i], out[j], idx) })
	return out
}

// unbounded is a range's open upper end.
const unbounded = math.MaxInt32

// bounds are the ranges hidden counts may lie in, as far as the published
// figures tell; a shown count is its own value.
type bounds struct {
	idx    map[*Cell]int
	lo, hi []int
}

func newBounds(idx map[*Cell]int, n int) *bounds {
	b := &bounds{idx: idx, lo: make([]int, n), hi: make([]int, n)}
	for j := range b.lo {
		b.lo[j], b.hi[j] = 1, unbounded
	}
	return b
}

func (b *bounds) rng(c *Cell) (int, int) {
	if j, ok := b.idx[c]; ok {
		return b.lo[j], b.hi[j]
	}
	return c.Value, c.Value
}

// set narrows c's range to [l, h]; it reports whether it changed.
func (b *bounds) set(c *Cell, l, h int) bool {
	j, ok := b.idx[c]
	if !ok {
		return false
	}
	ch := false
	if l > b.lo[j] {
		b.lo[j], ch = l, true
	}
	if h < b.hi[j] {
		b.hi[j], ch = h, true
	}
	return ch
}

// narrowSum narrows the total of a sum from its parts, and each part from
// the total and the others.
func (b *bounds) narrowSum(r relation) bool {
	tl, th := b.rng(r.total)
	sl, sh, open := 0, 0, 0 // open: parts without an upper bound
	for _, p := range r.parts {
		l, h := b.rng(p)
		sl += l
		if h >= unbounded {
			open++
		} else {
			sh += h
		}
	}
	changed := false
	if open == 0 {
		changed = b.set(r.total, sl, sh)
	} else {
		changed = b.set(r.total, sl, unbounded)
	}
	for _, p := range r.parts {
		l, h := b.rng(p)
		lower := 0 // the others may be large
		if open == 0 || (open == 1 && h >= unbounded) {
			others := sh
			if h < unbounded {
				others -= h
			}
			lower = max(tl-others, 0)
		}
		upper := unbounded
		if th < unbounded {
			upper = th - (sl - l)
		}
		changed = b.set(p, lower, upper) || changed
	}
	return changed
}
