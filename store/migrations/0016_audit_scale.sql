-- The audit log at national size (issue 18): a decade is some 20 million
-- entries, so every filter of the auditor's page is served from an index
-- that also gives the order (newest first), instead of a scan of the log.
DROP INDEX audit_case;
CREATE INDEX audit_case_at ON audit(case_id, at) WHERE case_id <> '';
CREATE INDEX audit_actor_at ON audit(actor, at);
CREATE INDEX audit_action_at ON audit(action, at);
CREATE INDEX audit_outcome_at ON audit(outcome, at);
CREATE INDEX audit_at ON audit(at);

-- The names that occur in the log, with the user they belong to: the
-- auditor's "user" filter (part of a name, or a sign-in name) is matched
-- here, a few hundred rows, and then looked up by exact name. Kept by the
-- store as it appends entries (one statement per batch; a trigger per row
-- made appends ten times slower).
CREATE TABLE audit_actors (
    actor_id INTEGER NOT NULL DEFAULT 0,
    actor    TEXT NOT NULL,
    PRIMARY KEY (actor_id, actor)
) WITHOUT ROWID;
INSERT OR IGNORE INTO audit_actors (actor_id, actor) SELECT DISTINCT COALESCE(actor_id, 0), actor FROM audit;

-- Entries per UTC hour, action and outcome, kept by the store as it appends
-- entries (one statement per batch): the month's summary on the auditor's
-- page sums at most 744 hours of rows instead of counting a month of
-- entries (Europe/Oslo's month starts on a whole UTC hour).
CREATE TABLE audit_hour_counts (
    hour    TEXT NOT NULL, -- YYYY-MM-DDTHH, UTC
    action  TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (hour, action, outcome)
) WITHOUT ROWID;
INSERT INTO audit_hour_counts (hour, action, outcome, n)
    SELECT substr(at, 1, 13), action, outcome, count(*) FROM audit GROUP BY 1, 2, 3;
