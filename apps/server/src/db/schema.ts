import type { TeamRole } from '@tiaki/domain';
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

/** A privileged change waiting for a second administrator (migration 0018). */
export interface PrivilegedRequestTable {
  id: Generated<string>;
  kind: 'grant_roles' | 'reset_password' | 'reset_mfa';
  target_user_id: string;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  requested_by: string;
  requested_at: Timestamp;
  expires_at: Date;
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** A privacy officer's export of a child's file, waiting for a second person (migration 0018). */
export interface PrivacyRequestTable {
  id: string;
  child_id: string;
  reference: string;
  reason_enc: string;
  requested_by: string;
  requested_at: Timestamp;
  expires_at: Date;
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  downloads: Generated<number>;
}

export interface AttachRequestTable {
  id: Generated<string>;
  referral_id: string;
  case_id: string;
  requested_by: string;
  requested_at: Timestamp;
  status: ColumnType<AttachRequestStatus, AttachRequestStatus | undefined, AttachRequestStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}
export type AttachRequestStatus = 'pending' | 'approved' | 'rejected';

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

/** An identity provider's account linked to a Tiaki account (single sign-on, migration 0019). */
export interface SsoIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  linked_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

/** A sign-in sent to an identity provider and not yet back (single use, ten minutes). */
export interface SsoPendingSignInTable {
  id: string;
  provider: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface AuditEventTable {
  /** From a sequence (gaps where a transaction rolled back). */
  id: ColumnType<string | number, never, never>;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
  /** Null until the sealer links the entry into the chain (migration 0023). */
  prev_hash: string | null;
  hash: string | null;
  /** The entry's gap-free position in the hash chain; null while unsealed. */
  seq: ColumnType<string | number | null, never, number>;
}

/**
 * The newest audit entry ever sealed (migrations 0016, 0023): verification fails when the chain
 * ends before it. last_id is that entry's chain position.
 */
export interface AuditHeadTable {
  singleton: Generated<boolean>;
  last_id: BigIntColumn;
  last_hash: string;
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
  singleton_key: string | null;
  lease_until: NullableTimestamp;
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
  block_index: ColumnType<string[], string[] | undefined, string[]>;
  case_id: string | null;
  encoded_enc: string | null;
  created_by_organisation_id: string;
  /** Set when retention de-identified the child (0010_retention.sql). */
  purged_at: NullableTimestamp;
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
  received_on: string;
  assigned_to_user_id: string | null;
  triaged_at: NullableTimestamp;
  triaged_by_user_id: string | null;
  screen_out_reason: string | null;
  case_id: string | null;
  /** Set when retention de-identified the referral (0010_retention.sql). */
  purged_at: NullableTimestamp;
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

type Json<T> = ColumnType<T, string, string>;

export interface CaseRecordTable {
  id: string;
  reference: string;
  child_id: string;
  owner_organisation_id: string;
  region: string;
  status: Generated<string>;
  closure_reason: string | null;
  closure_detail_enc: string | null;
  closed_at: NullableTimestamp;
  closed_by_user_id: string | null;
  opened_by_user_id: string | null;
  /** Set when retention de-identified the case (0010_retention.sql). */
  purged_at: NullableTimestamp;
  opened_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  /**
   * The earliest due date of the case's pending decisions while it is open, kept by the database
   * (0026_case_next_due.sql): the cases list sorts and filters by it.
   */
  next_due_on: Generated<string | null>;
}

export interface CaseOrganisationTable {
  case_id: string;
  organisation_id: string;
  is_owner: Generated<boolean>;
  disclosure_id: string | null;
  added_by_user_id: string | null;
  added_at: Timestamp;
  removed_at: NullableTimestamp;
}

export interface CaseMemberTable {
  case_id: string;
  user_id: string;
  // Written as a string until the case-team code passes a TeamRole; read as one of TEAM_ROLES.
  team_role: ColumnType<TeamRole, string, string>;
  added_by_user_id: string | null;
  added_at: Timestamp;
  removed_at: NullableTimestamp;
}

export interface DisclosureTable {
  id: string;
  case_id: string;
  from_organisation_id: string;
  to_organisation_id: string;
  lawful_basis: string;
  purpose_enc: string;
  fields: string[];
  child_consulted: string;
  child_view_enc: string | null;
  not_for_offence_investigation: boolean;
  made_by_user_id: string | null;
  made_at: Timestamp;
}

export interface DecisionTable {
  id: string;
  case_id: string;
  kind: string;
  reconsiders_id: string | null;
  grounds_enc: string | null;
  requested_by_user_id: string | null;
  status: Generated<string>;
  starts_on: string;
  earliest_on: string | null;
  due_on: string;
  assigned_to_user_id: string | null;
  by_panel: Generated<boolean>;
  outcome: string | null;
  rationale_enc: string | null;
  evidence_enc: string | null;
  decided_by_user_id: string | null;
  decided_on: string | null;
  decided_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PanelMemberTable {
  id: Generated<string>;
  decision_id: string;
  user_id: string;
  organisation_id: string;
  view: string | null;
  comment_enc: string | null;
  viewed_at: NullableTimestamp;
}

export interface CaseGoalTable {
  id: string;
  case_id: string;
  description_enc: string;
  status: Generated<string>;
  due_on: string | null;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CaseNoteTable {
  id: string;
  case_id: string;
  organisation_id: string;
  author_user_id: string | null;
  body_enc: string;
  created_at: Timestamp;
}

export interface ConferenceAttendee {
  organisationId: string;
  userId?: string | undefined;
  role?: string | undefined;
}

export interface ConferenceTable {
  id: string;
  case_id: string;
  held_on: string;
  attendees: Json<ConferenceAttendee[]>;
  decisions_enc: string;
  recorded_by_user_id: string | null;
  recorded_at: Timestamp;
}

export interface ConferenceActionTable {
  id: string;
  conference_id: string;
  case_id: string;
  description_enc: string;
  owner_organisation_id: string;
  owner_user_id: string | null;
  due_on: string;
  status: Generated<string>;
  done_at: NullableTimestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CaseEventTable {
  id: Generated<BigIntColumn>;
  case_id: string;
  occurred_at: Timestamp;
  kind: string;
  subject_id: string | null;
  details: Json<Record<string, unknown>>;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
}

export interface ServiceTable {
  id: string;
  provider_organisation_id: string;
  name: string;
  description: string;
  need_types: string[];
  regions: string[];
  min_age: number;
  max_age: number;
  capacity: string;
  contact: string;
  is_active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ServiceReferralTable {
  id: string;
  case_id: string;
  service_id: string;
  provider_organisation_id: string;
  need_type: string;
  status: Generated<string>;
  shared_fields: string[];
  disclosure_id: string | null;
  needs_summary_enc: string | null;
  respond_by: string;
  urgency: Generated<string>;
  decline_reason: string | null;
  decline_detail_enc: string | null;
  outcome_enc: string | null;
  created_by_user_id: string | null;
  created_by_organisation_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ServiceReferralEventTable {
  id: Generated<BigIntColumn>;
  service_referral_id: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  user_id: string | null;
  organisation_id: string | null;
  occurred_at: Timestamp;
}

export interface ServiceReferralNoteTable {
  id: string;
  service_referral_id: string;
  organisation_id: string;
  author_user_id: string | null;
  body_enc: string;
  created_at: Timestamp;
}

export interface UnmetNeedTable {
  id: string;
  case_id: string;
  need_type: string;
  region: string;
  age_band: string | null;
  reason: string;
  service_referral_id: string | null;
  recorded_by_user_id: string | null;
  recorded_at: Timestamp;
  met_at: NullableTimestamp;
  note_enc: string | null;
}

export interface ChargeTable {
  id: string;
  case_id: string;
  provision: string;
  manifestation: string;
  laid_on: string;
  outcome: Generated<string>;
  outcome_on: string | null;
  note_enc: string | null;
  recorded_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface BreakGlassTable {
  id: string;
  case_id: string;
  user_id: string;
  organisation_id: string;
  reason_enc: string;
  granted_at: Timestamp;
  expires_at: Date;
  reviewed_by_user_id: string | null;
  reviewed_at: NullableTimestamp;
  review_outcome: string | null;
  review_note_enc: string | null;
}

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  message: string;
  link: string | null;
  dedupe_key: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
  emailed_at: NullableTimestamp;
}

export interface ChildLinkTable {
  id: Generated<string>;
  child_id: string;
  candidate_child_id: string;
  probability: number;
  explanation: Json<Record<string, unknown>>;
  model: string;
  status: Generated<string>;
  reason_enc: string | null;
  decided_by_user_id: string | null;
  decided_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseMergeTable {
  id: string;
  kept_case_id: string;
  merged_case_id: string;
  child_ids: string[];
  referral_ids: string[];
  reason_enc: string;
  merged_by_user_id: string | null;
  merged_at: Timestamp;
  unmerge_reason_enc: string | null;
  unmerged_by_user_id: string | null;
  unmerged_at: NullableTimestamp;
}

export interface StatisticsEventTable {
  id: Generated<string>;
  name: string;
  starts_on: string;
  ends_on: string;
  created_by_user_id: string | null;
  created_at: Timestamp;
}

export interface StatisticsQueryShapeTable {
  user_id: string;
  day: string;
  shape: string;
  first_at: Generated<Timestamp>;
}

/** Statistics kept ahead of readers (migration 0038): queried with sql`…` in statistics/queries/snapshots.ts. */
export interface StatisticsSnapshotTable {
  key: string;
  change: BigIntColumn;
  value: unknown;
  computed_at: Generated<Timestamp>;
}

export interface StatisticsWarmingTable {
  id: Generated<boolean>;
  seen_change: BigIntColumn | null;
  warmed_change: BigIntColumn | null;
  warmed_for: string | null;
  warmed_at: NullableTimestamp;
  took_ms: number | null;
}

export interface IwiStatisticsGrantTable {
  id: Generated<string>;
  user_id: string;
  purpose: string;
  expires_on: string;
  granted_by_user_id: string;
  granted_at: Generated<Timestamp>;
  revoked_by_user_id: string | null;
  revoked_at: NullableTimestamp;
}

export interface IwiAnnexApprovalTable {
  id: Generated<string>;
  quarter: string;
  approved_by_user_id: string;
  approved_at: Generated<Timestamp>;
  withdrawn_by_user_id: string | null;
  withdrawn_at: NullableTimestamp;
}

/** A triage decision on a candidate pair, for learning (issue 16): levels only, encrypted. */
export interface LinkageLabelTable {
  id: Generated<string>;
  /** Keyed hash of the link: one label per pair, the latest decision. */
  pair_key: string;
  label: 'match' | 'non_match';
  vector_enc: string;
  decided_by_user_id: string | null;
  decided_at: Timestamp;
}

/** A matching model learnt from labels; at most one active (none: the built-in model). */
export interface LinkageModelVersionTable {
  id: string;
  number: number;
  model_enc: string;
  based_on_version_id: string | null;
  labels_confirmed: number;
  labels_rejected: number;
  figures: Json<Record<string, unknown>>;
  created_by_user_id: string;
  created_at: Timestamp;
  active: Generated<boolean>;
  activated_by_user_id: string | null;
  activated_at: NullableTimestamp;
}

export interface ExternalSeriesPointTable {
  series: string;
  period_start: string;
  value: number;
  imported_by_user_id: string | null;
  imported_at: Timestamp;
}

export interface ExtractRequestTable {
  id: Generated<string>;
  requested_by_user_id: string;
  organisation_id: string;
  purpose: string;
  variables: string[];
  period_from: string;
  period_to: string;
  ethics_committee: string;
  ethics_reference: string;
  ethics_approved_on: string;
  needs_until: string | null;
  needs_maori_approval: boolean;
  status: Generated<string>;
  declined_by_user_id: string | null;
  declined_at: NullableTimestamp;
  decline_reason: string | null;
  created_at: Timestamp;
}

export interface ExtractApprovalTable {
  extract_id: string;
  kind: string;
  approved_by_user_id: string;
  approved_at: Timestamp;
  note: string | null;
}

export interface ExtractFileTable {
  id: string;
  content_enc: string | null;
  row_count: number;
  report: Json<Record<string, unknown>>;
  produced_at: Timestamp;
  expires_on: string;
  cleared_at: NullableTimestamp;
}

/** A narrow copy of each referral's facts for statistics, written only by triggers on referral. */
export interface ReferralFactTable {
  referral_id: string;
  child_id: string;
  organisation_id: string;
  received_on: string;
  concern_date: string;
  region: string;
  police_district: string | null;
  manifestations: string[];
  manifestation_subtypes: string[];
  contexts: string[];
  urgent: boolean;
  concern_level: string;
  status: string;
  taxonomy_version: string;
  lawful_basis: string;
  referrer_kind: string;
  age_band: string | null;
  gender: string | null;
  ethnicities: string[];
  iwi: string[];
  citizenship: string | null;
  identified: boolean;
  child_unit: string;
}

/**
 * A decision's facts for statistics (migration 0042), kept in step by triggers on decisions and
 * cases; read through the fact_decision view.
 */
export interface DecisionFactTable {
  decision_id: string;
  child_unit: string;
  kind: string;
  status: string;
  outcome: string | null;
  starts_on: string;
  earliest_on: string | null;
  due_on: string;
  decided_on: string | null;
  by_panel: boolean;
  region: string;
}

/**
 * A service referral's facts for statistics (migration 0042), its first acceptance included, kept
 * in step by triggers on service referrals, their steps, cases and organisations; read through
 * the fact_service_referral view.
 */
export interface ServiceReferralFactTable {
  service_referral_id: string;
  child_unit: string;
  provider_organisation_id: string;
  need_type: string;
  status: string;
  decline_reason: string | null;
  respond_by: string;
  accepted_at: Date | null;
  provider_kind: string;
  region: string;
  created_at: Date;
}

export interface Schema {
  organisation: OrganisationTable;
  app_user: AppUserTable;
  role_assignment: RoleAssignmentTable;
  session: SessionTable;
  sign_in_attempt: SignInAttemptTable;
  sso_identity: SsoIdentityTable;
  sso_pending_sign_in: SsoPendingSignInTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  job: JobTable;
  child: ChildTable;
  referral: ReferralTable;
  referral_draft: ReferralDraftTable;
  idempotency_key: IdempotencyKeyTable;
  api_key: ApiKeyTable;
  case_record: CaseRecordTable;
  case_organisation: CaseOrganisationTable;
  case_member: CaseMemberTable;
  disclosure: DisclosureTable;
  decision: DecisionTable;
  panel_member: PanelMemberTable;
  case_goal: CaseGoalTable;
  case_note: CaseNoteTable;
  conference: ConferenceTable;
  conference_action: ConferenceActionTable;
  case_event: CaseEventTable;
  service: ServiceTable;
  service_referral: ServiceReferralTable;
  service_referral_event: ServiceReferralEventTable;
  service_referral_note: ServiceReferralNoteTable;
  unmet_need: UnmetNeedTable;
  charge: ChargeTable;
  break_glass: BreakGlassTable;
  notification: NotificationTable;
  child_link: ChildLinkTable;
  case_merge: CaseMergeTable;
  statistics_event: StatisticsEventTable;
  statistics_query_shape: StatisticsQueryShapeTable;
  statistics_snapshot: StatisticsSnapshotTable;
  statistics_warming: StatisticsWarmingTable;
  iwi_statistics_grant: IwiStatisticsGrantTable;
  iwi_annex_approval: IwiAnnexApprovalTable;
  linkage_label: LinkageLabelTable;
  linkage_model_version: LinkageModelVersionTable;
  external_series_point: ExternalSeriesPointTable;
  extract_request: ExtractRequestTable;
  extract_approval: ExtractApprovalTable;
  extract_file: ExtractFileTable;
  referral_fact: ReferralFactTable;
  decision_fact: DecisionFactTable;
  service_referral_fact: ServiceReferralFactTable;
  privileged_request: PrivilegedRequestTable;
  privacy_request: PrivacyRequestTable;
  attach_request: AttachRequestTable;
}
