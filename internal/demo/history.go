package demo

import (
	"fmt"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// history is 2020 and 2021 for unit Vest, made so that 2021 reproduces the
// figures of the SLT Bærum annual report 2021, section 2.1.3: 229 cases; 93
// safety conversations, 124 declined, 12 no response; 9 handovers (3 to
// school, 6 to Barnehuset); 76 Bærum residents by category 25/8/20/19/4/0, of
// whom 32 had a conversation and 42 declined ("litt over 30" and "i overkant
// av 40"). 2020 is invented to give a previous year to compare with.
var history = []yearPlan{
	{year: 2021, groups: []group{
		{unit: "baerum", residence: "Bærum", cats: []int{25, 8, 20, 19, 4, 0}, conv: 32, declined: 42, school: 3, barnehuset: 6},
		{unit: "asker", residence: "Asker", cats: []int{23, 13, 20, 10, 2, 1}, conv: 26, declined: 35},
		{unit: "majorstua", residence: "Oslo", cats: []int{29, 16, 22, 12, 4, 1}, conv: 35, declined: 47},
	}},
	{year: 2020, groups: []group{
		{unit: "baerum", residence: "Bærum", cats: []int{22, 12, 18, 12, 5, 1}, conv: 28, declined: 39, school: 2, barnehuset: 3},
		{unit: "asker", residence: "Asker", cats: []int{19, 10, 15, 9, 3, 0}, conv: 22, declined: 31},
		{unit: "majorstua", residence: "Oslo", cats: []int{24, 14, 17, 10, 3, 2}, conv: 30, declined: 37},
	}},
}

type yearPlan struct {
	year   int
	groups []group
}

// group is one unit's cases for a year; those with neither conversation nor
// decline had no response.
type group struct {
	unit, residence    string
	cats               []int // by category, in tryggspor.Categories order
	conv, declined     int
	school, barnehuset int
}

// HistoryCSV renders the history as the spreadsheet an officer would import,
// so the demo goes through the same import as real data.
func HistoryCSV() string {
	var b strings.Builder
	b.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;safety_before;safety_after\n")
	for _, y := range history {
		n := 0
		for _, g := range y.groups {
			i := 0
			for ci, count := range g.cats {
				for k := 0; k < count; k++ {
					b.WriteString(g.row(y.year, n, i, string(tryggspor.Categories[ci])))
					i, n = i+1, n+1
				}
			}
		}
	}
	return b.String()
}

// row spreads dates over the year and interleaves outcomes across categories.
func (g group) row(year, n, i int, cat string) string {
	reg := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n*353)%350)
	age, role := 12+(n%6), "victim"
	if n%17 == 0 {
		role = "witness"
	}
	if cat == string(tryggspor.CatHateCrime) && n%3 == 0 {
		age = 19 + n%30
	}
	reported := "yes"
	if n%4 == 0 {
		reported = "no"
	}
	total := 0
	for _, c := range g.cats {
		total += c
	}
	// Walk outcomes with a stride coprime to the group size so each category
	// gets a mix of outcomes.
	slot := (i * 7) % total
	if total%7 == 0 {
		slot = (i * 11) % total
	}
	outcome, on := "no_response", reg.AddDate(0, 0, 21)
	var dest, hoOn, before, after string
	switch {
	case slot < g.conv:
		outcome, on = "conversation", reg.AddDate(0, 0, 9)
		before, after = fmt.Sprint(1+n%3), fmt.Sprint(3+n%3)
		if slot < g.school {
			dest = "bekkestua-ungdomsskole"
		} else if slot < g.school+g.barnehuset {
			dest = "barnehuset-oslo"
		}
		if dest != "" {
			hoOn = on.AddDate(0, 0, 7).Format("2006-01-02")
		}
	case slot < g.conv+g.declined:
		outcome, on = "declined", reg.AddDate(0, 0, 5)
	}
	return fmt.Sprintf("%s;%s;%s;%s;%d;%s;%s;%s;%s;%s;%s;%s;%s\n", reg.Format("2006-01-02"), g.unit, cat, role, age,
		g.residence, reported, outcome, on.Format("2006-01-02"), dest, hoOn, before, after)
}
