-- Reminder facts kept in the case row, so a sweep reads only open case rows
-- (no timelines, no decryption), and the reminders and digests themselves.
ALTER TABLE cases ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN last_attempt_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN offered_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN scheduled_for TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN held_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN proposed_on TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_open ON cases(status) WHERE status <> 'closed';

-- One row per (rule, case, due date, recipient): a second sweep, or a sweep
-- after downtime, inserts nothing twice.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    rule        TEXT NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    due_on      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (rule, case_id, due_on, recipient)
);
CREATE INDEX reminders_open ON reminders(recipient, due_on) WHERE resolved_at IS NULL;

-- One digest per user per day.
CREATE TABLE digests (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    day       TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    reminders INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);
