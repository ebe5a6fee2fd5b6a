package store

import (
	"context"
	"fmt"
	"strings"

	"tryggspor/internal/tryggspor"
)

// SummaryCounts computes a year's figures for the given units (all units when
// units is nil), optionally only for residents of one municipality, with two
// aggregate queries over the cases_stats index.
func (s *Store) SummaryCounts(ctx context.Context, year int, units []string, residence string) (tryggspor.Counts, error) {
	where := `registered_on >= ? AND registered_on < ?`
	args := []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
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
		where += ` AND residence_municipality = ?`
		args = append(args, residence)
	}
	c := tryggspor.Counts{Category: map[string]int{}, Outcome: map[string]int{}, Handover: map[string]int{},
		Residence: map[string]int{}, Role: map[string]int{}, AgeBand: map[string]int{}, Reported: map[string]int{}}
	row := s.r.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE category = 'violence'), count(*) FILTER (WHERE category = 'robbery'),
		count(*) FILTER (WHERE category = 'threats'), count(*) FILTER (WHERE category = 'sexual_offence'),
		count(*) FILTER (WHERE category = 'hate_crime'), count(*) FILTER (WHERE category = 'other'),
		count(*) FILTER (WHERE outcome = 'conversation'), count(*) FILTER (WHERE outcome = 'declined'),
		count(*) FILTER (WHERE outcome = 'no_response'), count(*) FILTER (WHERE outcome = ''),
		count(*) FILTER (WHERE handover_kind = 'school'), count(*) FILTER (WHERE handover_kind = 'barnehuset'),
		count(*) FILTER (WHERE handover_kind = 'other'),
		count(*) FILTER (WHERE role = 'victim'), count(*) FILTER (WHERE role = 'witness'),
		count(*) FILTER (WHERE age <= 12), count(*) FILTER (WHERE age BETWEEN 13 AND 15),
		count(*) FILTER (WHERE age BETWEEN 16 AND 17), count(*) FILTER (WHERE age >= 18),
		count(*) FILTER (WHERE reported = 'yes'), count(*) FILTER (WHERE reported = 'no'),
		COALESCE(sum(safety_before), 0), count(safety_before), COALESCE(sum(safety_after), 0), count(safety_after)
		FROM cases INDEXED BY cases_stats WHERE `+where, args...)
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
	rows, err := s.r.QueryContext(ctx, `SELECT residence_municipality, count(*) FROM cases INDEXED BY cases_stats WHERE `+
		where+` GROUP BY residence_municipality ORDER BY residence_municipality`, args...)
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
