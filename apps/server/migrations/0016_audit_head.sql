-- The audit log cannot be silently emptied (issue 19, finding 5).
--
-- TRUNCATE fires no row trigger, so the append-only trigger of 0001 did not stop it: a statement
-- trigger refuses it, for every role including the owner (who must first disable the trigger).
CREATE FUNCTION audit_event_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: it cannot be truncated';
END;
$$;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate();

-- The newest entry the log has ever held (its id and hash), kept apart from the log. Verification
-- fails when the log ends before it, or its entry at that id is not the one recorded: an emptied
-- or shortened log no longer verifies. It lives in the same database, so an owner who disables
-- the triggers of both tables can still rewrite both; anchoring the head outside the database
-- closes that.
CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id bigint NOT NULL,
  last_hash text NOT NULL
);

-- A second insert moves the one row forward instead (restoring a backup inserts the row after
-- the entries have already moved it); it never moves back.
CREATE FUNCTION audit_head_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_head) THEN
    UPDATE audit_head SET last_id = NEW.last_id, last_hash = NEW.last_hash WHERE last_id < NEW.last_id;
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_merge BEFORE INSERT ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_merge();

CREATE FUNCTION audit_head_only_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.last_id >= OLD.last_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_head only moves forward';
END;
$$;
CREATE TRIGGER audit_head_only_forward BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_only_forward();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_head_only_forward();

-- Every statement that appends entries moves the head to the newest of them, whoever writes.
CREATE FUNCTION audit_event_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_head (last_id, last_hash)
  SELECT id, hash FROM appended ORDER BY id DESC LIMIT 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER audit_event_advance_head AFTER INSERT ON audit_event
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_advance_head();

-- An installation that already has entries starts from its newest one.
INSERT INTO audit_head (last_id, last_hash)
SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1;
