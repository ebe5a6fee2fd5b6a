-- Handover details kept in the case row so the guide's scope and the expiry
-- job are plain indexed queries.
ALTER TABLE cases ADD COLUMN accept_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN pending_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN pending_until TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN pending_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN access_until TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN guide_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN last_guide_contact TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_accept_by ON cases(accept_by) WHERE pending_to <> '';
