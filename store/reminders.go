package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tryggspor/internal/reminder"
	"tryggspor/internal/tryggspor"
)

// lightColumns are caseColumns without the encrypted personal fields: the
// task list never decrypts anything.
var lightColumns = strings.Replace(caseColumns, "c.personal", "NULL", 1)

// openFactsQuery reads the facts of every open case from the covering index
// alone (TestSweepReadsOnlyTheIndex).
const openFactsQuery = `SELECT id, ref, unit, COALESCE(created_by, 0), registered_on, status, outcome,
	attempts, unanswered, last_attempt_on, offered_on, scheduled_for, pending_to, proposed_on, pending_until,
	handover_to, handover_on, last_guide_contact, access_until, last_event_at, anonymised_at IS NOT NULL,
	suggested_on, handover_imported, plan_due, plan_guide_due, plan_due_org FROM cases INDEXED BY cases_open_facts WHERE status <> 'closed'`

// ScanOpenCases calls fn for every case that is not closed, with the facts the
// reminder rules read. It reads only the covering index cases_open_facts, one
// row at a time, so a sweep over a large database is quick and holds one case
// in memory, not all of them. fn must not keep the pointer.
func (s *Store) ScanOpenCases(ctx context.Context, fn func(*tryggspor.Case) error) error {
	rows, err := s.rd.QueryContext(ctx, openFactsQuery)
	if err != nil {
		return wrap(err, "scan open cases")
	}
	defer rows.Close()
	var c tryggspor.Case
	var reg, lastAttempt, offered, scheduled, proposed, pendingUntil, handoverOn, lastGuide, accessUntil, lastEvent, suggested, planDue, planGuideDue string
	for rows.Next() {
		c = tryggspor.Case{}
		if err := rows.Scan(&c.ID, &c.Ref, &c.Unit, &c.CreatedBy, &reg, &c.Status, &c.Outcome, &c.Attempts,
			&c.Unanswered, &lastAttempt, &offered, &scheduled, &c.PendingTo, &proposed, &pendingUntil, &c.HandoverTo,
			&handoverOn, &lastGuide, &accessUntil, &lastEvent, &c.Anonymised, &suggested, &c.HandoverImported, &planDue, &planGuideDue, &c.PlanDueOrg); err != nil {
			return wrap(err, "scan open cases")
		}
		err := readDates(dateCol{&c.RegisteredOn, reg}, dateCol{&c.LastAttemptOn, lastAttempt}, dateCol{&c.OfferedOn, offered},
			dateCol{&c.ScheduledFor, scheduled}, dateCol{&c.ProposedOn, proposed}, dateCol{&c.PendingUntil, pendingUntil},
			dateCol{&c.HandoverOn, handoverOn}, dateCol{&c.LastGuideContact, lastGuide}, dateCol{&c.AccessUntil, accessUntil},
			dateCol{&c.SuggestedOn, suggested}, dateCol{&c.PlanDue, planDue}, dateCol{&c.PlanGuideDue, planGuideDue})
		if err == nil {
			c.LastEventAt, err = readTS(lastEvent)
		}
		if err != nil {
			return fmt.Errorf("scan open case %s: %w", c.Ref, err)
		}
		if err := fn(&c); err != nil {
			return wrap(err, "scan open cases")
		}
	}
	return wrap(rows.Err(), "scan open cases")
}

// OpenReminderKeys returns the unresolved reminders by key, with their ids.
func (s *Store) OpenReminderKeys(ctx context.Context) (map[reminder.Key]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, rule, case_id, due_on, recipient FROM reminders INDEXED BY reminders_open
		WHERE resolved_at IS NULL`)
	if err != nil {
		return nil, wrap(err, "open reminder keys")
	}
	defer rows.Close()
	out := map[reminder.Key]int64{}
	for rows.Next() {
		var k reminder.Key
		var id int64
		if err := rows.Scan(&id, &k.Rule, &k.CaseID, &k.DueOn, &k.Recipient); err != nil {
			return nil, wrap(err, "open reminder keys")
		}
		out[k] = id
	}
	return out, wrap(rows.Err(), "open reminder keys")
}

// ApplyReminders records new reminders and resolves those no longer due, in
// one transaction. A reminder already recorded and open is left alone; one
// recorded and resolved is reopened. It returns the reminders recorded or
// reopened, so running twice creates nothing new.
func (s *Store) ApplyReminders(ctx context.Context, add []tryggspor.Reminder, resolve []int64) ([]tryggspor.Reminder, error) {
	var created []tryggspor.Reminder
	err := s.write(ctx, func(t *Tx) error {
		created = created[:0]
		for _, r := range add {
			var id int64
			err := t.QueryRowContext(ctx, `INSERT INTO reminders (rule, case_id, due_on, recipient, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (rule, case_id, due_on, recipient) DO UPDATE SET resolved_at = NULL WHERE reminders.resolved_at IS NOT NULL
				RETURNING id`, r.Rule, r.CaseID, tryggspor.FormatDate(r.DueOn), r.Recipient, ts(t.now)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // already open
			} else if err != nil {
				return wrap(err, "add %s on %s", r.Rule, r.CaseRef)
			}
			created = append(created, r)
		}
		for _, id := range resolve {
			if _, err := t.ExecContext(ctx, `UPDATE reminders SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL`, ts(t.now), id); err != nil {
				return wrap(err, "resolve reminder %d", id)
			}
		}
		return nil
	})
	return created, wrap(err, "record reminders")
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
		return nil, wrap(err, "open reminders")
	}
	defer rows.Close()
	var out []tryggspor.Task
	for rows.Next() {
		var tk tryggspor.Task
		var due string
		cs := &caseScan{}
		dest := append([]any{&tk.Rule, &due, &tk.Recipient}, cs.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, wrap(err, "open reminders")
		}
		if tk.Case, err = s.finishScan(cs); err != nil {
			return nil, wrap(err, "open reminders")
		}
		if err := readDates(dateCol{&tk.DueOn, due}); err != nil {
			return nil, fmt.Errorf("reminder on %s: %w", tk.Case.Ref, err)
		}
		tk.CaseID, tk.CaseRef = tk.Case.ID, tk.Case.Ref
		out = append(out, tk)
	}
	return out, wrap(rows.Err(), "open reminders")
}

// DigestSent reports whether user already had the digest for day.
func (s *Store) DigestSent(ctx context.Context, userID int64, day string) (bool, error) {
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE user_id = ? AND day = ?`, userID, day).Scan(&n)
	return n > 0, wrap(err, "digest sent")
}

// RecordDigest notes that user got the digest for day with n reminders.
func (s *Store) RecordDigest(ctx context.Context, userID int64, day string, n int) error {
	return s.write(ctx, func(t *Tx) error {
		_, err := t.ExecContext(ctx, `INSERT OR IGNORE INTO digests (user_id, day, sent_at, reminders) VALUES (?, ?, ?, ?)`,
			userID, day, ts(t.now), n)
		return wrap(err, "record digest")
	})
}
