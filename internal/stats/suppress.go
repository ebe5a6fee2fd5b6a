// Package stats builds the annual summary of SPEC §7 from the store's counts:
// tables by dimension, small-count suppression, and the JSON, CSV and XLSX
// exports.
package stats

import "sort"

// Mark is what every hidden cell shows: Statistics Norway's sign for "not
// shown for confidentiality". The same mark for primary and secondary
// suppression, so a reader cannot tell the small cells from their guards.
const Mark = ":"

// Cell is one count in a table.
type Cell struct {
	Key    string
	Label  string
	Value  int
	Hidden bool
}

// Table is one breakdown whose cells add up to Total: the summary's shared
// total, or (Own) a total of its own, such as handovers.
type Table struct {
	Key         string
	Title       string
	Cells       []*Cell
	Total       int
	Own         bool
	TotalHidden bool
}

func (t *Table) hidden() (k, sum int) {
	for _, c := range t.Cells {
		if c.Hidden {
			k++
			sum += c.Value
		}
	}
	return k, sum
}

// Suppress hides, with suppress = n, every count from 1 to n-1 and enough other
// cells that no hidden cell can be worked out from the visible cells and the
// totals. Zeros stay visible, so a reader knows each hidden cell is at least
// 1; a table's hidden cells are therefore safe when there are none, or at least
// two whose sum exceeds their number (otherwise each would have to be 1).
//
// shared is the total every non-Own table adds up to. When it is itself
// small, it and every non-zero cell are hidden. It reports whether the shared
// total is hidden.
func Suppress(tables []*Table, shared, n int) bool {
	if n <= 1 {
		return false
	}
	if shared >= 1 && shared < n {
		hideAll(tables)
		return true
	}
	for _, t := range tables {
		if t.Own && t.Total >= 1 && t.Total < n {
			hideAll([]*Table{t})
			continue
		}
		for _, c := range t.Cells {
			c.Hidden = c.Value >= 1 && c.Value < n
		}
		if !guard(t) {
			if !t.Own {
				hideAll(tables) // the shared total cannot protect this table
				return true
			}
			hideAll([]*Table{t})
		}
	}
	return false
}

// guard adds secondary suppression to t, smallest non-zero visible cell
// first, until its hidden cells are safe; false if it cannot.
func guard(t *Table) bool {
	for {
		k, sum := t.hidden()
		if k == 0 || (k >= 2 && sum > k) {
			return true
		}
		var cand []*Cell
		for _, c := range t.Cells {
			if !c.Hidden && c.Value > 0 {
				cand = append(cand, c)
			}
		}
		if len(cand) == 0 {
			return false
		}
		sort.SliceStable(cand, func(i, j int) bool { return cand[i].Value < cand[j].Value })
		cand[0].Hidden = true
	}
}

// hideAll hides every non-zero cell of tables, and their totals.
func hideAll(tables []*Table) {
	for _, t := range tables {
		for _, c := range t.Cells {
			c.Hidden = c.Value > 0
		}
		t.TotalHidden = t.Total > 0
	}
}
