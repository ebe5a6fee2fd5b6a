-- Repeat-victim lookups are disclosures (SPEC §13): the indicator is shown
-- once, to the officer whose registration or correction (of name, birth date
-- or registered_on) asked for it; repeat_lookup_by is that officer until the
-- case page has shown it. The partial index counts an officer's lookups of
-- the day for the daily limit without reading the rest of the log.
ALTER TABLE cases ADD COLUMN repeat_lookup_by INTEGER;
CREATE INDEX audit_repeat_lookup ON audit(actor_id, at) WHERE action = 'repeat_victim.lookup';
