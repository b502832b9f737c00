-- Two-person rule (issue 19, finding 2): one administrator alone can no longer reach a child's
-- record. Granting a role that can see children's identities (or that approves, reviews or
-- administers), resetting a password or an authenticator become requests a second administrator
-- approves; they take effect only then. A privacy officer's export of a child's file (IPP 6)
-- needs a reason and a second privacy officer's or an auditor's approval before the file can be
-- downloaded.

CREATE TABLE privileged_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('grant_roles', 'reset_password', 'reset_mfa')),
  target_user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- The roles to add, for grant_roles; empty otherwise.
  roles text[] NOT NULL DEFAULT '{}',
  requested_by uuid NOT NULL REFERENCES app_user (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  -- Null when decided by the operator's command line or by expiry.
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  -- Nobody approves or rejects their own request, whatever the application does.
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (kind = 'grant_roles' OR cardinality(roles) = 0)
);
CREATE INDEX privileged_request_pending_idx ON privileged_request (requested_at) WHERE status = 'pending';
CREATE INDEX privileged_request_target_idx ON privileged_request (target_user_id);

CREATE TABLE privacy_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES child (id) ON DELETE CASCADE,
  -- The referral or case reference the officer gave (not secret: references can be guessed).
  reference text NOT NULL,
  -- Why the file is asked for (who asked, under which request): encrypted, it may name people.
  reason_enc text NOT NULL,
  requested_by uuid NOT NULL REFERENCES app_user (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  downloads integer NOT NULL DEFAULT 0,
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX privacy_request_pending_idx ON privacy_request (requested_at) WHERE status = 'pending';
