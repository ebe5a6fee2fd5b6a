package store

import (
	"context"
	"fmt"

	"tryggspor/internal/tryggspor"
)

// ResidenceUse is the domain's tryggspor.ResidenceUse.
type ResidenceUse = tryggspor.ResidenceUse

// ListResidences lists every residence value in the cases, in order, with
// the refs of its cases: what `tryggspor check residences` compares with the
// official list. It reads only; nothing is changed.
func (s *Store) ListResidences(ctx context.Context) ([]ResidenceUse, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT residence_municipality, ref FROM cases ORDER BY residence_municipality, ref`)
	if err != nil {
		return nil, fmt.Errorf("list residences: %w", err)
	}
	defer rows.Close()
	var out []ResidenceUse
	for rows.Next() {
		var v, ref string
		if err := rows.Scan(&v, &ref); err != nil {
			return nil, fmt.Errorf("list residences: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Value != v {
			out = append(out, ResidenceUse{Value: v})
		}
		out[len(out)-1].Refs = append(out[len(out)-1].Refs, ref)
	}
	return out, rows.Err()
}
