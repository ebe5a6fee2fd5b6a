package store

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

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
// person had a case, in any unit, in the 12 months before it; the person's
// other cases are recounted too (imports come in any order).
// fresh says the cases were just inserted (they had no index before).
func (t *Tx) indexPersons(ctx context.Context, list []*tryggspor.Case, fresh bool) error {
	for _, c := range list {
		if err := t.indexPerson(ctx, c, fresh); err != nil {
			return err
		}
	}
	return nil
}

// indexPerson writes c's blind index and recomputes the repeat_victim flag
// of every case of the person as it was and as it is now: a corrected name,
// birth date or registration date can both make and unmake a repeat victim,
// here and in the cases registered after it. An anonymised case keeps its
// flag (statistics never change) and loses its index. c.LookupBy, when set,
// is the officer who is to see the indicator once (SPEC §13).
func (t *Tx) indexPerson(ctx context.Context, c *tryggspor.Case, fresh bool) error {
	idx := t.s.keys.personIndex(c.Personal)
	if c.Anonymised {
		idx = nil
	}
	var old []byte
	if !fresh {
		if err := t.QueryRowContext(ctx, `SELECT person_index FROM cases WHERE id = ?`, c.ID).Scan(&old); err != nil {
			return fmt.Errorf("person index of %s: %w", c.Ref, err)
		}
	}
	if _, err := t.ExecContext(ctx, `UPDATE cases SET person_index = ?, person_key = ?,
		repeat_lookup_by = CASE WHEN ? IS NULL THEN NULL WHEN ? <> 0 THEN ? ELSE repeat_lookup_by END WHERE id = ?`,
		idx, t.s.keys.current, idx, c.LookupBy, c.LookupBy, c.ID); err != nil {
		return fmt.Errorf("person index of %s: %w", c.Ref, err)
	}
	if c.Anonymised || idx == nil && old == nil {
		return nil // nothing to match, before or after
	}
	if idx == nil {
		if _, err := t.ExecContext(ctx, `UPDATE cases SET repeat_victim = 0 WHERE id = ?`, c.ID); err != nil {
			return fmt.Errorf("repeat victim %s: %w", c.Ref, err)
		}
	}
	for _, i := range [][]byte{old, idx} {
		if err := t.recountRepeats(ctx, i); err != nil {
			return fmt.Errorf("repeat victims of %s: %w", c.Ref, err)
		}
	}
	return nil
}

// recountRepeats sets the repeat_victim flag of every case with the blind
// index idx (one person's cases, a handful): whether another case of the
// person was registered in the 12 months before it. A nil idx is no person.
func (t *Tx) recountRepeats(ctx context.Context, idx []byte) error {
	if idx == nil {
		return nil
	}
	_, err := t.ExecContext(ctx, `UPDATE cases SET repeat_victim = EXISTS (SELECT 1 FROM cases p
		WHERE p.person_index = cases.person_index AND p.id <> cases.id
		AND p.registered_on >= date(cases.registered_on, '-`+fmt.Sprint(repeatWindow)+` months')
		AND p.registered_on <= cases.registered_on)
		WHERE person_index = ?`, idx)
	return err
}

// RepeatLookup shows the repeat-victim indicator of c once, to the officer
// whose registration or correction asked for it (by), in one write
// transaction: the lookup is claimed (so a reload shows nothing more), the
// officer's lookups since the start of the day counted, the person's earlier
// cases read, and the audit entries that decide returns written. ok is
// false when no lookup was due for this officer.
func (s *Store) RepeatLookup(ctx context.Context, c *tryggspor.Case, by int64, since time.Time,
	decide tryggspor.LookupDecision) (ok bool, err error) {
	err = s.write(ctx, func(t *Tx) error {
		res, err := t.ExecContext(ctx, `UPDATE cases SET repeat_lookup_by = NULL WHERE id = ? AND repeat_lookup_by = ?`, c.ID, by)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		ok = true
		var used int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM audit INDEXED BY audit_repeat_lookup
			WHERE action = '`+string(tryggspor.ActRepeatLookup)+`' AND actor_id = ? AND at >= ? AND outcome = ? AND object = ''`,
			by, since.UTC().Format("2006-01-02T15:04:05.000000000Z"), tryggspor.OutcomeOK).Scan(&used); err != nil {
			return err
		}
		prior, err := t.priorCases(ctx, c)
		if err != nil {
			return err
		}
		return t.auditMany(ctx, decide(used, prior))
	})
	return ok, wrap(err, "repeat-victim lookup for %s", c.Ref)
}

// priorCases are the person's other cases registered in the 12 months
// before c, in any unit: their unit and date for the officer, id and ref for
// the audit entries — never their content.
func (t *Tx) priorCases(ctx context.Context, c *tryggspor.Case) ([]tryggspor.PriorCase, error) {
	rows, err := t.QueryContext(ctx, `SELECT p.id, p.ref, p.unit, p.registered_on FROM cases c JOIN cases p
		ON p.person_index = c.person_index AND p.id <> c.id
		WHERE c.id = ? AND c.person_index IS NOT NULL AND p.registered_on >= ? AND p.registered_on <= ?
		ORDER BY p.registered_on DESC, p.ref DESC`, c.ID, tryggspor.FormatDate(c.RegisteredOn.AddDate(0, -repeatWindow, 0)),
		tryggspor.FormatDate(c.RegisteredOn))
	if err != nil {
		return nil, fmt.Errorf("prior cases: %w", err)
	}
	defer rows.Close()
	var out []tryggspor.PriorCase
	for rows.Next() {
		var p tryggspor.PriorCase
		var reg string
		if err := rows.Scan(&p.ID, &p.Ref, &p.Unit, &reg); err != nil {
			return nil, fmt.Errorf("prior cases: %w", err)
		}
		if err := readDates(dateCol{&p.RegisteredOn, reg}); err != nil {
			return nil, fmt.Errorf("prior cases: %w", err)
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "prior cases")
}

// maxMonthLookups bounds the entries the auditor's month summary reads: far
// above what the daily limit lets every officer make in a month.
const maxMonthLookups = 200000

// RepeatLookups lists the repeat-victim lookup entries since from, for the
// auditor's month summary.
func (s *Store) RepeatLookups(ctx context.Context, from time.Time) ([]tryggspor.AuditRecord, error) {
	recs, _, err := s.SearchAudit(ctx, tryggspor.AuditFilter{Action: tryggspor.ActRepeatLookup, From: from, Limit: maxMonthLookups})
	return recs, wrap(err, "repeat-victim lookups")
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
	err = s.write(ctx, func(t *Tx) error { return t.indexPersons(ctx, stale, false) })
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
