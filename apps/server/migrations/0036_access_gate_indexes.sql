-- Issue 14, lists at national volume: the access gate (child-record/access.ts readableCase) as
-- index look-ups.
-- Is this organisation on this case? One index-only probe per row of a list (the primary key
-- (case_id, organisation_id) needs a heap visit for removed_at): the decision maker's capped count
-- over 10,001 cases took 69 ms with it, 17 ms with this index, on a loaded machine.
CREATE INDEX IF NOT EXISTS case_organisation_live_idx ON case_organisation (case_id, organisation_id)
  WHERE removed_at IS NULL;
-- The cases an organisation is on as a partner (not the owner): one of the grants a person's
-- readable cases start from (the owner's staff see only the cases whose team they are on).
CREATE INDEX IF NOT EXISTS case_organisation_partner_idx ON case_organisation (organisation_id, case_id)
  WHERE removed_at IS NULL AND NOT is_owner;
