-- Exports need the lawful basis of each referral (a code, never identity) to decide which children
-- may be shared: appended to the fact view, so exports read facts only, as the statistics role.
CREATE OR REPLACE VIEW fact_referral AS
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
  coalesce(c.case_id, c.id) AS child_unit,
  r.lawful_basis
FROM referral r
JOIN child c ON c.id = r.child_id
JOIN organisation o ON o.id = r.organisation_id;
