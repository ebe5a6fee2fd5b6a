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
-- cases_unit_ref also holds what a search sorts its hits by, so only the
-- page's rows are read from the table.
CREATE INDEX cases_unit_ref ON cases(unit, ref_year, ref_seq, ref, registered_on, status);
CREATE INDEX cases_unit_status_ref ON cases(unit, status, ref_year, ref_seq);
-- The plain list's total and its status groups without walking the unit:
-- cases counted by unit and status, kept by triggers in the transaction of
-- every write of a case, whichever code writes it (as case_counts, 0006).
CREATE TABLE case_status_counts (
    unit   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (unit, status)
) WITHOUT ROWID;
INSERT INTO case_status_counts (unit, status, n) SELECT unit, status, count(*) FROM cases GROUP BY unit, status;
CREATE TRIGGER case_status_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_status_counts VALUES (NEW.unit, NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_status_counts_update AFTER UPDATE OF unit, status ON cases
WHEN OLD.unit IS NOT NEW.unit OR OLD.status IS NOT NEW.status BEGIN
    UPDATE case_status_counts SET n = n - 1 WHERE unit = OLD.unit AND status = OLD.status;
    INSERT INTO case_status_counts VALUES (NEW.unit, NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_status_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_status_counts SET n = n - 1 WHERE unit = OLD.unit AND status = OLD.status;
END;
-- A search by part of a ref (three characters or more) reads a trigram index
-- of the refs instead of every ref of the unit. Refs are not personal data;
-- they never change, so an insert is all there is to keep (and a delete,
-- though no code deletes cases).
CREATE VIRTUAL TABLE case_refs USING fts5(ref, ref_year UNINDEXED, ref_seq UNINDEXED, tokenize = 'trigram', detail = 'none');
INSERT INTO case_refs (ref, ref_year, ref_seq) SELECT ref, ref_year, ref_seq FROM cases;
CREATE TRIGGER case_refs_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_refs (ref, ref_year, ref_seq) VALUES (NEW.ref, NEW.ref_year, NEW.ref_seq);
END;
CREATE TRIGGER case_refs_delete AFTER DELETE ON cases BEGIN
    DELETE FROM case_refs WHERE ref = OLD.ref;
END;
