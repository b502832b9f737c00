-- Issue 14, lists at national volume: each case keeps its next deadline on its own row, so the
-- cases list sorts and filters by it through an index instead of working it out from every case's
-- pending decisions on every page.
--
-- next_due_on is the earliest due date of the case's pending decisions while the case is open
-- (null when closed or merged, or when nothing is pending). The database keeps it, whichever code
-- writes a decision or changes a case's status (the application, an import, the benchmark data):
-- nothing has to remember to.
ALTER TABLE case_record ADD COLUMN next_due_on date;

UPDATE case_record k SET next_due_on = (
  SELECT min(d.due_on) FROM decision d WHERE d.case_id = k.id AND d.status = 'pending'
) WHERE k.status = 'open';

-- The cases whose decisions a statement changed get their next deadline worked out again (one
-- index look-up each: a statement writing many decisions must not read every case).
CREATE FUNCTION case_next_due_refresh(case_ids uuid[]) RETURNS void LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE case_record k SET next_due_on = n.next_due_on
  FROM (
    SELECT k2.id, CASE WHEN k2.status = 'open' THEN (
      SELECT min(d.due_on) FROM decision d WHERE d.case_id = k2.id AND d.status = 'pending'
    ) END AS next_due_on
    FROM case_record k2 WHERE k2.id = ANY (case_ids)
  ) n
  WHERE k.id = n.id AND k.next_due_on IS DISTINCT FROM n.next_due_on;
END;
$$;

CREATE FUNCTION case_next_due_from_new_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_next_due_refresh(ARRAY(SELECT DISTINCT case_id FROM new_decisions));
  RETURN NULL;
END;
$$;
CREATE FUNCTION case_next_due_from_old_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_next_due_refresh(ARRAY(SELECT DISTINCT case_id FROM old_decisions));
  RETURN NULL;
END;
$$;
CREATE FUNCTION case_next_due_from_changed_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A decision moved to another case (a merge) changes both cases' deadlines.
  PERFORM case_next_due_refresh(ARRAY(
    SELECT case_id FROM new_decisions UNION SELECT case_id FROM old_decisions));
  RETURN NULL;
END;
$$;
CREATE TRIGGER case_next_due_on_decision_insert AFTER INSERT ON decision
  REFERENCING NEW TABLE AS new_decisions FOR EACH STATEMENT EXECUTE FUNCTION case_next_due_from_new_decisions();
CREATE TRIGGER case_next_due_on_decision_update AFTER UPDATE ON decision
  REFERENCING OLD TABLE AS old_decisions NEW TABLE AS new_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION case_next_due_from_changed_decisions();
CREATE TRIGGER case_next_due_on_decision_delete AFTER DELETE ON decision
  REFERENCING OLD TABLE AS old_decisions FOR EACH STATEMENT EXECUTE FUNCTION case_next_due_from_old_decisions();

-- A case closed (or merged) has no deadline running; one reopened has its pending decisions' again.
CREATE FUNCTION case_next_due_on_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.next_due_on := CASE WHEN NEW.status = 'open' THEN (
    SELECT min(d.due_on) FROM decision d WHERE d.case_id = NEW.id AND d.status = 'pending'
  ) END;
  RETURN NEW;
END;
$$;
CREATE TRIGGER case_next_due_on_status_change BEFORE UPDATE OF status ON case_record
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION case_next_due_on_status();

-- The cases list sorted by next deadline (cases with none last, in the index's own order), and
-- "overdue" / "due this week" as a range of it.
CREATE INDEX case_record_next_due_idx ON case_record (next_due_on, opened_at DESC, id);
