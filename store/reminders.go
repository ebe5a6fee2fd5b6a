package store

import (
	"context"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// lightColumns are caseColumns without the encrypted personal fields: a sweep
// never decrypts anything.
var lightColumns = strings.Replace(caseColumns, "c.personal", "NULL", 1)

// ScanOpenCases calls fn for every case that is not closed, one row at a time,
// so a sweep over a large database holds one case in memory, not all of them.
func (s *Store) ScanOpenCases(ctx context.Context, fn func(*tryggspor.Case) error) error {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+lightColumns+` FROM cases c WHERE c.status <> 'closed'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SaveReminders records the reminders due now. Those already recorded (same
// rule, case, due date and recipient) are left alone, so running twice creates
// nothing new; open reminders no longer due are marked resolved. It returns the
// reminders this call created.
func (s *Store) SaveReminders(ctx context.Context, due []tryggspor.Reminder) ([]tryggspor.Reminder, error) {
	var created []tryggspor.Reminder
	err := s.write(ctx, func(t *Tx) error {
		for _, q := range []string{
			`CREATE TEMP TABLE IF NOT EXISTS due_now (rule TEXT, case_id TEXT, due_on TEXT, recipient TEXT)`,
			`DELETE FROM due_now`,
		} {
			if _, err := t.tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		const chunk = 200
		for i := 0; i < len(due); i += chunk {
			part := due[i:min(i+chunk, len(due))]
			args := make([]any, 0, 4*len(part))
			for _, r := range part {
				args = append(args, r.Rule, r.CaseID, tryggspor.FormatDate(r.DueOn), r.Recipient)
			}
			q := `INSERT INTO due_now VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?),", len(part)), ",")
			if _, err := t.tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		rows, err := t.tx.QueryContext(ctx, `INSERT OR IGNORE INTO reminders (rule, case_id, due_on, recipient, created_at)
			SELECT d.rule, d.case_id, d.due_on, d.recipient, ? FROM due_now d WHERE true
			RETURNING rule, case_id, due_on, recipient`, ts(t.now))
		if err != nil {
			return err
		}
		for rows.Next() {
			var r tryggspor.Reminder
			var due string
			if err := rows.Scan(&r.Rule, &r.CaseID, &due, &r.Recipient); err != nil {
				rows.Close()
				return err
			}
			r.DueOn, _ = tryggspor.ParseDate(due)
			created = append(created, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		_, err = t.tx.ExecContext(ctx, `UPDATE reminders SET resolved_at = ? WHERE resolved_at IS NULL AND NOT EXISTS
			(SELECT 1 FROM due_now d WHERE d.rule = reminders.rule AND d.case_id = reminders.case_id
			 AND d.due_on = reminders.due_on AND d.recipient = reminders.recipient)`, ts(t.now))
		return err
	})
	return created, err
}

// OpenReminders returns the unresolved reminders for any of recipients that
// fell due on or before today, oldest first, with their cases' facts.
func (s *Store) OpenReminders(ctx context.Context, recipients []string, today time.Time) ([]tryggspor.Task, error) {
	if len(recipients) == 0 {
		return nil, nil
	}
	args := []any{tryggspor.FormatDate(today)}
	for _, r := range recipients {
		args = append(args, r)
	}
	q := `SELECT r.rule, r.due_on, r.recipient, ` + lightColumns + ` FROM reminders r JOIN cases c ON c.id = r.case_id
		WHERE r.resolved_at IS NULL AND r.due_on <= ? AND r.recipient IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(recipients)), ",") + `) ORDER BY r.due_on, c.ref LIMIT 1000`
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tryggspor.Task
	for rows.Next() {
		var tk tryggspor.Task
		var due string
		cs := &caseScan{}
		dest := append([]any{&tk.Rule, &due, &tk.Recipient}, cs.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if tk.Case, err = s.finishScan(cs); err != nil {
			return nil, err
		}
		tk.DueOn, _ = tryggspor.ParseDate(due)
		tk.CaseID, tk.CaseRef = tk.Case.ID, tk.Case.Ref
		out = append(out, tk)
	}
	return out, rows.Err()
}

// DigestSent reports whether user already had the digest for day.
func (s *Store) DigestSent(ctx context.Context, userID int64, day string) (bool, error) {
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE user_id = ? AND day = ?`, userID, day).Scan(&n)
	return n > 0, err
}

// RecordDigest notes that user got the digest for day with n reminders.
func (s *Store) RecordDigest(ctx context.Context, userID int64, day string, n int) error {
	return s.write(ctx, func(t *Tx) error {
		_, err := t.ExecContext(ctx, `INSERT OR IGNORE INTO digests (user_id, day, sent_at, reminders) VALUES (?, ?, ?, ?)`,
			userID, day, ts(t.now), n)
		return err
	})
}
