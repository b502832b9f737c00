-- The audit chain is built out of the request path (issue 17).
--
-- Until now every audited transaction took one advisory lock, read the chain's end and appended a
-- chained entry: every audited request in every process waited on that lock until commit. Now a
-- request only appends its entry (its id from a sequence, in its own transaction, with no lock);
-- the sealer (one at a time across processes, see modules/audit/sealer.ts) links committed entries
-- into the hash chain in the order it sees them committed, filling in their chain position, the
-- previous entry's hash and their own hash. An entry is "unsealed" until then.

-- Ids come from a sequence; one that was drawn by a transaction that rolled back leaves a gap,
-- which is why the chain has its own gap-free position (seq).
CREATE SEQUENCE audit_event_id_seq OWNED BY audit_event.id;
SELECT setval('audit_event_id_seq', COALESCE((SELECT max(id) FROM audit_event), 0) + 1, false);
ALTER TABLE audit_event ALTER COLUMN id SET DEFAULT nextval('audit_event_id_seq');

ALTER TABLE audit_event ADD COLUMN seq bigint;
ALTER TABLE audit_event ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_event ALTER COLUMN hash DROP NOT NULL;
-- Entries chained before this migration were chained in id order, without gaps: their position is
-- their id. (The owner sets it with the guard off; nothing else about them changes.)
ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;
UPDATE audit_event SET seq = id;
ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only;

-- Sealed means all three are set, unsealed means none is.
ALTER TABLE audit_event ADD CONSTRAINT audit_event_sealed_whole CHECK (
  (seq IS NULL AND prev_hash IS NULL AND hash IS NULL)
  OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL)
);

CREATE UNIQUE INDEX audit_event_seq_idx ON audit_event (seq);
-- What the sealer looks for: small, since entries leave it within about a second.
CREATE INDEX audit_event_unsealed_idx ON audit_event (id) WHERE seq IS NULL;

-- Still append-only: the one change allowed is sealing an unsealed entry once (setting its
-- position and hashes, nothing else). Deletes, and any change to a sealed entry, are refused,
-- even to the owner while the trigger stands. The application role may update only those three
-- columns (see GRANTS in db/migrate.ts).
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND NEW.id = OLD.id
     AND NEW.occurred_at = OLD.occurred_at
     AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
     AND NEW.actor_organisation_id IS NOT DISTINCT FROM OLD.actor_organisation_id
     AND NEW.action = OLD.action
     AND NEW.subject_type IS NOT DISTINCT FROM OLD.subject_type
     AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
     AND NEW.details = OLD.details
     AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;

-- The head (migration 0016) now records the newest *sealed* entry: last_id is its chain position
-- (equal to its id for entries chained before this migration). The sealer moves it, in the
-- transaction that seals; an appended entry no longer does (it has no hash yet).
DROP TRIGGER audit_event_advance_head ON audit_event;
DROP FUNCTION audit_event_advance_head();
