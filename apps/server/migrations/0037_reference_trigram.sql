-- Issue 14, lists at national volume: the `?q=` filter of the cases list, the triage queue and the
-- decisions board is `reference ILIKE '%…%'` (part of a reference, anywhere in it: people type the
-- last digits). A B-tree cannot answer a match in the middle of a string, so each such page read
-- every row; a trigram index (pg_trgm, GIN) answers ILIKE '%abc%' for three characters or more.
-- pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it
-- without being a superuser; PGlite loads it at start (db/database.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS case_record_reference_trgm_idx ON case_record USING gin (reference gin_trgm_ops);
CREATE INDEX IF NOT EXISTS referral_reference_trgm_idx ON referral USING gin (reference gin_trgm_ops);
