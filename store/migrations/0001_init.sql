-- Tryggspor schema, version 1.
CREATE TABLE organisations (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('police_unit','school','barnehuset','municipal_service','other')),
    parent       TEXT REFERENCES organisations(code),
    municipality TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('officer','guide','leader','admin','auditor')),
    org           TEXT NOT NULL REFERENCES organisations(code),
    created_at    TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    UNIQUE (issuer, subject)
);

CREATE TABLE cases (
    id                     TEXT PRIMARY KEY,
    ref                    TEXT NOT NULL UNIQUE,
    ref_year               INTEGER NOT NULL,
    ref_seq                INTEGER NOT NULL,
    registered_on          TEXT NOT NULL,
    unit                   TEXT NOT NULL REFERENCES organisations(code),
    category               TEXT NOT NULL CHECK (category IN ('violence','robbery','threats','sexual_offence','hate_crime','other')),
    role                   TEXT NOT NULL CHECK (role IN ('victim','witness')),
    age                    INTEGER NOT NULL CHECK (age BETWEEN 0 AND 120),
    residence_municipality TEXT NOT NULL,
    reported               TEXT NOT NULL CHECK (reported IN ('yes','no')),
    intra_family           TEXT NOT NULL CHECK (intra_family IN ('yes','no')),
    school                 TEXT REFERENCES organisations(code),
    personal               BLOB,
    key_id                 TEXT,
    status                 TEXT NOT NULL,
    outcome                TEXT NOT NULL DEFAULT '',
    outcome_on             TEXT NOT NULL DEFAULT '',
    pending_to             TEXT NOT NULL DEFAULT '',
    handover_to            TEXT NOT NULL DEFAULT '',
    handover_kind          TEXT NOT NULL DEFAULT '',
    handover_on            TEXT NOT NULL DEFAULT '',
    safety_before          INTEGER,
    safety_after           INTEGER,
    closed_on              TEXT NOT NULL DEFAULT '',
    last_event_at          TEXT NOT NULL,
    created_by             INTEGER REFERENCES users(id),
    created_at             TEXT NOT NULL,
    anonymised_at          TEXT,
    UNIQUE (ref_year, ref_seq)
);
CREATE INDEX cases_unit_status ON cases(unit, status, registered_on);
CREATE INDEX cases_registered ON cases(registered_on, unit);
CREATE INDEX cases_pending_to ON cases(pending_to) WHERE pending_to <> '';
CREATE INDEX cases_handover_to ON cases(handover_to) WHERE handover_to <> '';

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    seq         INTEGER NOT NULL,
    type        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    actor_role  TEXT NOT NULL DEFAULT '',
    actor_org   TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    secret      BLOB,
    key_id      TEXT,
    UNIQUE (case_id, seq)
);

-- The timeline is append-only. The one change allowed is anonymisation, which
-- removes the encrypted free text and nothing else.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (NEW.secret IS NULL AND NEW.key_id IS NULL AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id
          AND NEW.seq = OLD.seq AND NEW.type = OLD.type AND NEW.on_date = OLD.on_date
          AND NEW.recorded_at = OLD.recorded_at AND NEW.data = OLD.data)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE sessions (
    id_hash    BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_states (
    state_hash BLOB PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL DEFAULT '',
    org       TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    case_id   TEXT NOT NULL DEFAULT '',
    object    TEXT NOT NULL DEFAULT '',
    purpose   TEXT NOT NULL DEFAULT '',
    outcome   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_case ON audit(case_id) WHERE case_id <> '';
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
