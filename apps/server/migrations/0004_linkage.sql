-- Record linkage in the product: scored candidate links between a new child record and the
-- children already known, people's decisions on them, and reversible case merges.

CREATE TABLE child_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The child record of a new referral, and a child record already on a case.
  child_id uuid NOT NULL REFERENCES child (id),
  candidate_child_id uuid NOT NULL REFERENCES child (id),
  probability double precision NOT NULL,
  -- Per-field comparison levels and weights (no values, no names) and the model that scored them.
  explanation jsonb NOT NULL,
  model text NOT NULL,
  status text NOT NULL DEFAULT 'candidate',
  reason_enc text,
  decided_by_user_id uuid REFERENCES app_user (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (child_id, candidate_child_id)
);
CREATE INDEX child_link_candidates_idx ON child_link (child_id) WHERE status = 'candidate';

-- A merge moves the other case's child records and referrals to the kept case, and lists them,
-- so that un-merging puts exactly those back. Nothing is deleted.
CREATE TABLE case_merge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kept_case_id uuid NOT NULL REFERENCES case_record (id),
  merged_case_id uuid NOT NULL REFERENCES case_record (id),
  child_ids uuid[] NOT NULL,
  referral_ids uuid[] NOT NULL,
  reason_enc text NOT NULL,
  merged_by_user_id uuid REFERENCES app_user (id),
  merged_at timestamptz NOT NULL DEFAULT now(),
  unmerge_reason_enc text,
  unmerged_by_user_id uuid REFERENCES app_user (id),
  unmerged_at timestamptz
);
CREATE INDEX case_merge_kept_idx ON case_merge (kept_case_id);
CREATE INDEX case_merge_merged_idx ON case_merge (merged_case_id);
-- A case can be merged away only once at a time.
CREATE UNIQUE INDEX case_merge_active ON case_merge (merged_case_id) WHERE unmerged_at IS NULL;
