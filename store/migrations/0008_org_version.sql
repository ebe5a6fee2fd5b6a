-- A counter that every change to the organisations bumps, in the same
-- transaction, whichever process makes it: a server caches the (small, often
-- read) organisation list and compares this counter instead of trusting that
-- only it writes (`tryggspor orgs import` runs beside it).
CREATE TABLE org_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
);
INSERT INTO org_version VALUES (1, 0);
CREATE TRIGGER org_version_insert AFTER INSERT ON organisations BEGIN UPDATE org_version SET v = v + 1; END;
CREATE TRIGGER org_version_update AFTER UPDATE ON organisations BEGIN UPDATE org_version SET v = v + 1; END;
CREATE TRIGGER org_version_delete AFTER DELETE ON organisations BEGIN UPDATE org_version SET v = v + 1; END;
