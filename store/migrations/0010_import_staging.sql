-- A checked spreadsheet waiting for the officer's confirmation: encrypted
-- like other personal data, for one user, used once, kept at most an hour.
CREATE TABLE import_staging (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    data       BLOB NOT NULL,
    key_id     TEXT NOT NULL
);
