package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// ListAudit returns the newest audit entries, optionally for one case.
func (s *Store) ListAudit(ctx context.Context, caseID string, limit int) ([]tryggspor.AuditRecord, error) {
	recs, _, err := s.SearchAudit(ctx, tryggspor.AuditFilter{CaseID: caseID, Limit: limit})
	return recs, err
}

// SearchAudit returns the entries matching f, newest first, each with its
// case's reference, and how many match in all, counted up to f.CountUpTo
// (default tryggspor.MaxAuditCount+1: a count of millions would cost a scan,
// and tells the auditor no more than "narrow the search"). Every filter is
// served from an index that also gives the order, so a page costs the same
// at 20 million entries as at a thousand.
func (s *Store) SearchAudit(ctx context.Context, f tryggspor.AuditFilter) ([]tryggspor.AuditRecord, int, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	names, err := s.auditNames(ctx, f.User)
	if err != nil || (f.User != "" && len(names) == 0) {
		return nil, 0, err
	}
	where, args := auditWhere(f)
	if f.CountUpTo <= 0 {
		f.CountUpTo = tryggspor.MaxAuditCount + 1
	}
	total, err := s.countAudit(ctx, where, args, names, f.CountUpTo)
	if err != nil {
		return nil, 0, err
	}
	if total > tryggspor.MaxAuditCount && f.Offset+f.Limit > tryggspor.MaxAuditCount {
		return nil, total, nil // beyond what can be listed or downloaded: the caller asks to narrow it
	}
	var out []tryggspor.AuditRecord
	err = s.eachAudit(ctx, f, where, args, names, func(r tryggspor.AuditRecord) error {
		out = append(out, r)
		return nil
	})
	return out, total, err
}

// EachAudit hands the entries matching f, newest first, to fn as they are
// read (the auditor's download, which starts at once whatever its size).
func (s *Store) EachAudit(ctx context.Context, f tryggspor.AuditFilter, fn func(tryggspor.AuditRecord) error) error {
	names, err := s.auditNames(ctx, f.User)
	if err != nil || (f.User != "" && len(names) == 0) {
		return err
	}
	where, args := auditWhere(f)
	return s.eachAudit(ctx, f, where, args, names, fn)
}

// eachAudit reads one page of f (Limit and Offset) and hands each entry, with
// its case's reference, to fn.
func (s *Store) eachAudit(ctx context.Context, f tryggspor.AuditFilter, where string, args []any, names []string,
	fn func(tryggspor.AuditRecord) error) error {
	q, qargs := auditPageQuery(where, args, names, f.Offset+f.Limit)
	rows, err := s.r.QueryContext(ctx, q, append(qargs, f.Limit, f.Offset)...)
	if err != nil {
		return fmt.Errorf("search audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r tryggspor.AuditRecord
		var at string
		e := &r.Entry
		if err := rows.Scan(&r.ID, &at, &e.Actor.UserID, &e.Actor.Name, &e.Actor.Role, &e.Actor.Org, &e.Action,
			&e.CaseID, &e.Object, &e.Purpose, &e.Outcome, &e.Detail, &r.Ref); err != nil {
			return fmt.Errorf("search audit: %w", err)
		}
		if r.At, err = readTS(at); err != nil {
			return fmt.Errorf("audit entry %d: %w", r.ID, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "search audit")
}

// auditNames are the names in the log that the user filter matches: part of
// the name, or the sign-in name of a user (nil without a user filter). They
// come from audit_actors, a few hundred rows, not from the log.
func (s *Store) auditNames(ctx context.Context, user string) ([]string, error) {
	if user == "" {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT actor FROM audit_actors WHERE actor LIKE ? ESCAPE '\'
		OR actor_id IN (SELECT id FROM users WHERE subject = ?) ORDER BY actor`, "%"+likeEscape(user)+"%", user)
	if err != nil {
		return nil, fmt.Errorf("audit user filter: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("audit user filter: %w", err)
		}
		names = append(names, n)
	}
	return names, wrap(rows.Err(), "audit user filter")
}

// countAudit counts the matching entries, stopping at upTo.
func (s *Store) countAudit(ctx context.Context, where string, args []any, names []string, upTo int) (int, error) {
	if len(names) > 0 {
		where += ` AND a.actor IN (` + strings.TrimSuffix(strings.Repeat("?,", len(names)), ",") + `)`
		for _, n := range names {
			args = append(args, n)
		}
	}
	var total int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM audit a WHERE `+where+` LIMIT ?)`,
		append(args, upTo)...).Scan(&total)
	return total, wrap(err, "count audit entries")
}

// auditPageQuery is the query for one page, newest first. With a user
// filter matching several names, each name's newest `upTo` entries are read
// from its own index range and merged, so the cost follows the page, not
// how much those users did.
func auditPageQuery(where string, args []any, names []string, upTo int) (string, []any) {
	const cols = `a.id, a.at, COALESCE(a.actor_id, 0), a.actor, a.role, a.org, a.action, a.case_id, a.object, a.purpose,
		a.outcome, a.detail`
	const join = ` LEFT JOIN cases c ON c.id = a.case_id AND a.case_id <> ''`
	const order = ` ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`
	if len(names) == 0 {
		return `SELECT ` + cols + `, COALESCE(c.ref, '') FROM audit a` + join + ` WHERE ` + where + order, args
	}
	var qargs []any
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = `SELECT * FROM (SELECT a.* FROM audit a WHERE a.actor = ? AND ` + where + ` ORDER BY a.at DESC, a.id DESC LIMIT ?)`
		qargs = append(append(append(qargs, n), args...), upTo)
	}
	return `SELECT ` + cols + `, COALESCE(c.ref, '') FROM (` + strings.Join(parts, ` UNION ALL `) + `) a` + join + order, qargs
}

// auditWhere is the filter in SQL, the user filter apart. Bounds on the
// stored RFC 3339 times are written with nanoseconds so text comparison
// orders them as instants.
func auditWhere(f tryggspor.AuditFilter) (string, []any) {
	conds, args := []string{"1=1"}, []any{}
	add := func(cond string, a ...any) { conds, args = append(conds, cond), append(args, a...) }
	if f.CaseID != "" {
		add(`a.case_id = ? AND a.case_id <> ''`, f.CaseID) // the second term lets the partial index serve it
	}
	if f.Action != "" {
		add(`a.action = ?`, string(f.Action))
	}
	if f.Outcome != "" {
		add(`a.outcome = ?`, f.Outcome)
	}
	if !f.From.IsZero() {
		add(`a.at >= ?`, f.From.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	}
	if !f.To.IsZero() {
		add(`a.at < ?`, f.To.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	}
	return strings.Join(conds, " AND "), args
}

// AuditCounts counts the entries since from (a whole UTC hour, such as the
// start of a month in Europe/Oslo) by action and outcome, from the hourly
// counts kept as entries are appended.
func (s *Store) AuditCounts(ctx context.Context, from time.Time) (map[tryggspor.Action]map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT action, outcome, sum(n) FROM audit_hour_counts WHERE hour >= ? GROUP BY action, outcome`,
		from.UTC().Format("2006-01-02T15"))
	if err != nil {
		return nil, fmt.Errorf("count audit entries: %w", err)
	}
	defer rows.Close()
	out := map[tryggspor.Action]map[string]int{}
	for rows.Next() {
		var act tryggspor.Action
		var outcome string
		var n int
		if err := rows.Scan(&act, &outcome, &n); err != nil {
			return nil, fmt.Errorf("count audit entries: %w", err)
		}
		if out[act] == nil {
			out[act] = map[string]int{}
		}
		out[act][outcome] = n
	}
	return out, wrap(rows.Err(), "count audit entries")
}
