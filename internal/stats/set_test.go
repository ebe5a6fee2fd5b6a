package stats

import (
	"fmt"
	"math/rand"
	"testing"

	"tryggspor/internal/tryggspor"
)

// randomCounts aggregates n random cases the way the store does: one
// category, outcome, residence, role, age band and reported value each; a
// handover and safety ratings only after a conversation.
func randomCounts(r *rand.Rand, n int, places []string) tryggspor.Counts {
	c := tryggspor.Counts{Category: map[string]int{}, Outcome: map[string]int{}, Handover: map[string]int{},
		Residence: map[string]int{}, Role: map[string]int{}, AgeBand: map[string]int{}, Reported: map[string]int{}}
	pick := func(dim string) string {
		codes := tryggspor.Codes(dim)
		if r.Intn(3) == 0 { // skewed: small cells are common
			return codes[0]
		}
		return codes[r.Intn(len(codes))]
	}
	for i := 0; i < n; i++ {
		c.Total++
		c.Category[pick("category")]++
		o := pick("outcome")
		c.Outcome[o]++
		if o == "conversation" {
			if r.Intn(4) == 0 {
				c.Handover[pick("handover_kind")]++
			}
			if r.Intn(3) > 0 {
				c.SafetyBeforeN++
				c.SafetyBeforeSum += 1 + r.Intn(5)
			}
			if r.Intn(2) > 0 {
				c.SafetyAfterN++
				c.SafetyAfterSum += 1 + r.Intn(5)
			}
		}
		c.Residence[places[r.Intn(len(places))]]++
		c.Role[pick("role")]++
		c.AgeBand[pick("age_band")]++
		c.Reported[pick("reported")]++
	}
	return c
}

// randomSet is a unit with one to three sections, and sometimes its
// residents of one place and the others split out, related as buildWorld
// relates them.
func randomSet(r *rand.Rand) (*Set, []*Summary) {
	places := []string{"Bærum", "Asker", "Oslo"}[:1+r.Intn(3)]
	size := []int{2, 6, 12, 30}[r.Intn(4)]
	var set Set
	var parts []*Summary
	var total, local tryggspor.Counts
	for i := 0; i < 1+r.Intn(3); i++ {
		var sec tryggspor.Counts
		for j, pl := range places {
			c := randomCounts(r, r.Intn(size+1), []string{pl})
			sec = add(sec, c, 1)
			if j == 0 {
				local = add(local, c, 1)
			}
		}
		s := newSummary(2021, fmt.Sprint("s", i), "", 0, sec)
		s.relate(&set)
		parts = append(parts, s)
		total = add(total, sec, 1)
	}
	unit := newSummary(2021, "u", "", 0, total)
	unit.relate(&set)
	link(&set, unit, parts...)
	all := append([]*Summary{unit}, parts...)
	if r.Intn(2) == 0 {
		l := newSummary(2021, "u", "", 0, local)
		l.relate(&set)
		o := newSummary(2021, "u", "", 0, add(total, local, -1))
		o.relate(&set)
		link(&set, unit, l, o)
		if c := unit.Cell("by_residence", places[0]); c != nil {
			set.Sum(c, l.total)
		}
		all = append(all, l, o)
	}
	return &set, all
}

// oracle says which hidden count, if any, the published figures determine:
// by exact elimination modulo a large prime (a hidden count is determined
// when its unit vector is in the row space of the sums), and by narrowing
// each hidden count's range from [1, ∞) with the sums and bounds.
func oracle(set *Set) string {
	const p = 2147483647
	idx := map[*Cell]int{}
	var vars []*Cell
	for _, c := range set.cells {
		if c.Hidden {
			idx[c] = len(vars)
			vars = append(vars, c)
		}
	}
	if len(vars) == 0 {
		return ""
	}
	var rows [][]int64
	for _, rel := range set.sums {
		row := make([]int64, len(vars))
		used := false
		if j, ok := idx[rel.total]; ok {
			row[j], used = (row[j]+1)%p, true
		}
		for _, c := range rel.parts {
			if j, ok := idx[c]; ok {
				row[j], used = (row[j]+p-1)%p, true
			}
		}
		if used {
			rows = append(rows, row)
		}
	}
	inv := func(a int64) int64 { // a^(p-2) mod p
		res, b, e := int64(1), a%p, int64(p-2)
		for e > 0 {
			if e&1 == 1 {
				res = res * b % p
			}
			b, e = b*b%p, e>>1
		}
		return res
	}
	pivots := map[int][]int64{}
	for _, row := range rows {
		for col, pr := range pivots { // reduce by the pivots found so far
			if row[col] != 0 {
				f := row[col]
				for k := range row {
					row[k] = ((row[k]-f*pr[k])%p + p) % p
				}
			}
		}
		lead := -1
		for k, v := range row {
			if v != 0 {
				lead = k
				break
			}
		}
		if lead < 0 {
			continue
		}
		f := inv(row[lead])
		for k := range row {
			row[k] = row[k] * f % p
		}
		for col, pr := range pivots { // keep the pivots reduced
			if pr[lead] != 0 {
				g := pr[lead]
				for k := range pr {
					pr[k] = ((pr[k]-g*row[k])%p + p) % p
				}
				pivots[col] = pr
			}
		}
		pivots[lead] = row
	}
	for col, pr := range pivots {
		others := 0
		for k, v := range pr {
			if v != 0 && k != col {
				others++
			}
		}
		if others == 0 {
			return fmt.Sprintf("hidden %s=%d is solved by the sums", vars[col].Key, vars[col].Value)
		}
	}
	// Ranges.
	const big = int64(1) << 40
	lo, hi := make([]int64, len(vars)), make([]int64, len(vars))
	for j := range vars {
		lo[j], hi[j] = 1, big
	}
	get := func(c *Cell) (int64, int64) {
		if j, ok := idx[c]; ok {
			return lo[j], hi[j]
		}
		return int64(c.Value), int64(c.Value)
	}
	tighten := func(c *Cell, l, h int64) bool {
		j, ok := idx[c]
		if !ok {
			return false
		}
		ch := false
		if l > lo[j] {
			lo[j], ch = l, true
		}
		if h < hi[j] {
			hi[j], ch = h, true
		}
		return ch
	}
	for round := 0; round < 1000; round++ {
		again := false
		for _, rel := range set.sums {
			tl, th := get(rel.total)
			var sl, sh int64
			for _, c := range rel.parts {
				l, h := get(c)
				sl, sh = sl+l, min(sh+h, big)
			}
			again = tighten(rel.total, sl, sh) || again
			for i, c := range rel.parts {
				var othersLo, othersHi int64
				for j, o := range rel.parts {
					if j != i {
						l, h := get(o)
						othersLo, othersHi = othersLo+l, min(othersHi+h, big)
					}
				}
				floor, ceil := int64(0), big
				if othersHi < big {
					floor = tl - othersHi
				}
				if th < big {
					ceil = th - othersLo
				}
				again = tighten(c, floor, ceil) || again
			}
		}
		for _, le := range set.les {
			l, _ := get(le[0])
			_, h := get(le[1])
			again = tighten(le[1], l, big) || again
			again = tighten(le[0], 0, h) || again
		}
		if !again {
			break
		}
	}
	for j, c := range vars {
		if lo[j] == hi[j] {
			return fmt.Sprintf("hidden %s=%d is pinned to one value by the ranges", c.Key, c.Value)
		}
	}
	return ""
}

// TestSuppressionHoldsAcrossLinkedTables checks 20,000 random sets — a unit,
// its sections, every table, handovers and the n of both safety means — at
// limits 0 to 7: no count from 1 to n-1 is visible, zeros are, no hidden
// count follows from the published ones (solved independently: exact
// elimination modulo a prime, and ranges narrowed by the sums and bounds),
// the hidden parts of a sum with a visible total add up to neither a small
// count nor their number, and a mean is shown only with its n.
func TestSuppressionHoldsAcrossLinkedTables(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	hiddenSeen := 0
	for i := 0; i < 20000; i++ {
		set, sums := randomSet(r)
		n := r.Intn(8)
		set.Suppress(n)
		for _, s := range sums {
			s.settle()
		}
		for _, c := range set.cells {
			if c.Hidden {
				hiddenSeen++
			}
			if n > 1 && !c.Hidden && c.Value >= 1 && c.Value < n {
				t.Fatalf("set %d (n=%d): visible small count %s=%d", i, n, c.Key, c.Value)
			}
			if c.Hidden && c.Value == 0 {
				t.Fatalf("set %d: a zero is hidden (%s)", i, c.Key)
			}
			if n <= 1 && c.Hidden {
				t.Fatalf("set %d: n=%d hides %s", i, n, c.Key)
			}
		}
		for _, rel := range set.sums {
			if rel.total.Hidden {
				continue
			}
			k, sum := 0, 0
			for _, p := range rel.parts {
				if p.Hidden {
					k, sum = k+1, sum+p.Value
				}
			}
			if k > 0 && (k == 1 || sum <= k || sum < n) {
				t.Fatalf("set %d (n=%d): %s=%d has %d hidden parts adding up to %d", i, n, rel.total.Key, rel.total.Value, k, sum)
			}
		}
		for _, le := range set.les {
			if le[1].Hidden && !le[0].Hidden && le[0].Value > 0 {
				t.Fatalf("set %d (n=%d): %s=%d visible beside hidden %s it is part of", i, n, le[0].Key, le[0].Value, le[1].Key)
			}
		}
		for _, s := range sums {
			for j, m := range []Mean{s.MeanBefore, s.MeanAfter} {
				if m.Shown && (s.n[j].Hidden || (n > 1 && m.N < n)) {
					t.Fatalf("set %d: a mean over %d shown at n=%d", i, m.N, n)
				}
			}
		}
		if x := oracle(set); x != "" {
			t.Fatalf("set %d (n=%d): %s", i, n, x)
		}
	}
	if hiddenSeen == 0 {
		t.Fatal("no set hid anything: the generator is too tame")
	}
}

// TestOracleSeesADerivableCell makes sure the oracle is not blind: one hidden
// cell beside a visible total, two hidden cells of 1, and a bound that pins a
// cell are each caught.
func TestOracleSeesADerivableCell(t *testing.T) {
	a, b, c, tot := &Cell{Key: "a", Value: 25}, &Cell{Key: "b", Value: 4, Hidden: true}, &Cell{Key: "c", Value: 8}, &Cell{Key: "t", Value: 37}
	var set Set
	set.Sum(tot, a, b, c)
	if oracle(&set) == "" {
		t.Error("one hidden cell beside a visible total was not caught")
	}
	b.Value, c.Value, c.Hidden, a.Value, tot.Value = 1, 1, true, 25, 27
	if oracle(&set) == "" {
		t.Error("two hidden ones were not caught")
	}
	b.Value, c.Value, tot.Value = 2, 32, 59
	n := &Cell{Key: "n", Value: 32}
	set.AtMost(n, c)
	if oracle(&set) != "" {
		t.Error("hidden 2 and 32 with n=32 beside them: not determined (only bounded), yet flagged")
	}
	b.Value, tot.Value = 1, 58
	if oracle(&set) == "" {
		t.Error("hidden 1 and 32 with n=32 pin both, but were not caught")
	}
}
