-- Statistics read facts, never identity. These views carry codes, dates and counting units only;
-- the role tiaki_stats may read these views and nothing else, so a statistics query cannot reach
-- a name, a narrative or an encrypted column even by mistake.

-- One row per referral. child_unit counts a child once: the case when there is one (cases merged
-- into another count under the kept case), else the child record itself.
CREATE VIEW fact_referral AS
SELECT
  r.id AS referral_id,
  r.received_on,
  r.concern_date,
  r.region,
  r.police_district,
  r.manifestations,
  r.manifestation_subtypes,
  r.contexts,
  r.urgent,
  r.concern_level,
  r.status,
  r.taxonomy_version,
  o.kind AS referrer_kind,
  c.age_band,
  c.gender,
  c.ethnicities,
  c.iwi,
  c.citizenship,
  c.identified,
  coalesce(c.case_id, c.id) AS child_unit
FROM referral r
JOIN child c ON c.id = r.child_id
JOIN organisation o ON o.id = r.organisation_id;

CREATE VIEW fact_decision AS
SELECT
  d.id AS decision_id,
  d.case_id AS child_unit,
  d.kind,
  d.status,
  d.outcome,
  d.starts_on,
  d.earliest_on,
  d.due_on,
  d.decided_on,
  d.by_panel,
  k.region
FROM decision d
JOIN case_record k ON k.id = d.case_id;

CREATE VIEW fact_service_referral AS
SELECT
  s.id AS service_referral_id,
  s.case_id AS child_unit,
  s.need_type,
  s.status,
  s.decline_reason,
  s.created_at::date AS created_on,
  s.respond_by,
  (SELECT min(e.occurred_at)::date FROM service_referral_event e
    WHERE e.service_referral_id = s.id AND e.to_status = 'accepted') AS accepted_on,
  o.kind AS provider_kind,
  k.region
FROM service_referral s
JOIN case_record k ON k.id = s.case_id
JOIN organisation o ON o.id = s.provider_organisation_id;

CREATE VIEW fact_unmet_need AS
SELECT
  u.id AS unmet_need_id,
  u.case_id AS child_unit,
  u.need_type,
  u.region,
  u.age_band,
  u.reason,
  u.recorded_at::date AS recorded_on,
  u.met_at::date AS met_on
FROM unmet_need u;

CREATE VIEW fact_case AS
SELECT
  k.id AS child_unit,
  k.status,
  k.closure_reason,
  k.region,
  k.opened_at::date AS opened_on,
  k.closed_at::date AS closed_on
FROM case_record k;

DO $$ BEGIN
  CREATE ROLE tiaki_stats NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
