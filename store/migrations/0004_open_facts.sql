-- A covering index of the facts the reminder rules read, for open cases only:
-- a sweep reads this index and never touches the (much larger) case rows.
DROP INDEX IF EXISTS cases_open;
CREATE INDEX cases_open_facts ON cases(status, id, ref, unit, created_by, registered_on, outcome, attempts,
    unanswered, last_attempt_on, offered_on, scheduled_for, pending_to, proposed_on, pending_until, handover_to,
    handover_on, last_guide_contact, access_until, last_event_at, anonymised_at) WHERE status <> 'closed';
DROP INDEX IF EXISTS reminders_open;
CREATE INDEX reminders_open ON reminders(recipient, due_on, rule, case_id) WHERE resolved_at IS NULL;
