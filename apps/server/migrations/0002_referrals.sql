-- Referral intake: children (identity encrypted, facts in the clear), referrals, drafts,
-- idempotency keys for retries from other systems, and organisation API keys.

CREATE TABLE child (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  identified boolean NOT NULL,
  -- AES-256-GCM JSON of names, aliases, date of birth and whereabouts; key id inside the value.
  identity_enc text,
  -- Keyed blind indexes (HMAC) of normalised names and aliases, and of the date of birth.
  name_index text[] NOT NULL DEFAULT '{}',
  dob_index text,
  -- Non-identifying facts, safe for statistics.
  age_band text,
  birth_year integer,
  gender text,
  ethnicities text[] NOT NULL DEFAULT '{}',
  iwi text[] NOT NULL DEFAULT '{}',
  citizenship text,
  created_by_organisation_id uuid NOT NULL REFERENCES organisation (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX child_name_index_idx ON child USING gin (name_index);
CREATE INDEX child_dob_index_idx ON child (dob_index);

CREATE SEQUENCE referral_number_seq;

CREATE TABLE referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  taxonomy_version text NOT NULL,
  child_id uuid NOT NULL REFERENCES child (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  submitted_by_user_id uuid REFERENCES app_user (id),
  submitted_by_api_key_id uuid,
  status text NOT NULL DEFAULT 'submitted',
  concern_date date NOT NULL,
  region text NOT NULL,
  police_district text,
  manifestations text[] NOT NULL,
  manifestation_subtypes text[] NOT NULL DEFAULT '{}',
  contexts text[] NOT NULL DEFAULT '{}',
  indicators text[] NOT NULL DEFAULT '{}',
  concern_level text NOT NULL,
  urgent boolean NOT NULL,
  child_safety text NOT NULL,
  child_aware text NOT NULL,
  lawful_basis text NOT NULL,
  -- AES-256-GCM JSON of the referrer's contact details, narrative, the child's views and evidence references.
  protected_enc text NOT NULL,
  import_batch_id uuid,
  source_key text,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX referral_organisation_idx ON referral (organisation_id, submitted_at DESC);
CREATE INDEX referral_submitter_idx ON referral (submitted_by_user_id, submitted_at DESC);
CREATE INDEX referral_status_idx ON referral (status, urgent DESC, submitted_at);
-- Re-importing the same file imports nothing twice: one referral per organisation and source row.
CREATE UNIQUE INDEX referral_source_key ON referral (organisation_id, source_key) WHERE source_key IS NOT NULL;

CREATE TABLE referral_draft (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  -- The whole draft, encrypted: it may hold a child's name before anything is submitted.
  content_enc text NOT NULL,
  step integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX referral_draft_user_idx ON referral_draft (user_id, updated_at DESC);

CREATE TABLE idempotency_key (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, key)
);

CREATE TABLE api_key (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL,
  prefix text NOT NULL UNIQUE,
  -- SHA-256 of the secret part: the key itself is shown once and never stored.
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
