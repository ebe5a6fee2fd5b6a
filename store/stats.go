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
	where, args := countsWhere(year, units, residence)
	c := tryggspor.Counts{Category: map[string]int{}, Outcome: map[string]int{}, Handover: map[string]int{},
		Residence: map[string]int{}, Role: map[string]int{}, AgeBand: map[string]int{}, Reported: map[string]int{}}
	if err := s.countDimensions(ctx, &c, where, args); err != nil {
		return c, fmt.Errorf("summary %d: %w", year, err)
	}
	if err := s.countResidences(ctx, &c, where, args); err != nil {
		return c, fmt.Errorf("summary %d by residence: %w", year, err)
	}
	var err error
	if c.RepeatVictims, err = s.repeatVictims(ctx, year, units, residence); err != nil {
		return c, err
	}
	return c, s.countMeasures(ctx, &c, year, units, residence)
}

// countMeasures sums the plan counts the case rows keep (migration 0018)
// over the year's cases of the units and residence: the same cases as the
// rest of the summary, read only from the partial index of cases that have
// a plan (cases_plan_counts), so the cost follows the plans, not the cases.
func (s *Store) countMeasures(ctx context.Context, c *tryggspor.Counts, year int, units []string, residence string) error {
	where := `plan_agreed > 0 AND registered_on >= ? AND registered_on < ?`
	args := []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
	if units != nil {
		in, a := unitsIn(units)
		where, args = where+in, append(args, a...)
	}
	if residence != "" {
		where += ` AND residence_municipality = ?`
		args = append(args, residence)
	}
	var helped, partly, notHelped, notDone int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(sum(plan_agreed), 0), COALESCE(sum(plan_helped), 0),
		COALESCE(sum(plan_partly), 0), COALESCE(sum(plan_not_helped), 0), COALESCE(sum(plan_not_done), 0)
		FROM cases INDEXED BY cases_plan_counts WHERE `+where, args...).Scan(&c.MeasuresAgreed, &helped, &partly, &notHelped, &notDone)
	if err != nil {
		return fmt.Errorf("summary %d measures: %w", year, err)
	}
	c.Measures = map[string]int{"helped": helped, "partly": partly, "not_helped": notHelped, "not_done": notDone}
	return nil
}

// countsWhere selects the rollup rows of a year, units and residence.
func countsWhere(year int, units []string, residence string) (string, []any) {
	where := `year = ?`
	args := []any{year}
	if units != nil {
		in, a := unitsIn(units)
		where, args = where+in, append(args, a...)
	}
	if residence != "" {
		where += ` AND residence = ?`
		args = append(args, residence)
	}
	return where, args
}

// countDimensions fills the total, every vocabulary dimension and the safety
// sums with one aggregate query.
func (s *Store) countDimensions(ctx context.Context, c *tryggspor.Counts, where string, args []any) error {
	type target struct {
		m map[string]int
		k string
		v int
	}
	var targets []*target
	dst := []any{&c.Total}
	cols := []string{"COALESCE(sum(n), 0)"}
	// Each dimension's values are the vocabulary's (an open case's outcome
	// is stored as '').
	for _, d := range []struct {
		col, vocab string
		m          map[string]int
	}{
		{"category", "category", c.Category}, {"outcome", "outcome", c.Outcome}, {"handover_kind", "handover_kind", c.Handover},
		{"role", "role", c.Role}, {"age_band", "age_band", c.AgeBand}, {"reported", "reported", c.Reported},
	} {
		for _, k := range tryggspor.Codes(d.vocab) {
			t := &target{m: d.m, k: k}
			targets = append(targets, t)
			dst = append(dst, &t.v)
			v := k
			if d.col == "outcome" && k == "open" {
				v = ""
			}
			cols = append(cols, sum(d.col, v))
		}
	}
	dst = append(dst, &c.SafetyBeforeSum, &c.SafetyBeforeN, &c.SafetyAfterSum, &c.SafetyAfterN)
	err := s.r.QueryRowContext(ctx, `SELECT `+strings.Join(cols, ", ")+`,
		COALESCE(sum(sb_sum), 0), COALESCE(sum(sb_n), 0), COALESCE(sum(sa_sum), 0), COALESCE(sum(sa_n), 0)
		FROM case_counts WHERE `+where, args...).Scan(dst...)
	if err != nil {
		return err
	}
	for _, t := range targets {
		t.m[t.k] = t.v
	}
	return nil
}

// countResidences fills the counts by municipality of residence.
func (s *Store) countResidences(ctx context.Context, c *tryggspor.Counts, where string, args []any) error {
	rows, err := s.r.QueryContext(ctx, `SELECT residence, sum(n) FROM case_counts WHERE `+where+
		` GROUP BY residence HAVING sum(n) > 0 ORDER BY residence`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		c.Residence[k] = n
	}
	return rows.Err()
}

// sum is "COALESCE(sum(n) FILTER (WHERE col = 'v'), 0)", a fixed SQL
// fragment: the values are the vocabulary's constants, never input.
func sum(col, v string) string {
	return "COALESCE(sum(n) FILTER (WHERE " + col + " = '" + v + "'), 0)"
}

// unitsIn is " AND unit IN (?, …)" for units (an empty list matches none).
func unitsIn(units []string) (string, []any) {
	if len(units) == 0 {
		units = []string{""}
	}
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	return ` AND unit IN (` + strings.TrimSuffix(strings.Repeat("?,", len(units)), ",") + `)`, args
}
