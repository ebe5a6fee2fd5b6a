// Package stats builds the annual summary of SPEC §7 from the store's counts:
// tables by dimension, small-count suppression, and the JSON, CSV and XLSX
// exports.
package stats

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
	// TotalLabel names an Own table's total ("" for «I alt»).
	TotalLabel string

	total *Cell // the cell Total is read from
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

// Suppress hides, with suppress = n, every count from 1 to n-1 and enough
// other cells that no hidden cell can be worked out from the visible cells
// and the totals (see Set.Suppress for the rules). shared is the total every
// non-Own table adds up to; an Own table adds up to its own Total. It
// reports whether the shared total is hidden.
func Suppress(tables []*Table, shared, n int) bool {
	var set Set
	total := &Cell{Key: "total", Value: shared}
	set.add(total)
	for _, t := range tables {
		t.total = total
		if t.Own {
			t.total = &Cell{Key: "total", Value: t.Total}
		}
		set.Sum(t.total, t.Cells...)
	}
	set.Suppress(n)
	for _, t := range tables {
		t.TotalHidden = t.total.Hidden
	}
	return total.Hidden
}
