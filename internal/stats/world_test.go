package stats

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"tryggspor/internal/tryggspor"
)

// district is a fake store: a police district with units and sections, each
// with random cases by residence.
type district struct {
	orgs  []tryggspor.Organisation
	cases map[string]map[string]tryggspor.Counts // unit → residence → counts
}

func newDistrict(r *rand.Rand, units, sections, perSection int) *district {
	d := &district{cases: map[string]map[string]tryggspor.Counts{}}
	places := []string{"Oslo", "Bærum", "Asker", "Lier", "Drammen"}
	d.orgs = append(d.orgs, tryggspor.Organisation{Code: "d", Name: "Distrikt", Kind: tryggspor.OrgPoliceUnit, Municipality: "Oslo"})
	for u := 0; u < units; u++ {
		uc := fmt.Sprint("u", u)
		d.orgs = append(d.orgs, tryggspor.Organisation{Code: uc, Name: uc, Kind: tryggspor.OrgPoliceUnit, Parent: "d", Municipality: places[u%len(places)]})
		for s := 0; s < sections; s++ {
			sc := fmt.Sprint(uc, "s", s)
			d.orgs = append(d.orgs, tryggspor.Organisation{Code: sc, Name: sc, Kind: tryggspor.OrgPoliceUnit, Parent: uc, Municipality: places[(u+s)%len(places)]})
			d.cases[sc] = map[string]tryggspor.Counts{}
			for _, p := range places {
				d.cases[sc][p] = randomCounts(r, r.Intn(perSection/len(places)+1), []string{p})
			}
		}
	}
	return d
}

func (d *district) ListOrganisations(context.Context) ([]tryggspor.Organisation, error) {
	return d.orgs, nil
}

func (d *district) SummaryCounts(_ context.Context, _ int, units []string, residence string) (tryggspor.Counts, error) {
	var out tryggspor.Counts
	in := map[string]bool{}
	for _, u := range units {
		in[u] = true
	}
	for u, byPlace := range d.cases {
		if units != nil && !in[u] {
			continue
		}
		for p, c := range byPlace {
			if residence == "" || residence == p {
				out = add(out, c, 1)
			}
		}
	}
	return out, nil
}

// BenchmarkWorld suppresses one year of a district of 6 units with 6
// sections each (43 police units, residents split out for each) at limit 5.
func BenchmarkWorld(b *testing.B) {
	d := newDistrict(rand.New(rand.NewSource(1)), 6, 6, 60)
	orgs, _ := d.ListOrganisations(context.Background())
	for i := 0; i < b.N; i++ {
		if _, err := buildWorld(context.Background(), d, orgs, 2024, 5); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWorldsHoldTogether builds random districts' years as the service does
// — installation, units, sections, each unit's own cases, residents and the
// others — and checks the whole published set with the oracle.
func TestWorldsHoldTogether(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 300; i++ {
		d := newDistrict(r, 1+r.Intn(3), 1+r.Intn(3), []int{5, 15, 40}[r.Intn(3)])
		n := 2 + r.Intn(5)
		orgs, _ := d.ListOrganisations(context.Background())
		w, err := buildWorld(context.Background(), d, orgs, 2024, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range w.set.cells {
			if !c.Hidden && c.Value >= 1 && c.Value < n {
				t.Fatalf("district %d (n=%d): visible %s=%d", i, n, c.Key, c.Value)
			}
		}
		if x := oracle(w.set); x != "" {
			t.Fatalf("district %d (n=%d): %s", i, n, x)
		}
	}
}
