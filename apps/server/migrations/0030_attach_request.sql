-- Issue 19, finding 1: a triage officer who is not on a case cannot attach a referral to it. They
-- may ask instead: a request the case's lead (a decision maker of the owning lead agency, or the
-- case's lead caseworker) approves, which attaches the referral without putting the officer on the
-- team, or rejects, which sets the suggested match aside. Nobody decides their own request.

CREATE TABLE attach_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id uuid NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES case_record (id) ON DELETE CASCADE,
  requested_by uuid NOT NULL REFERENCES app_user (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One open request per referral and case.
CREATE UNIQUE INDEX attach_request_pending_key ON attach_request (referral_id, case_id) WHERE status = 'pending';
CREATE INDEX attach_request_case_idx ON attach_request (case_id) WHERE status = 'pending';
