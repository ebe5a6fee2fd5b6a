-- Forms held server-side for a short while (issue 16): the values of an
-- event waiting for confirmation (SPEC §13, "Confirmation is a page of its
-- own"), and a form sent after the session ended, to come back filled after
-- signing in. Only the hash of the token that names one is stored; the
-- values are encrypted with the field key, bound to the row; each belongs to
-- one user and one purpose and is deleted when used or when it expires.
CREATE TABLE held_forms (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  purpose    TEXT NOT NULL,
  path       TEXT NOT NULL,
  data       BLOB,
  key_id     TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX held_forms_created ON held_forms(created_at);
-- Register once (SPEC §13): the register form's one-use form_id, hashed, on
-- the case it created, unique per creator.
ALTER TABLE cases ADD COLUMN form_id_hash BLOB;
CREATE UNIQUE INDEX cases_form_id ON cases(created_by, form_id_hash) WHERE form_id_hash IS NOT NULL;
