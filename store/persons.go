package store

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"tryggspor/internal/tryggspor"
)

// repeatWindow is how far back a earlier case makes a person a repeat
// victim (SPEC §12: 12 months).
const repeatWindow = 12

// personKey derives the blind index key from a field key: outside the
// database, rotated with it.
func personKey(fieldKey []byte) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, fieldKey, nil, "tryggspor person index", 32)
	if err != nil {
		return nil, fmt.Errorf("person index key: %w", err)
	}
	return k, nil
}

// normaliseName folds the ways one name gets typed into one: Unicode NFKC,
// case-folded, white space collapsed ("kari  NORDMANN" and "Kari Nordmann"
// are the same person).
func normaliseName(s string) string {
	s = cases.Fold().String(norm.NFKC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// personIndex is the keyed blind index of a person, or nil when the name or
// the birth date is missing: a name alone is too weak to say two cases are
// one person.
func (k *Keyring) personIndex(p tryggspor.Personal) []byte {
	name := normaliseName(p.PersonName)
	if name == "" || p.BirthDate == "" {
		return nil
	}
	m := hmac.New(sha256.New, k.person)
	m.Write([]byte(name + "\x1f" + p.BirthDate))
	return m.Sum(nil)
}

// indexPersons records the blind index of each case's person and whether the
// person had a case, in any unit, in the 12 months before it; a case
// registered within 12 months after it (imports come in any order) is marked
// too.
func (t *Tx) indexPersons(ctx context.Context, list []*tryggspor.Case) error {
	for _, c := range list {
		if err := t.indexPerson(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) indexPerson(ctx context.Context, c *tryggspor.Case) error {
	idx := t.s.keys.personIndex(c.Personal)
	if c.Anonymised {
		idx = nil
	}
	if _, err := t.ExecContext(ctx, `UPDATE cases SET person_index = ?, person_key = ? WHERE id = ?`,
		idx, t.s.keys.current, c.ID); err != nil {
		return fmt.Errorf("person index of %s: %w", c.Ref, err)
	}
	if idx == nil {
		return nil
	}
	reg := tryggspor.FormatDate(c.RegisteredOn)
	from := tryggspor.FormatDate(c.RegisteredOn.AddDate(0, -repeatWindow, 0))
	until := tryggspor.FormatDate(c.RegisteredOn.AddDate(0, repeatWindow, 0))
	if _, err := t.ExecContext(ctx, `UPDATE cases SET repeat_victim = 1 WHERE id = ? AND EXISTS (SELECT 1 FROM cases p
		WHERE p.person_index = ? AND p.id <> ? AND p.registered_on >= ? AND p.registered_on <= ?)`,
		c.ID, idx, c.ID, from, reg); err != nil {
		return fmt.Errorf("repeat victim %s: %w", c.Ref, err)
	}
	_, err := t.ExecContext(ctx, `UPDATE cases SET repeat_victim = 1 WHERE person_index = ? AND id <> ?
		AND registered_on >= ? AND registered_on <= ? AND repeat_victim = 0`, idx, c.ID, reg, until)
	return wrap(err, "repeat victims after %s", c.Ref)
}

// PriorCases are the person's other cases registered in the 12 months
// before c, in any unit: their unit and date only — never their content.
func (s *Store) PriorCases(ctx context.Context, c *tryggspor.Case) ([]tryggspor.PriorCase, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.unit, p.registered_on FROM cases c JOIN cases p
		ON p.person_index = c.person_index AND p.id <> c.id
		WHERE c.id = ? AND c.person_index IS NOT NULL AND p.registered_on >= ? AND p.registered_on <= ?
		ORDER BY p.registered_on DESC`, c.ID, tryggspor.FormatDate(c.RegisteredOn.AddDate(0, -repeatWindow, 0)),
		tryggspor.FormatDate(c.RegisteredOn))
	if err != nil {
		return nil, fmt.Errorf("prior cases: %w", err)
	}
	defer rows.Close()
	var out []tryggspor.PriorCase
	for rows.Next() {
		var p tryggspor.PriorCase
		var reg string
		if err := rows.Scan(&p.Unit, &reg); err != nil {
			return nil, fmt.Errorf("prior cases: %w", err)
		}
		if err := readDates(dateCol{&p.RegisteredOn, reg}); err != nil {
			return nil, fmt.Errorf("prior cases: %w", err)
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "prior cases")
}

// ReindexPersons recomputes the blind index of every case whose index was
// made with another key (after a key rotation), so repeat victims are still
// recognised. It reads the personal fields with the keys that sealed them.
func (s *Store) ReindexPersons(ctx context.Context) (int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases c
		WHERE c.person_key <> ? AND c.personal IS NOT NULL`, s.keys.current)
	if err != nil {
		return 0, fmt.Errorf("reindex persons: %w", err)
	}
	var stale []*tryggspor.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("reindex persons: %w", err)
		}
		stale = append(stale, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(stale) == 0 {
		return 0, wrap(err, "reindex persons")
	}
	err = s.write(ctx, func(t *Tx) error { return t.indexPersons(ctx, stale) })
	return len(stale), wrap(err, "reindex persons")
}

// repeatVictims counts the cases of year (for units; nil for all) whose
// person had a case in the 12 months before.
func (s *Store) repeatVictims(ctx context.Context, year int, units []string, residence string) (int, error) {
	where := `repeat_victim = 1 AND registered_on >= ? AND registered_on < ?`
	args := []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
	if units != nil {
		in, a := unitsIn(units)
		where, args = where+in, append(args, a...)
	}
	if residence != "" {
		where += ` AND residence_municipality = ?`
		args = append(args, residence)
	}
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM cases INDEXED BY cases_repeat WHERE `+where, args...).Scan(&n)
	return n, wrap(err, "count repeat victims")
}
