-- Statistics count referrals by the day received, over months or years. The fact view used to
-- join three wide tables (encrypted identity and narrative included) for every count; it now
-- reads a narrow copy of each referral's facts, indexed by that day and kept in step by triggers
-- in the same transaction as every change, so a count is never out of date.
CREATE TABLE referral_fact (
  referral_id uuid PRIMARY KEY REFERENCES referral (id) ON DELETE CASCADE,
  child_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  received_on date NOT NULL,
  concern_date date NOT NULL,
  region text NOT NULL,
  police_district text,
  manifestations text[] NOT NULL,
  manifestation_subtypes text[] NOT NULL,
  contexts text[] NOT NULL,
  urgent boolean NOT NULL,
  concern_level text NOT NULL,
  status text NOT NULL,
  taxonomy_version text NOT NULL,
  lawful_basis text NOT NULL,
  referrer_kind text NOT NULL,
  age_band text,
  gender text,
  ethnicities text[] NOT NULL,
  iwi text[] NOT NULL,
  citizenship text,
  identified boolean NOT NULL,
  child_unit uuid NOT NULL
);
CREATE INDEX referral_fact_received_idx ON referral_fact (received_on);
CREATE INDEX referral_fact_child_idx ON referral_fact (child_id);
CREATE INDEX referral_fact_organisation_idx ON referral_fact (organisation_id);

-- The triggers below join a statement's changed rows to large tables by primary key. They run
-- without hash and merge joins, so each changed row is one index look-up: a thousand-row import
-- chunk must not read every child ever recorded.

-- New or changed referrals: their facts written again, with their child's and organisation's.
CREATE FUNCTION referral_fact_from_referrals() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  INSERT INTO referral_fact
  SELECT r.id, r.child_id, r.organisation_id, r.received_on, r.concern_date, r.region, r.police_district,
    r.manifestations, r.manifestation_subtypes, r.contexts, r.urgent, r.concern_level, r.status,
    r.taxonomy_version, r.lawful_basis, o.kind, c.age_band, c.gender, c.ethnicities, c.iwi, c.citizenship,
    c.identified, coalesce(c.case_id, c.id)
  FROM changed_referrals r
  JOIN child c ON c.id = r.child_id
  JOIN organisation o ON o.id = r.organisation_id
  ON CONFLICT (referral_id) DO UPDATE SET
    child_id = EXCLUDED.child_id, organisation_id = EXCLUDED.organisation_id,
    received_on = EXCLUDED.received_on, concern_date = EXCLUDED.concern_date, region = EXCLUDED.region,
    police_district = EXCLUDED.police_district, manifestations = EXCLUDED.manifestations,
    manifestation_subtypes = EXCLUDED.manifestation_subtypes, contexts = EXCLUDED.contexts,
    urgent = EXCLUDED.urgent, concern_level = EXCLUDED.concern_level, status = EXCLUDED.status,
    taxonomy_version = EXCLUDED.taxonomy_version, lawful_basis = EXCLUDED.lawful_basis,
    referrer_kind = EXCLUDED.referrer_kind, age_band = EXCLUDED.age_band, gender = EXCLUDED.gender,
    ethnicities = EXCLUDED.ethnicities, iwi = EXCLUDED.iwi, citizenship = EXCLUDED.citizenship,
    identified = EXCLUDED.identified, child_unit = EXCLUDED.child_unit;
  RETURN NULL;
END;
$$;
CREATE TRIGGER referral_fact_on_insert AFTER INSERT ON referral
  REFERENCING NEW TABLE AS changed_referrals FOR EACH STATEMENT EXECUTE FUNCTION referral_fact_from_referrals();
CREATE TRIGGER referral_fact_on_update AFTER UPDATE ON referral
  REFERENCING NEW TABLE AS changed_referrals FOR EACH STATEMENT EXECUTE FUNCTION referral_fact_from_referrals();

-- A child's facts changed (age band, ethnicity, linked into a case): every referral about them.
CREATE FUNCTION referral_fact_from_children() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE referral_fact f SET age_band = c.age_band, gender = c.gender, ethnicities = c.ethnicities,
    iwi = c.iwi, citizenship = c.citizenship, identified = c.identified, child_unit = coalesce(c.case_id, c.id)
  FROM changed_children c
  WHERE f.child_id = c.id
    AND (f.age_band, f.gender, f.ethnicities, f.iwi, f.citizenship, f.identified, f.child_unit)
      IS DISTINCT FROM (c.age_band, c.gender, c.ethnicities, c.iwi, c.citizenship, c.identified, coalesce(c.case_id, c.id));
  RETURN NULL;
END;
$$;
CREATE TRIGGER referral_fact_on_child_update AFTER UPDATE ON child
  REFERENCING NEW TABLE AS changed_children FOR EACH STATEMENT EXECUTE FUNCTION referral_fact_from_children();

-- An organisation's kind changed: its referrals count under the new kind.
CREATE FUNCTION referral_fact_from_organisations() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  UPDATE referral_fact f SET referrer_kind = o.kind
  FROM changed_organisations o
  WHERE f.organisation_id = o.id AND f.referrer_kind IS DISTINCT FROM o.kind;
  RETURN NULL;
END;
$$;
CREATE TRIGGER referral_fact_on_organisation_update AFTER UPDATE ON organisation
  REFERENCING NEW TABLE AS changed_organisations FOR EACH STATEMENT EXECUTE FUNCTION referral_fact_from_organisations();

INSERT INTO referral_fact
SELECT r.id, r.child_id, r.organisation_id, r.received_on, r.concern_date, r.region, r.police_district,
  r.manifestations, r.manifestation_subtypes, r.contexts, r.urgent, r.concern_level, r.status,
  r.taxonomy_version, r.lawful_basis, o.kind, c.age_band, c.gender, c.ethnicities, c.iwi, c.citizenship,
  c.identified, coalesce(c.case_id, c.id)
FROM referral r
JOIN child c ON c.id = r.child_id
JOIN organisation o ON o.id = r.organisation_id;

-- The same columns, in the same order, as before: only where they are read from changes.
CREATE OR REPLACE VIEW fact_referral AS
SELECT
  referral_id,
  received_on,
  concern_date,
  region,
  police_district,
  manifestations,
  manifestation_subtypes,
  contexts,
  urgent,
  concern_level,
  status,
  taxonomy_version,
  referrer_kind,
  age_band,
  gender,
  ethnicities,
  iwi,
  citizenship,
  identified,
  child_unit,
  lawful_basis
FROM referral_fact;

-- Fresh statistics for the planner: the copy was just filled.
ANALYZE referral_fact;
