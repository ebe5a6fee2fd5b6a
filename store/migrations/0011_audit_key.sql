-- Keyed audit chain: each entry names the audit key that made its hash (an
-- HMAC). Entries written before this migration keep '' and their plain
-- SHA-256 hashes; the first signed checkpoint anchors them.
ALTER TABLE audit ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
