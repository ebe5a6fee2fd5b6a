-- The annual summary reads this rollup instead of the cases: one row per
-- (year, unit and every summary dimension), kept by triggers in the same
-- transaction as every change to a case, so it cannot drift from the cases
-- whatever writes them.
CREATE TABLE case_counts (
    year          INTEGER NOT NULL,
    unit          TEXT NOT NULL,
    category      TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    handover_kind TEXT NOT NULL,
    role          TEXT NOT NULL,
    age_band      TEXT NOT NULL,
    reported      TEXT NOT NULL,
    residence     TEXT NOT NULL,
    n             INTEGER NOT NULL,
    sb_sum        INTEGER NOT NULL,
    sb_n          INTEGER NOT NULL,
    sa_sum        INTEGER NOT NULL,
    sa_n          INTEGER NOT NULL,
    PRIMARY KEY (year, unit, category, outcome, handover_kind, role, age_band, reported, residence)
) WITHOUT ROWID;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_counts VALUES (CAST(substr(NEW.registered_on, 1, 4) AS INTEGER), NEW.unit, NEW.category,
        NEW.outcome, NEW.handover_kind, NEW.role,
        CASE WHEN NEW.age <= 12 THEN '0-12' WHEN NEW.age <= 15 THEN '13-15' WHEN NEW.age <= 17 THEN '16-17' ELSE '18+' END,
        NEW.reported, NEW.residence_municipality, 1, COALESCE(NEW.safety_before, 0), NEW.safety_before IS NOT NULL,
        COALESCE(NEW.safety_after, 0), NEW.safety_after IS NOT NULL)
    ON CONFLICT DO UPDATE SET n = n + 1, sb_sum = sb_sum + excluded.sb_sum, sb_n = sb_n + excluded.sb_n,
        sa_sum = sa_sum + excluded.sa_sum, sa_n = sa_n + excluded.sa_n;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE ON cases
WHEN OLD.registered_on IS NOT NEW.registered_on OR OLD.unit IS NOT NEW.unit OR OLD.category IS NOT NEW.category
  OR OLD.outcome IS NOT NEW.outcome OR OLD.handover_kind IS NOT NEW.handover_kind OR OLD.role IS NOT NEW.role
  OR OLD.age IS NOT NEW.age OR OLD.reported IS NOT NEW.reported
  OR OLD.residence_municipality IS NOT NEW.residence_municipality
  OR OLD.safety_before IS NOT NEW.safety_before OR OLD.safety_after IS NOT NEW.safety_after
BEGIN
    UPDATE case_counts SET n = n - 1, sb_sum = sb_sum - COALESCE(OLD.safety_before, 0), sb_n = sb_n - (OLD.safety_before IS NOT NULL),
        sa_sum = sa_sum - COALESCE(OLD.safety_after, 0), sa_n = sa_n - (OLD.safety_after IS NOT NULL)
    WHERE year = CAST(substr(OLD.registered_on, 1, 4) AS INTEGER) AND unit = OLD.unit AND category = OLD.category
        AND outcome = OLD.outcome AND handover_kind = OLD.handover_kind AND role = OLD.role
        AND age_band = CASE WHEN OLD.age <= 12 THEN '0-12' WHEN OLD.age <= 15 THEN '13-15' WHEN OLD.age <= 17 THEN '16-17' ELSE '18+' END
        AND reported = OLD.reported AND residence = OLD.residence_municipality;
    INSERT INTO case_counts VALUES (CAST(substr(NEW.registered_on, 1, 4) AS INTEGER), NEW.unit, NEW.category,
        NEW.outcome, NEW.handover_kind, NEW.role,
        CASE WHEN NEW.age <= 12 THEN '0-12' WHEN NEW.age <= 15 THEN '13-15' WHEN NEW.age <= 17 THEN '16-17' ELSE '18+' END,
        NEW.reported, NEW.residence_municipality, 1, COALESCE(NEW.safety_before, 0), NEW.safety_before IS NOT NULL,
        COALESCE(NEW.safety_after, 0), NEW.safety_after IS NOT NULL)
    ON CONFLICT DO UPDATE SET n = n + 1, sb_sum = sb_sum + excluded.sb_sum, sb_n = sb_n + excluded.sb_n,
        sa_sum = sa_sum + excluded.sa_sum, sa_n = sa_n + excluded.sa_n;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_counts SET n = n - 1, sb_sum = sb_sum - COALESCE(OLD.safety_before, 0), sb_n = sb_n - (OLD.safety_before IS NOT NULL),
        sa_sum = sa_sum - COALESCE(OLD.safety_after, 0), sa_n = sa_n - (OLD.safety_after IS NOT NULL)
    WHERE year = CAST(substr(OLD.registered_on, 1, 4) AS INTEGER) AND unit = OLD.unit AND category = OLD.category
        AND outcome = OLD.outcome AND handover_kind = OLD.handover_kind AND role = OLD.role
        AND age_band = CASE WHEN OLD.age <= 12 THEN '0-12' WHEN OLD.age <= 15 THEN '13-15' WHEN OLD.age <= 17 THEN '16-17' ELSE '18+' END
        AND reported = OLD.reported AND residence = OLD.residence_municipality;
END;

-- Existing cases, for databases created before this migration.
INSERT INTO case_counts
SELECT CAST(substr(registered_on, 1, 4) AS INTEGER), unit, category, outcome, handover_kind, role,
    CASE WHEN age <= 12 THEN '0-12' WHEN age <= 15 THEN '13-15' WHEN age <= 17 THEN '16-17' ELSE '18+' END,
    reported, residence_municipality, count(*), COALESCE(sum(safety_before), 0), count(safety_before),
    COALESCE(sum(safety_after), 0), count(safety_after)
FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

DROP INDEX IF EXISTS cases_stats;
