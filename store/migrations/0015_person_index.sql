-- Repeat victims (SPEC §12): a keyed blind index of the person (HMAC of the
-- normalised name and the birth date, key outside the database, key id beside
-- it for rotation), removed at anonymisation; and whether the person had a
-- case in the 12 months before this one, which statistics keep after the
-- index is gone.
ALTER TABLE cases ADD COLUMN person_index BLOB;
ALTER TABLE cases ADD COLUMN person_key TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN repeat_victim INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_person ON cases(person_index, registered_on) WHERE person_index IS NOT NULL;
CREATE INDEX cases_repeat ON cases(registered_on, unit) WHERE repeat_victim = 1;
