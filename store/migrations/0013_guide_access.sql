-- Issue 10: a guide's suggestion of onward follow-up waits for the officer
-- (suggested_on, the reminder guide_suggestion), and an imported handover is
-- statistics only (handover_imported: the guide scope never matches it).
ALTER TABLE cases ADD COLUMN suggested_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN handover_imported INTEGER NOT NULL DEFAULT 0;
-- Handovers imported before this migration were accepted by the importer's
-- "Import" actor, no user (tryggspor.Event.WasImported); they give no access.
UPDATE cases SET handover_imported = 1 WHERE handover_to <> '' AND EXISTS (
    SELECT 1 FROM events e WHERE e.case_id = cases.id AND e.type = 'handover_accepted' AND e.actor_name = 'Import'
        AND e.actor_id IS NULL
        AND e.seq = (SELECT max(seq) FROM events x WHERE x.case_id = cases.id AND x.type = 'handover_accepted'));
-- The sweep reads the new facts from the covering index, as before.
DROP INDEX IF EXISTS cases_open_facts;
CREATE INDEX cases_open_facts ON cases(status, id, ref, unit, created_by, registered_on, outcome, attempts,
    unanswered, last_attempt_on, offered_on, scheduled_for, pending_to, proposed_on, pending_until, handover_to,
    handover_on, last_guide_contact, access_until, last_event_at, anonymised_at, suggested_on, handover_imported)
    WHERE status <> 'closed';
