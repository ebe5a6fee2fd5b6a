package store

import (
	"context"
	"fmt"
	"strings"

	"tryggspor/internal/tryggspor"
)

// SummaryCounts computes a year's figures for the given units (all units when
// units is nil), optionally only for residents of one municipality, with two
// aggregate queries over the case_counts rollup (kept by triggers).
func (s *Store) SummaryCounts(ctx context.Context, year int, units []string, residence string) (tryggspor.Counts, error) {
	where := `year = ?`
	args := []any{year}
	if units != nil {
		if len(units) == 0 {
			units = []string{""}
		}
		where += ` AND unit IN (` + strings.TrimSuffix(strings.Repeat("?,", len(units)), ",") + `)`
		for _, u := range units {
			args = append(args, u)
		}
	}
	if residence != "" {
		where += ` AND residence = ?`
		args = append(args, residence)
	}
	c := tryggspor.Counts{Category: map[string]int{}, Outcome: map[string]int{}, Handover: map[string]int{},
		Residence: map[string]int{}, Role: map[string]int{}, AgeBand: map[string]int{}, Reported: map[string]int{}}
	row := s.r.QueryRowContext(ctx, `SELECT COALESCE(sum(n), 0),
		`+sums("category", "violence", "robbery", "threats", "sexual_offence", "hate_crime", "other")+`,
		`+sums("outcome", "conversation", "declined", "no_response", "")+`,
		`+sums("handover_kind", "school", "barnehuset", "other")+`,
		`+sums("role", "victim", "witness")+`,
		`+sums("age_band", "0-12", "13-15", "16-17", "18+")+`,
		`+sums("reported", "yes", "no")+`,
		COALESCE(sum(sb_sum), 0), COALESCE(sum(sb_n), 0), COALESCE(sum(sa_sum), 0), COALESCE(sum(sa_n), 0)
		FROM case_counts WHERE `+where, args...)
	type target struct {
		m map[string]int
		k string
		v int
	}
	var targets []*target
	dst := []any{&c.Total}
	for _, m := range []struct {
		m    map[string]int
		keys []string
	}{
		{c.Category, []string{"violence", "robbery", "threats", "sexual_offence", "hate_crime", "other"}},
		{c.Outcome, []string{"conversation", "declined", "no_response", "open"}},
		{c.Handover, []string{"school", "barnehuset", "other"}},
		{c.Role, []string{"victim", "witness"}},
		{c.AgeBand, []string{"0-12", "13-15", "16-17", "18+"}},
		{c.Reported, []string{"yes", "no"}},
	} {
		for _, k := range m.keys {
			t := &target{m: m.m, k: k}
			targets = append(targets, t)
			dst = append(dst, &t.v)
		}
	}
	dst = append(dst, &c.SafetyBeforeSum, &c.SafetyBeforeN, &c.SafetyAfterSum, &c.SafetyAfterN)
	if err := row.Scan(dst...); err != nil {
		return c, fmt.Errorf("summary: %w", err)
	}
	for _, t := range targets {
		t.m[t.k] = t.v
	}
	rows, err := s.r.QueryContext(ctx, `SELECT residence, sum(n) FROM case_counts WHERE `+where+
		` GROUP BY residence HAVING sum(n) > 0 ORDER BY residence`, args...)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return c, err
		}
		c.Residence[k] = n
	}
	return c, rows.Err()
}

// sums lists "COALESCE(sum(n) FILTER (WHERE col = 'v'), 0)" for each value, a
// fixed SQL fragment (the values are constants, never input).
func sums(col string, values ...string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = "COALESCE(sum(n) FILTER (WHERE " + col + " = '" + v + "'), 0)"
	}
	return strings.Join(parts, ", ")
}
