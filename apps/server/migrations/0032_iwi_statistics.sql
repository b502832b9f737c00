-- Issue 15, Te Tiriti o Waitangi and Māori data sovereignty: iwi-level statistics are seen only by
-- the Māori data governance group and by the people it approves, each approval for a stated
-- purpose and until a date, and revocable. Every approval, revocation and view is audited; the
-- group sees its approvals and how often each was used.
CREATE TABLE iwi_statistics_grant (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  expires_on date NOT NULL,
  granted_by_user_id uuid NOT NULL REFERENCES app_user (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_by_user_id uuid REFERENCES app_user (id),
  revoked_at timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by_user_id IS NULL))
);
CREATE INDEX iwi_statistics_grant_user_idx ON iwi_statistics_grant (user_id);
