-- The follow-up plan (SPEC §13, issue 21). Its measures live on the
-- timeline (plan_measure, plan_evaluation); the case row keeps what the
-- summary and the reminder sweep need without reading the timeline: the
-- measures' counts by their latest evaluation, the earliest evaluation due
-- of the officers' measures, and of the guides' measures with the guide
-- organisation that recorded it. Existing cases have no plan, so the defaults are right for them.
ALTER TABLE cases ADD COLUMN plan_agreed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_evaluated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_helped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_partly INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_not_helped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_not_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_guide_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_due_org TEXT NOT NULL DEFAULT '';
-- The sweep reads the plan's due date from the covering index, as the rest.
DROP INDEX IF EXISTS cases_open_facts;
CREATE INDEX cases_open_facts ON cases(status, id, ref, unit, created_by, registered_on, outcome, attempts,
    unanswered, last_attempt_on, offered_on, scheduled_for, pending_to, proposed_on, pending_until, handover_to,
    handover_on, last_guide_contact, access_until, last_event_at, anonymised_at, suggested_on, handover_imported,
    plan_due, plan_guide_due, plan_due_org)
    WHERE status <> 'closed';
-- The summary sums the plans of the year's cases from this partial covering
-- index: only cases with a plan are in it, and the query reads nothing else.
CREATE INDEX cases_plan_counts ON cases(registered_on, unit, residence_municipality, plan_agreed, plan_helped,
    plan_partly, plan_not_helped, plan_not_done) WHERE plan_agreed > 0;
