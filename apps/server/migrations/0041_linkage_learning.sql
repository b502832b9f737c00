-- Issue 16, learning from reviewers: each "same child" / "not the same child" decision in triage is
-- kept as a labelled pair, and a data steward can re-estimate the installation's matching model
-- from them. Nothing here names a child: a label holds the agreement level of each compared field
-- (encrypted), keyed by a keyed hash of the link so a changed decision replaces the earlier one.
CREATE TABLE linkage_label (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pair_key text NOT NULL UNIQUE,
  label text NOT NULL CHECK (label IN ('match', 'non_match')),
  vector_enc text NOT NULL,
  decided_by_user_id uuid REFERENCES app_user (id),
  decided_at timestamptz NOT NULL
);
CREATE INDEX linkage_label_decided_at_idx ON linkage_label (decided_at);

-- Every model learnt from the labels, kept (encrypted) with who made it and when; at most one is
-- in use for new scoring (none: the built-in model).
CREATE TABLE linkage_model_version (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number integer NOT NULL UNIQUE CHECK (number > 0),
  model_enc text NOT NULL,
  based_on_version_id uuid REFERENCES linkage_model_version (id),
  labels_confirmed integer NOT NULL,
  labels_rejected integer NOT NULL,
  figures jsonb NOT NULL,
  created_by_user_id uuid NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  active boolean NOT NULL DEFAULT false,
  activated_by_user_id uuid REFERENCES app_user (id),
  activated_at timestamptz
);
CREATE UNIQUE INDEX linkage_model_version_active_idx ON linkage_model_version ((true)) WHERE active;
