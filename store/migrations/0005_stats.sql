-- A covering index for the annual summary: one year's cases are one range of
-- this index, and every figure is computed from it without reading case rows.
CREATE INDEX cases_stats ON cases(registered_on, unit, category, outcome, handover_kind, role, age, reported,
    residence_municipality, safety_before, safety_after);
DROP INDEX IF EXISTS cases_registered; -- the prefix of cases_stats serves the same queries
