import type { ColumnType, Generated } from 'kysely';

/** Timestamps come back as Date and may be written as Date or left to the default. */
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
/** bigint columns: node-postgres returns them as strings, PGlite as numbers. */
type BigIntColumn = ColumnType<string | number, number, number>;

export interface OrganisationTable {
  id: Generated<string>;
  kind: string;
  name: string;
  regions_served: ColumnType<string[], string[] | undefined, string[]>;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AppUserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_enabled: Generated<boolean>;
  mfa_last_step: ColumnType<string | number | null, number | null | undefined, number | null>;
  failed_attempts: Generated<number>;
  locked_until: NullableTimestamp;
  is_active: Generated<boolean>;
  is_demo: Generated<boolean>;
  last_sign_in_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RoleAssignmentTable {
  user_id: string;
  role: string;
  granted_by: string | null;
  granted_at: Timestamp;
}

export interface SessionTable {
  id: string;
  user_id: string;
  stage: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface SignInAttemptTable {
  id: Generated<BigIntColumn>;
  client_key: string;
  attempted_at: Timestamp;
}

export interface AuditEventTable {
  id: BigIntColumn;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface JobTable {
  id: Generated<BigIntColumn>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  run_at: Timestamp;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  locked_at: NullableTimestamp;
  locked_by: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface ChildTable {
  id: string;
  identified: boolean;
  identity_enc: string | null;
  name_index: ColumnType<string[], string[] | undefined, string[]>;
  dob_index: string | null;
  age_band: string | null;
  birth_year: number | null;
  gender: string | null;
  ethnicities: ColumnType<string[], string[] | undefined, string[]>;
  iwi: ColumnType<string[], string[] | undefined, string[]>;
  citizenship: string | null;
  created_by_organisation_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** DATE columns come back as 'YYYY-MM-DD' strings (parsers set in database.ts), never as local-time Dates. */
export interface ReferralTable {
  id: string;
  reference: string;
  taxonomy_version: string;
  child_id: string;
  organisation_id: string;
  submitted_by_user_id: string | null;
  submitted_by_api_key_id: string | null;
  status: Generated<string>;
  concern_date: string;
  region: string;
  police_district: string | null;
  manifestations: string[];
  manifestation_subtypes: ColumnType<string[], string[] | undefined, string[]>;
  contexts: ColumnType<string[], string[] | undefined, string[]>;
  indicators: ColumnType<string[], string[] | undefined, string[]>;
  concern_level: string;
  urgent: boolean;
  child_safety: string;
  child_aware: string;
  lawful_basis: string;
  protected_enc: string;
  import_batch_id: string | null;
  source_key: string | null;
  submitted_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ReferralDraftTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  content_enc: string;
  step: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface IdempotencyKeyTable {
  organisation_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface Schema {
  organisation: OrganisationTable;
  app_user: AppUserTable;
  role_assignment: RoleAssignmentTable;
  session: SessionTable;
  sign_in_attempt: SignInAttemptTable;
  audit_event: AuditEventTable;
  job: JobTable;
  child: ChildTable;
  referral: ReferralTable;
  referral_draft: ReferralDraftTable;
  idempotency_key: IdempotencyKeyTable;
  api_key: ApiKeyTable;
}
