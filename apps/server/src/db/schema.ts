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

export interface Schema {
  organisation: OrganisationTable;
  app_user: AppUserTable;
  role_assignment: RoleAssignmentTable;
  session: SessionTable;
  sign_in_attempt: SignInAttemptTable;
  audit_event: AuditEventTable;
  job: JobTable;
}
