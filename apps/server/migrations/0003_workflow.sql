-- National referral mechanism workflow: triage, cases, identification decisions and panels,
-- case team and disclosures, plans, notes, conferences, services and service referrals,
-- unmet needs, break-glass access, in-app notifications.
-- Free text that may describe a child (rationale, notes, decisions, reasons) is encrypted by
-- the application (column suffix _enc); codes, dates and ids stay in the clear for rules and
-- statistics.

-- Triage of referrals.
ALTER TABLE referral ADD COLUMN received_on date;
UPDATE referral SET received_on = (submitted_at AT TIME ZONE 'Pacific/Auckland')::date;
ALTER TABLE referral ALTER COLUMN received_on SET NOT NULL;
ALTER TABLE referral ADD COLUMN assigned_to_user_id uuid REFERENCES app_user (id);
ALTER TABLE referral ADD COLUMN triaged_at timestamptz;
ALTER TABLE referral ADD COLUMN triaged_by_user_id uuid REFERENCES app_user (id);
ALTER TABLE referral ADD COLUMN screen_out_reason text;
ALTER TABLE referral ADD COLUMN case_id uuid;
-- Statuses were renamed before any referral was triaged: keep old rows valid.
UPDATE referral SET status = 'attached' WHERE status = 'linked';
UPDATE referral SET status = 'screened_out' WHERE status = 'closed';

-- Phonetic and date blocking keys (keyed hashes): candidates for "is this a child we know?"
ALTER TABLE child ADD COLUMN block_index text[] NOT NULL DEFAULT '{}';
ALTER TABLE child ADD COLUMN case_id uuid;
CREATE INDEX child_block_index_idx ON child USING gin (block_index);

CREATE SEQUENCE case_number_seq;

-- "case" is a reserved word: the table is case_record.
CREATE TABLE case_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  -- The child record the case was opened from; later referrals' child records join via child.case_id.
  child_id uuid NOT NULL UNIQUE REFERENCES child (id),
  owner_organisation_id uuid NOT NULL REFERENCES organisation (id),
  -- Sets the anniversary day used for working-day deadlines.
  region text NOT NULL,
  status text NOT NULL DEFAULT 'open',
  closure_reason text,
  closure_detail_enc text,
  closed_at timestamptz,
  closed_by_user_id uuid REFERENCES app_user (id),
  opened_by_user_id uuid REFERENCES app_user (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX case_record_status_idx ON case_record (status, opened_at DESC);
ALTER TABLE referral ADD CONSTRAINT referral_case_fk FOREIGN KEY (case_id) REFERENCES case_record (id);
ALTER TABLE child ADD CONSTRAINT child_case_fk FOREIGN KEY (case_id) REFERENCES case_record (id);
CREATE INDEX referral_case_idx ON referral (case_id);
CREATE INDEX child_case_idx ON child (case_id);

-- The organisations on a case: the owner, and each organisation added with a lawful basis.
CREATE TABLE case_organisation (
  case_id uuid NOT NULL REFERENCES case_record (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  is_owner boolean NOT NULL DEFAULT false,
  disclosure_id uuid,
  added_by_user_id uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_organisation_org_idx ON case_organisation (organisation_id) WHERE removed_at IS NULL;

CREATE TABLE case_member (
  case_id uuid NOT NULL REFERENCES case_record (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  team_role text NOT NULL,
  added_by_user_id uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  PRIMARY KEY (case_id, user_id)
);

-- Every sharing of a child's information with another organisation (DOMAIN.md §4).
CREATE TABLE disclosure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  from_organisation_id uuid NOT NULL REFERENCES organisation (id),
  to_organisation_id uuid NOT NULL REFERENCES organisation (id),
  lawful_basis text NOT NULL,
  purpose_enc text NOT NULL,
  fields text[] NOT NULL,
  child_consulted text NOT NULL,
  child_view_enc text,
  not_for_offence_investigation boolean NOT NULL,
  made_by_user_id uuid REFERENCES app_user (id),
  made_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disclosure_case_idx ON disclosure (case_id, made_at);

-- Reasonable grounds, conclusive grounds and reconsideration decisions.
CREATE TABLE decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  kind text NOT NULL,
  -- For a reconsideration: the negative decision it reconsiders.
  reconsiders_id uuid REFERENCES decision (id),
  grounds_enc text,
  requested_by_user_id uuid REFERENCES app_user (id),
  status text NOT NULL DEFAULT 'pending',
  -- Counted from this date (NZ calendar); due and earliest dates are stored, so a change of
  -- configuration never moves a deadline already given.
  starts_on date NOT NULL,
  earliest_on date,
  due_on date NOT NULL,
  assigned_to_user_id uuid REFERENCES app_user (id),
  by_panel boolean NOT NULL DEFAULT false,
  outcome text,
  rationale_enc text,
  evidence_enc text,
  decided_by_user_id uuid REFERENCES app_user (id),
  decided_on date,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX decision_case_idx ON decision (case_id, created_at);
CREATE INDEX decision_pending_idx ON decision (due_on) WHERE status = 'pending';
-- One pending decision of each kind per case.
CREATE UNIQUE INDEX decision_one_pending ON decision (case_id, kind) WHERE status = 'pending';

CREATE TABLE panel_member (
  id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  decision_id uuid NOT NULL REFERENCES decision (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  view text,
  comment_enc text,
  viewed_at timestamptz,
  PRIMARY KEY (decision_id, user_id)
);

CREATE TABLE case_goal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  description_enc text NOT NULL,
  status text NOT NULL DEFAULT 'open',
  due_on date,
  created_by_user_id uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX case_goal_case_idx ON case_goal (case_id);

CREATE TABLE case_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  author_user_id uuid REFERENCES app_user (id),
  body_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_note_case_idx ON case_note (case_id, created_at);

CREATE TABLE conference (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  held_on date NOT NULL,
  -- [{organisationId, userId?, role?}] of professionals present (no names of the child's whānau).
  attendees jsonb NOT NULL,
  decisions_enc text NOT NULL,
  recorded_by_user_id uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conference_case_idx ON conference (case_id, held_on);

CREATE TABLE conference_action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conference_id uuid NOT NULL REFERENCES conference (id),
  case_id uuid NOT NULL REFERENCES case_record (id),
  description_enc text NOT NULL,
  owner_organisation_id uuid NOT NULL REFERENCES organisation (id),
  owner_user_id uuid REFERENCES app_user (id),
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'open',
  done_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX conference_action_due_idx ON conference_action (due_on) WHERE status = 'open';

-- What happened on a case, in order: the child's timeline. Summaries hold codes, never names.
CREATE TABLE case_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES case_record (id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  subject_id uuid,
  details jsonb NOT NULL DEFAULT '{}',
  actor_user_id uuid REFERENCES app_user (id),
  actor_organisation_id uuid REFERENCES organisation (id)
);
CREATE INDEX case_event_case_idx ON case_event (case_id, occurred_at, id);

-- Services directory.
CREATE TABLE service (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  need_types text[] NOT NULL,
  regions text[] NOT NULL,
  min_age integer NOT NULL DEFAULT 0,
  max_age integer NOT NULL DEFAULT 17,
  capacity text NOT NULL DEFAULT 'accepting',
  contact text NOT NULL DEFAULT '',
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX service_need_idx ON service USING gin (need_types);
CREATE INDEX service_provider_idx ON service (provider_organisation_id);

CREATE TABLE service_referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  service_id uuid NOT NULL REFERENCES service (id),
  provider_organisation_id uuid NOT NULL REFERENCES organisation (id),
  need_type text NOT NULL,
  status text NOT NULL DEFAULT 'proposed',
  shared_fields text[] NOT NULL,
  disclosure_id uuid REFERENCES disclosure (id),
  -- What the case team tells the provider about the need (encrypted; shared only if needs_summary is).
  needs_summary_enc text,
  respond_by date NOT NULL,
  decline_reason text,
  decline_detail_enc text,
  outcome_enc text,
  created_by_user_id uuid REFERENCES app_user (id),
  created_by_organisation_id uuid NOT NULL REFERENCES organisation (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX service_referral_case_idx ON service_referral (case_id, created_at);
CREATE INDEX service_referral_provider_idx ON service_referral (provider_organisation_id, status);

-- Each step of a service referral, stamped with who and when.
CREATE TABLE service_referral_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_referral_id uuid NOT NULL REFERENCES service_referral (id),
  from_status text,
  to_status text NOT NULL,
  reason text,
  user_id uuid REFERENCES app_user (id),
  organisation_id uuid REFERENCES organisation (id),
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_referral_event_idx ON service_referral_event (service_referral_id, id);

-- Notes on one service referral: seen by its provider and the case team, never by another provider.
CREATE TABLE service_referral_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_referral_id uuid NOT NULL REFERENCES service_referral (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  author_user_id uuid REFERENCES app_user (id),
  body_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_referral_note_idx ON service_referral_note (service_referral_id, created_at);

-- Service needs revealed: no identity, only what statistics need.
CREATE TABLE unmet_need (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  need_type text NOT NULL,
  region text NOT NULL,
  age_band text,
  reason text NOT NULL,
  service_referral_id uuid REFERENCES service_referral (id),
  recorded_by_user_id uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  met_at timestamptz
);
CREATE INDEX unmet_need_recorded_idx ON unmet_need (recorded_at);

-- Break-glass access by lead-agency supervisors: time-limited, reasoned, reviewed.
CREATE TABLE break_glass (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  reason_enc text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  reviewed_by_user_id uuid REFERENCES app_user (id),
  reviewed_at timestamptz,
  review_outcome text,
  review_note_enc text
);
CREATE INDEX break_glass_active_idx ON break_glass (user_id, case_id, expires_at);
CREATE INDEX break_glass_review_idx ON break_glass (granted_at) WHERE reviewed_at IS NULL;

-- In-app reminders. The message names a case reference, never a child.
CREATE TABLE notification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  kind text NOT NULL,
  subject_type text NOT NULL,
  subject_id uuid NOT NULL,
  message text NOT NULL,
  link text,
  -- The same reminder is never raised twice for the same thing on the same day.
  dedupe_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  emailed_at timestamptz,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC);

-- Jobs: recurring jobs have one queued run at a time; a dead worker's lease expires.
ALTER TABLE job ADD COLUMN singleton_key text;
ALTER TABLE job ADD COLUMN lease_until timestamptz;
CREATE UNIQUE INDEX job_singleton_queued ON job (singleton_key) WHERE status IN ('queued', 'running');
