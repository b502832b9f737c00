-- Statistics pick decisions by the day they were made and service referrals by the day they were
-- made: indexes for both, and the service referral's timestamp in its fact view (as a last,
-- added column) so a period can use the index rather than a cast of every row.
CREATE INDEX decision_made_on_idx ON decision (decided_on) WHERE status = 'made';
CREATE INDEX service_referral_created_idx ON service_referral (created_at);

CREATE OR REPLACE VIEW fact_service_referral AS
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
  k.region,
  s.created_at
FROM service_referral s
JOIN case_record k ON k.id = s.case_id
JOIN organisation o ON o.id = s.provider_organisation_id;
