-- Issue 15, Māori data sovereignty: the Māori data governance group approves what is released about
-- iwi. A quarterly bulletin carries an iwi annex (referrals and children by iwi, rounded and
-- suppressed) only for a quarter the group has approved; an approval can be withdrawn, and the
-- bulletin is then built without the annex. Approvals and withdrawals are audited.
CREATE TABLE iwi_annex_approval (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarter text NOT NULL CHECK (quarter ~ '^\d{4}Q[1-4]$'),
  approved_by_user_id uuid NOT NULL REFERENCES app_user (id),
  approved_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_by_user_id uuid REFERENCES app_user (id),
  withdrawn_at timestamptz,
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by_user_id IS NULL))
);
-- At most one approval in force per quarter.
CREATE UNIQUE INDEX iwi_annex_approval_quarter_idx ON iwi_annex_approval (quarter) WHERE withdrawn_at IS NULL;
