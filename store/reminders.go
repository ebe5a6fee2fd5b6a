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

// factColumns are the facts of a case the reminder rules read (and all the
// task list shows: nothing personal, nothing to decrypt), in the order
// factScan reads them: the columns of the covering index cases_open_facts.
const factColumns = `c.id, c.ref, c.unit, COALESCE(c.created_by, 0), c.registered_on, c.status, c.outcome,
	c.attempts, c.unanswered, c.last_attempt_on, c.offered_on, c.scheduled_for, c.pending_to, c.proposed_on, c.pending_until,
	c.handover_to, c.handover_on, c.last_guide_contact, c.access_until, c.last_event_at, c.anonymised_at IS NOT NULL,
	c.suggested_on, c.handover_imported, c.plan_due, c.plan_guide_due, c.plan_due_org`

// openFactsQuery reads the facts of every open case from the covering index
// alone (TestSweepReadsOnlyTheIndex).
const openFactsQuery = `SELECT ` + factColumns + ` FROM cases c INDEXED BY cases_open_facts WHERE c.status <> 'closed'`

// factScan holds one row of factColumns while it is read.
type factScan struct {
	c                                                                        tryggspor.Case
	reg, lastAttempt, offered, scheduled, proposed, pendingUntil, handoverOn string
	lastGuide, accessUntil, lastEvent, suggested, planDue, planGuideDue      string
}

// dest lists the scan targets in factColumns order.
func (f *factScan) dest() []any {
	c := &f.c
	return []any{&c.ID, &c.Ref, &c.Unit, &c.CreatedBy, &f.reg, &c.Status, &c.Outcome, &c.Attempts,
		&c.Unanswered, &f.lastAttempt, &f.offered, &f.scheduled, &c.PendingTo, &f.proposed, &f.pendingUntil, &c.HandoverTo,
		&f.handoverOn, &f.lastGuide, &f.accessUntil, &f.lastEvent, &c.Anonymised, &f.suggested, &c.HandoverImported,
		&f.planDue, &f.planGuideDue, &c.PlanDueOrg}
}

// finish converts the text columns.
func (f *factScan) finish() error {
	c := &f.c
	err := readDates(dateCol{&c.RegisteredOn, f.reg}, dateCol{&c.LastAttemptOn, f.lastAttempt}, dateCol{&c.OfferedOn, f.offered},
		dateCol{&c.ScheduledFor, f.scheduled}, dateCol{&c.ProposedOn, f.proposed}, dateCol{&c.PendingUntil, f.pendingUntil},
		dateCol{&c.HandoverOn, f.handoverOn}, dateCol{&c.LastGuideContact, f.lastGuide}, dateCol{&c.AccessUntil, f.accessUntil},
		dateCol{&c.SuggestedOn, f.suggested}, dateCol{&c.PlanDue, f.planDue}, dateCol{&c.PlanGuideDue, f.planGuideDue})
	if err == nil {
		c.LastEventAt, err = readTS(f.lastEvent)
	}
	if err != nil {
		return fmt.Errorf("case %s: %w", c.Ref, err)
	}
	return nil
}

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
	var f factScan
	for rows.Next() {
		f = factScan{}
		if err := rows.Scan(f.dest()...); err != nil {
			return wrap(err, "scan open cases")
		}
		if err := f.finish(); err != nil {
			return fmt.Errorf("scan open cases: %w", err)
		}
		if err := fn(&f.c); err != nil {
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
	q := `SELECT r.rule, r.due_on, r.recipient, ` + factColumns + ` FROM reminders r JOIN cases c ON c.id = r.case_id
		WHERE r.resolved_at IS NULL AND r.due_on <= ? AND r.recipient IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(recipients)), ",") + `) ORDER BY r.due_on, c.ref LIMIT 1000`
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "open reminders")
	}
	defer rows.Close()
	var out []tryggspor.Task
	for rows.Next() {
		var tk tryggspor.Task
		var due string
		f := &factScan{}
		if err := rows.Scan(append([]any{&tk.Rule, &due, &tk.Recipient}, f.dest()...)...); err != nil {
			return nil, wrap(err, "open reminders")
		}
		if err := f.finish(); err != nil {
			return nil, fmt.Errorf("open reminders: %w", err)
		}
		if err := readDates(dateCol{&tk.DueOn, due}); err != nil {
			return nil, fmt.Errorf("reminder on %s: %w", f.c.Ref, err)
		}
		tk.Case = &f.c
		tk.CaseID, tk.CaseRef = f.c.ID, f.c.Ref
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
