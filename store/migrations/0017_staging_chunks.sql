-- A staged spreadsheet is kept in chunks, each sealed on its own, so that
-- staging and reading it never need the whole file (and its ciphertext) in
-- memory at once; size is the file's length, for the staging quota.
ALTER TABLE import_staging ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
CREATE TABLE import_staging_chunks (
    token_hash BLOB NOT NULL REFERENCES import_staging(token_hash) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    data       BLOB NOT NULL,
    key_id     TEXT NOT NULL,
    PRIMARY KEY (token_hash, seq)
) WITHOUT ROWID;
CREATE INDEX import_staging_user ON import_staging(user_id);
