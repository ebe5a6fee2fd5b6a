-- The officer's case list at any size (issue 19). The name search reads a
-- keyed blind index instead of decrypting every name of the unit: one row per
-- prefix of each word of the person's name, the token a truncated HMAC (key
-- derived from the field key, per unit; never the name or a plain hash),
-- keyed by the case's ref (year, number), which never changes. name_key is
-- the field key id the case's tokens were made with, so a key rotation or a
-- database older than this migration is indexed again at open
-- (store/namesearch.go).
CREATE TABLE case_name_tokens (
    token    INTEGER NOT NULL,
    ref_year INTEGER NOT NULL,
    ref_seq  INTEGER NOT NULL,
    PRIMARY KEY (token, ref_year, ref_seq)
) WITHOUT ROWID;
CREATE INDEX case_name_tokens_case ON case_name_tokens(ref_year, ref_seq);
ALTER TABLE cases ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_name_key ON cases(name_key);
-- The list's pages straight from an index, ties by ref (year, number), with
-- and without a status: newest first, by ref, and by status then ref.
DROP INDEX cases_unit_status;
CREATE INDEX cases_unit_status ON cases(unit, status, registered_on, ref_year, ref_seq);
CREATE INDEX cases_unit_date ON cases(unit, registered_on, ref_year, ref_seq);
CREATE INDEX cases_unit_ref ON cases(unit, ref_year, ref_seq, ref);
CREATE INDEX cases_unit_status_ref ON cases(unit, status, ref_year, ref_seq);
