package stats

import "context"

// HiddenCells lists, for tests, each unit's hidden figures in the year's
// world: unit code → figure name → value.
func HiddenCells(ctx context.Context, st Counter, year, suppress int) (map[string]map[string]int, error) {
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	w, err := buildWorld(ctx, st, orgs, year, suppress)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int{}
	for code, s := range w.units {
		out[code] = map[string]int{}
		for k, c := range s.cells() {
			if c.Hidden {
				out[code][k] = c.Value
			}
		}
	}
	return out, nil
}
