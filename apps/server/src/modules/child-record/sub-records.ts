/**
 * What a child's record is: every table holding part of it, and its encrypted columns (how each
 * table's rows reach a case is SQL, in queries.ts: ROWS_OF_CASES, one entry per table here). Key rotation, the retention purge and the privacy (IPP 6) export all
 * iterate this one list, and a test fails when a table that refers to a child, a case or one of
 * their rows is missing from it — so a new table cannot be left out of any of them.
 */

/** What a retention purge does to the rows of a closed case, once its period has passed. */
export type PurgeAction =
  /** Free text the team wrote: removed. */
  | 'delete'
  /** Facts kept for statistics; every encrypted column is emptied (or sealed as removed). */
  | 'clear'
  /** Handled by the purge of its own kind (a child's identity, a referral's protected part). */
  | 'own'
  /** Holds no identifying or free text: kept as it is. */
  | 'keep';

/** An encrypted column: `nullable` is emptied by a purge, `required` keeps a sealed "removed". */
export type EncryptedColumn = readonly [column: string, whenPurged: 'nullable' | 'required'];

export interface SubRecord {
  encrypted: readonly EncryptedColumn[];
  purge: PurgeAction;
}

export const CHILD_SUB_RECORDS = {
  child: {
    encrypted: [
      ['identity_enc', 'nullable'],
      ['encoded_enc', 'nullable'],
    ],
    purge: 'own',
  },
  referral: { encrypted: [['protected_enc', 'required']], purge: 'own' },
  referral_fact: {
    encrypted: [],
    purge: 'keep',
  },
  // Copies of decisions' and service referrals' facts for statistics (migration 0042).
  decision_fact: { encrypted: [], purge: 'keep' },
  service_referral_fact: { encrypted: [], purge: 'keep' },
  case_record: {
    encrypted: [['closure_detail_enc', 'nullable']],
    purge: 'clear',
  },
  case_organisation: { encrypted: [], purge: 'keep' },
  case_member: { encrypted: [], purge: 'keep' },
  case_event: { encrypted: [], purge: 'keep' },
  disclosure: {
    encrypted: [
      ['purpose_enc', 'required'],
      ['child_view_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  decision: {
    encrypted: [
      ['grounds_enc', 'nullable'],
      ['rationale_enc', 'nullable'],
      ['evidence_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  panel_member: {
    encrypted: [['comment_enc', 'nullable']],
    purge: 'clear',
  },
  case_goal: { encrypted: [['description_enc', 'required']], purge: 'delete' },
  case_note: { encrypted: [['body_enc', 'required']], purge: 'delete' },
  // Actions before their conference: they refer to it.
  conference_action: { encrypted: [['description_enc', 'required']], purge: 'delete' },
  conference: { encrypted: [['decisions_enc', 'required']], purge: 'delete' },
  service_referral: {
    encrypted: [
      ['needs_summary_enc', 'nullable'],
      ['decline_detail_enc', 'nullable'],
      ['outcome_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  service_referral_event: {
    encrypted: [],
    purge: 'keep',
  },
  service_referral_note: {
    encrypted: [['body_enc', 'required']],
    purge: 'delete',
  },
  // The counts stay for statistics; a caseworker's note about the child is cleared.
  unmet_need: { encrypted: [['note_enc', 'nullable']], purge: 'clear' },
  // Charges laid: the coded facts stay for the prosecutions statistics; the team's note is cleared.
  charge: { encrypted: [['note_enc', 'nullable']], purge: 'clear' },
  break_glass: {
    encrypted: [
      ['reason_enc', 'required'],
      ['review_note_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  child_link: {
    encrypted: [['reason_enc', 'nullable']],
    purge: 'own',
  },
  case_merge: {
    encrypted: [
      ['reason_enc', 'required'],
      ['unmerge_reason_enc', 'nullable'],
    ],
    purge: 'clear',
  },
} as const satisfies Record<string, SubRecord>;

export type ChildSubRecordTable = keyof typeof CHILD_SUB_RECORDS;

export const CHILD_SUB_RECORD_TABLES = Object.keys(CHILD_SUB_RECORDS) as ChildSubRecordTable[];

export { rowsOfCases } from './queries.ts';
