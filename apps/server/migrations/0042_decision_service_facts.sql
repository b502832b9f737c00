-- Statistics ready before anyone asks (issue 17): narrow copies of the facts of decisions and of
-- service referrals, as referral_fact is of referrals (migration 0012). The fact views used to join
-- each decision and service referral to its case (for the region) and each service referral to its
-- provider and, by a correlated look-up of its steps, to the moment it was accepted: at a million
-- referrals the headline medians read hundreds of thousands of rows that way. The copies hold the
-- same values, kept in step by statement triggers in the same transaction as every change, so a
-- figure is never out of date, and the views read them with the same columns in the same order:
-- every published figure stays the same.

CREATE TABLE decision_fact (
  decision_id uuid PRIMARY KEY REFERENCES decision (id) ON DELETE CASCADE,
  child_unit uuid NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  outcome text,
  starts_on date NOT NULL,
  earliest_on date,
  due_on date NOT NULL,
  decided_on date,
  by_panel boolean NOT NULL,
  region text NOT NULL
);

-- The moments are kept (not their days): the day of a moment depends on the reader's time zone,
-- so the view casts them as it always did. The first acceptance is the earliest 'accepted' step.
CREATE TABLE service_referral_fact (
  service_referral_id uuid PRIMARY KEY REFERENCES service_referral (id) ON DELETE CASCADE,
  child_unit uuid NOT NULL,
  provider_organisation_id uuid NOT NULL,
  need_type text NOT NULL,
  status text NOT NULL,
  decline_reason text,
  respond_by date NOT NULL,
  accepted_at timestamptz,
  provider_kind text NOT NULL,
  region text NOT NULL,
  created_at timestamptz NOT NULL
);

-- The triggers below join a statement's changed rows to other tables by key: one index look-up
-- a changed row (no hash or merge join over a whole table), as referral_fact's do.

CREATE FUNCTION decision_fact_from_decisions() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  INSERT INTO decision_fact
  SELECT d.id, d.case_id, d.kind, d.status, d.outcome, d.starts_on, d.earliest_on, d.due_on,
    d.decided_on, d.by_panel, k.region
  FROM changed_decisions d
  JOIN case_record k ON k.id = d.case_id
  ON CONFLICT (decision_id) DO UPDATE SET
    child_unit = EXCLUDED.child_unit, kind = EXCLUDED.kind, status = EXCLUDED.status,
    outcome = EXCLUDED.outcome, starts_on = EXCLUDED.starts_on, earliest_on = EXCLUDED.earliest_on,
    due_on = EXCLUDED.due_on, decided_on = EXCLUDED.decided_on, by_panel = EXCLUDED.by_panel,
    region = EXCLUDED.region;
  RETURN NULL;
END;
$$;
CREATE TRIGGER decision_fact_on_insert AFTER INSERT ON decision
  REFERENCING NEW TABLE AS changed_decisions FOR EACH STATEMENT EXECUTE FUNCTION decision_fact_from_decisions();
CREATE TRIGGER decision_fact_on_update AFTER UPDATE ON decision
  REFERENCING NEW TABLE AS changed_decisions FOR EACH STATEMENT EXECUTE FUNCTION decision_fact_from_decisions();

CREATE FUNCTION service_referral_fact_from_service_referrals() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  INSERT INTO service_referral_fact
  SELECT s.id, s.case_id, s.provider_organisation_id, s.need_type, s.status, s.decline_reason,
    s.respond_by,
    (SELECT min(e.occurred_at) FROM service_referral_event e
      WHERE e.service_referral_id = s.id AND e.to_status = 'accepted'),
    o.kind, k.region, s.created_at
  FROM changed_service_referrals s
  JOIN case_record k ON k.id = s.case_id
  JOIN organisation o ON o.id = s.provider_organisation_id
  ON CONFLICT (service_referral_id) DO UPDATE SET
    child_unit = EXCLUDED.child_unit, provider_organisation_id = EXCLUDED.provider_organisation_id,
    need_type = EXCLUDED.need_type, status = EXCLUDED.status, decline_reason = EXCLUDED.decline_reason,
    respond_by = EXCLUDED.respond_by, accepted_at = EXCLUDED.accepted_at,
    provider_kind = EXCLUDED.provider_kind, region = EXCLUDED.region, created_at = EXCLUDED.created_at;
  RETURN NULL;
END;
$$;
CREATE TRIGGER service_referral_fact_on_insert AFTER INSERT ON service_referral
  REFERENCING NEW TABLE AS changed_service_referrals FOR EACH STATEMENT
  EXECUTE FUNCTION service_referral_fact_from_service_referrals();
CREATE TRIGGER service_referral_fact_on_update AFTER UPDATE ON service_referral
  REFERENCING NEW TABLE AS changed_service_referrals FOR EACH STATEMENT
  EXECUTE FUNCTION service_referral_fact_from_service_referrals();

-- A step added, changed or removed: the first acceptance of each service referral it belongs to,
-- looked up again.
CREATE FUNCTION service_referral_fact_from_steps() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE service_referral_fact f SET accepted_at = a.accepted_at
  FROM (
    SELECT c.id, (SELECT min(e.occurred_at) FROM service_referral_event e
      WHERE e.service_referral_id = c.id AND e.to_status = 'accepted') AS accepted_at
    FROM (SELECT DISTINCT service_referral_id AS id FROM changed_steps) c
  ) a
  WHERE f.service_referral_id = a.id AND f.accepted_at IS DISTINCT FROM a.accepted_at;
  RETURN NULL;
END;
$$;
CREATE TRIGGER service_referral_fact_on_step_insert AFTER INSERT ON service_referral_event
  REFERENCING NEW TABLE AS changed_steps FOR EACH STATEMENT EXECUTE FUNCTION service_referral_fact_from_steps();
CREATE TRIGGER service_referral_fact_on_step_update_new AFTER UPDATE ON service_referral_event
  REFERENCING NEW TABLE AS changed_steps FOR EACH STATEMENT EXECUTE FUNCTION service_referral_fact_from_steps();
CREATE TRIGGER service_referral_fact_on_step_update_old AFTER UPDATE ON service_referral_event
  REFERENCING OLD TABLE AS changed_steps FOR EACH STATEMENT EXECUTE FUNCTION service_referral_fact_from_steps();
CREATE TRIGGER service_referral_fact_on_step_delete AFTER DELETE ON service_referral_event
  REFERENCING OLD TABLE AS changed_steps FOR EACH STATEMENT EXECUTE FUNCTION service_referral_fact_from_steps();

-- A case moved region: its decisions and service referrals count there.
CREATE FUNCTION decision_service_fact_from_cases() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE decision_fact f SET region = k.region
  FROM changed_cases k
  WHERE f.child_unit = k.id AND f.region IS DISTINCT FROM k.region;
  UPDATE service_referral_fact f SET region = k.region
  FROM changed_cases k
  WHERE f.child_unit = k.id AND f.region IS DISTINCT FROM k.region;
  RETURN NULL;
END;
$$;
CREATE TRIGGER decision_service_fact_on_case_update AFTER UPDATE ON case_record
  REFERENCING NEW TABLE AS changed_cases FOR EACH STATEMENT EXECUTE FUNCTION decision_service_fact_from_cases();

-- A provider's kind changed: its service referrals count under the new kind.
CREATE FUNCTION service_referral_fact_from_organisations() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE service_referral_fact f SET provider_kind = o.kind
  FROM changed_organisations o
  WHERE f.provider_organisation_id = o.id AND f.provider_kind IS DISTINCT FROM o.kind;
  RETURN NULL;
END;
$$;
CREATE TRIGGER service_referral_fact_on_organisation_update AFTER UPDATE ON organisation
  REFERENCING NEW TABLE AS changed_organisations FOR EACH STATEMENT
  EXECUTE FUNCTION service_referral_fact_from_organisations();

-- The copies of what is there now: one pass over each table, joined set-wise.
INSERT INTO decision_fact
SELECT d.id, d.case_id, d.kind, d.status, d.outcome, d.starts_on, d.earliest_on, d.due_on,
  d.decided_on, d.by_panel, k.region
FROM decision d
JOIN case_record k ON k.id = d.case_id;

INSERT INTO service_referral_fact
SELECT s.id, s.case_id, s.provider_organisation_id, s.need_type, s.status, s.decline_reason,
  s.respond_by, a.accepted_at, o.kind, k.region, s.created_at
FROM service_referral s
JOIN case_record k ON k.id = s.case_id
JOIN organisation o ON o.id = s.provider_organisation_id
LEFT JOIN (
  SELECT service_referral_id, min(occurred_at) AS accepted_at FROM service_referral_event
  WHERE to_status = 'accepted' GROUP BY service_referral_id
) a ON a.service_referral_id = s.id;

-- Indexes after the copies are made (quicker than kept up row by row): statistics pick decisions
-- by the day made and service referrals by the moment made; the triggers find a case's rows by
-- its id and a provider's by its organisation.
CREATE INDEX decision_fact_made_on_idx ON decision_fact (decided_on) WHERE status = 'made';
CREATE INDEX decision_fact_child_unit_idx ON decision_fact (child_unit);
CREATE INDEX service_referral_fact_created_idx ON service_referral_fact (created_at);
CREATE INDEX service_referral_fact_child_unit_idx ON service_referral_fact (child_unit);
CREATE INDEX service_referral_fact_provider_idx ON service_referral_fact (provider_organisation_id);
-- The equity figures group the children a figure counts by all their referrals' ethnicities: the
-- referrals of those children, found by counting unit.
CREATE INDEX referral_fact_child_unit_idx ON referral_fact (child_unit);

-- The same columns, in the same order, as before: only where they are read from changes.
CREATE OR REPLACE VIEW fact_decision AS
SELECT
  decision_id,
  child_unit,
  kind,
  status,
  outcome,
  starts_on,
  earliest_on,
  due_on,
  decided_on,
  by_panel,
  region
FROM decision_fact;

CREATE OR REPLACE VIEW fact_service_referral AS
SELECT
  service_referral_id,
  child_unit,
  need_type,
  status,
  decline_reason,
  created_at::date AS created_on,
  respond_by,
  accepted_at::date AS accepted_on,
  provider_kind,
  region,
  created_at
FROM service_referral_fact;

ANALYZE decision_fact;
ANALYZE service_referral_fact;
ANALYZE referral_fact;
