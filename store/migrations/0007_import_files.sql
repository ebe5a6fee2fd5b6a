-- Every imported spreadsheet, by the SHA-256 of its content, written in the
-- same transaction as its cases: the import page warns before the same file
-- is imported twice (which would count every case twice in the statistics).
-- No personal data: the hash, when, who and how many cases.
CREATE TABLE import_files (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    imported_at TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    actor       TEXT NOT NULL,
    org         TEXT NOT NULL,
    cases       INTEGER NOT NULL
);
CREATE INDEX import_files_sha256 ON import_files(sha256, imported_at);
