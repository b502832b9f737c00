-- Research extracts: an analyst asks for de-identified, k-anonymous record-level data for a stated
-- purpose under an ethics approval. The data steward approves every request; a request touching
-- Māori or iwi-level data also needs the Māori data governance group's approval (DOMAIN.md §8).
-- The produced file is encrypted by the application, expires, and is cleared once expired.

CREATE TABLE extract_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  requested_by_user_id uuid NOT NULL REFERENCES app_user (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  purpose text NOT NULL,
  variables text[] NOT NULL,
  period_from date NOT NULL,
  period_to date NOT NULL,
  ethics_committee text NOT NULL,
  ethics_reference text NOT NULL,
  ethics_approved_on date NOT NULL,
  needs_until date,
  -- Set when the variables include ethnicity or iwi.
  needs_maori_approval boolean NOT NULL,
  status text NOT NULL DEFAULT 'awaiting_approvals'
    CHECK (status IN ('awaiting_approvals', 'declined', 'produced', 'expired')),
  declined_by_user_id uuid REFERENCES app_user (id),
  declined_at timestamptz,
  decline_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_from <= period_to)
);
CREATE INDEX extract_request_requester_idx ON extract_request (requested_by_user_id, created_at DESC);

CREATE TABLE extract_approval (
  extract_id uuid NOT NULL REFERENCES extract_request (id),
  -- 'steward' (data steward) or 'maori' (Māori data governance group).
  kind text NOT NULL CHECK (kind IN ('steward', 'maori')),
  approved_by_user_id uuid NOT NULL REFERENCES app_user (id),
  approved_at timestamptz NOT NULL DEFAULT now(),
  note text,
  PRIMARY KEY (extract_id, kind)
);

-- One produced file per request (id = the request's id). content_enc is AES-256-GCM under the
-- context extract_file.content_enc:<id>; it is set to null once the extract has expired.
CREATE TABLE extract_file (
  id uuid PRIMARY KEY REFERENCES extract_request (id),
  content_enc text,
  row_count integer NOT NULL,
  -- The k-anonymity report: k, level per quasi-identifier, rows in/out/suppressed (no data).
  report jsonb NOT NULL,
  produced_at timestamptz NOT NULL DEFAULT now(),
  expires_on date NOT NULL,
  cleared_at timestamptz
);
