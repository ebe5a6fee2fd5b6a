-- Sign-in with several providers (issue 13).
-- Organisations get the optional Norwegian organisation number, unique when
-- set, so a provider that names the organisation by number can be mapped.
ALTER TABLE organisations ADD COLUMN orgno TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX organisations_orgno ON organisations(orgno) WHERE orgno <> '';
-- A pending sign-in remembers the provider it was sent to.
ALTER TABLE login_states ADD COLUMN provider TEXT NOT NULL DEFAULT '';
-- A session remembers its provider and, encrypted with the field key, the ID
-- token to send as id_token_hint when signing out at the provider. It is
-- used for nothing else and deleted with the session.
ALTER TABLE sessions ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN logout_hint BLOB;
ALTER TABLE sessions ADD COLUMN logout_key_id TEXT NOT NULL DEFAULT '';
