package store

import (
	"context"
	"fmt"
	"strings"

	"tryggspor/internal/tryggspor"
)

// ListCaseKeys returns what the officer's case list searches and sorts on —
// id, ref, registration date, status and the decrypted person's name — for
// every case in scope (of one status, when given). It reads five columns
// rather than the whole row, so a search through a large unit's names stays
// quick; the page's own rows come from GetCases.
func (s *Store) ListCaseKeys(ctx context.Context, sc tryggspor.Scope, status tryggspor.Status) ([]tryggspor.CaseKey, error) {
	where, args := scopeWhere(sc)
	q := `SELECT c.id, c.ref, c.registered_on, c.status, c.personal, COALESCE(c.key_id, '') FROM cases c WHERE ` + where
	if status != "" {
		q += ` AND c.status = ?`
		args = append(args, string(status))
	}
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list case keys: %w", err)
	}
	defer rows.Close()
	var out []tryggspor.CaseKey
	for rows.Next() {
		var k tryggspor.CaseKey
		var reg, key string
		var personal []byte
		if err := rows.Scan(&k.ID, &k.Ref, &reg, &k.Status, &personal, &key); err != nil {
			return nil, fmt.Errorf("list case keys: %w", err)
		}
		if err := readDates(dateCol{&k.RegisteredOn, reg}); err != nil {
			return nil, fmt.Errorf("case %s: %w", k.Ref, err)
		}
		var p tryggspor.Personal
		if err := s.keys.open(personal, key, "case:"+k.ID, &p); err != nil {
			return nil, fmt.Errorf("case %s: %w", k.Ref, err)
		}
		k.PersonName = p.PersonName
		out = append(out, k)
	}
	return out, rows.Err()
}

// GetCases returns the cases in scope with the given ids, in the order of
// ids; an id outside the scope is left out.
func (s *Store) GetCases(ctx context.Context, sc tryggspor.Scope, ids []string) ([]tryggspor.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	where, args := scopeWhere(sc)
	q := `SELECT ` + caseColumns + ` FROM cases c WHERE ` + where + ` AND c.id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("get cases: %w", err)
	}
	defer rows.Close()
	byID := map[string]tryggspor.Case{}
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("get cases: %w", err)
		}
		byID[c.ID] = *c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get cases: %w", err)
	}
	out := make([]tryggspor.Case, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}
