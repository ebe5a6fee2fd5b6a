package stats

import (
	"math/rand"
	"testing"
)

// derivable reports whether some hidden cell of t can be worked out: from the
// table's total when it is visible, knowing that every hidden cell is at least
// 1 (zeros are shown).
func derivable(t *Table, totalKnown bool) bool {
	if !totalKnown {
		return false
	}
	k, sum := t.hidden()
	return k == 1 || (k >= 2 && sum == k)
}

func randomTables(r *rand.Rand) ([]*Table, int) {
	total := r.Intn(40)
	var tables []*Table
	for ti := 0; ti < 1+r.Intn(5); ti++ {
		t := &Table{Key: "t", Total: total}
		left := total
		n := 1 + r.Intn(6)
		for i := 0; i < n; i++ {
			v := left
			if i < n-1 {
				v = r.Intn(left + 1)
				if r.Intn(3) == 0 {
					v = r.Intn(min(left, 4) + 1)
				}
			}
			left -= v
			t.Cells = append(t.Cells, &Cell{Key: string(rune('a' + i)), Value: v})
		}
		tables = append(tables, t)
	}
	own := &Table{Key: "own", Own: true}
	for i := 0; i < r.Intn(4); i++ {
		v := r.Intn(5)
		own.Cells = append(own.Cells, &Cell{Value: v})
		own.Total += v
	}
	return append(tables, own), total
}

// TestSuppressionProperties checks random tables: no visible count is 1..n-1,
// zeros stay visible, and no hidden cell can be derived.
func TestSuppressionProperties(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 20000; i++ {
		tables, total := randomTables(r)
		n := r.Intn(7)
		totalHidden := Suppress(tables, total, n)
		if n > 1 && total >= 1 && total < n && !totalHidden {
			t.Fatalf("case %d: small total %d visible with n=%d", i, total, n)
		}
		for _, tb := range tables {
			known := !totalHidden
			if tb.Own {
				known = !tb.TotalHidden
			}
			for _, c := range tb.Cells {
				if !c.Hidden && n > 1 && c.Value >= 1 && c.Value < n {
					t.Fatalf("case %d: visible small count %d (n=%d)", i, c.Value, n)
				}
				if c.Hidden && c.Value == 0 {
					t.Fatalf("case %d: a zero is hidden", i)
				}
			}
			if n > 1 && derivable(tb, known) {
				t.Fatalf("case %d: table %s (total %d, n=%d) has a derivable hidden cell: %+v", i, tb.Key, tb.Total, n, cells(tb))
			}
		}
		// A visible shared total must not be derivable from an all-visible
		// table when it is hidden.
		if totalHidden {
			for _, tb := range tables {
				if k, _ := tb.hidden(); !tb.Own && k == 0 && total > 0 {
					t.Fatalf("case %d: hidden total %d readable from table %s", i, total, tb.Key)
				}
			}
		}
	}
}

func cells(t *Table) []Cell {
	var out []Cell
	for _, c := range t.Cells {
		out = append(out, *c)
	}
	return out
}

func TestSuppressExamples(t *testing.T) {
	tb := &Table{Key: "cat", Total: 76, Cells: []*Cell{{Value: 25}, {Value: 8}, {Value: 20}, {Value: 19}, {Value: 4}, {Value: 0}}}
	Suppress([]*Table{tb}, 76, 5)
	want := []bool{false, true, false, false, true, false} // 4 is small; 8, the smallest other, guards it
	for i, c := range tb.Cells {
		if c.Hidden != want[i] {
			t.Errorf("cell %d (%d): hidden=%v, want %v", i, c.Value, c.Hidden, want[i])
		}
	}
	tb = &Table{Key: "cat", Total: 76, Cells: []*Cell{{Value: 25}, {Value: 8}, {Value: 20}, {Value: 19}, {Value: 4}, {Value: 0}}}
	if Suppress([]*Table{tb}, 76, 0) || tb.Cells[4].Hidden {
		t.Error("suppress=0 must give exact counts")
	}
}
