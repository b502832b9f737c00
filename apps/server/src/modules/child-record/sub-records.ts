import { sql, type RawBuilder } from 'kysely';

/**
 * What a child's record is: every table holding part of it, how its rows reach the child, and
 * its encrypted columns. Key rotation, the retention purge and the privacy (IPP 6) export all
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
  /** How a row belongs to a case, as SQL over the table's row alias `t`, given the case ids. */
  ofCases: (caseIds: RawBuilder<unknown>) => RawBuilder<boolean>;
  encrypted: readonly EncryptedColumn[];
  purge: PurgeAction;
}

const byCase = (caseIds: RawBuilder<unknown>) => sql<boolean>`t.case_id IN ${caseIds}`;
const byParent =
  (column: string, parent: 'decision' | 'service_referral') => (caseIds: RawBuilder<unknown>) =>
    sql<boolean>`${sql.ref(`t.${column}`)} IN (SELECT p.id FROM ${sql.table(parent)} p WHERE p.case_id IN ${caseIds})`;

export const CHILD_SUB_RECORDS = {
  child: {
    // A child record belongs to the case it was opened from (case_record.child_id) or joined.
    ofCases: (ids) =>
      sql<boolean>`(t.case_id IN ${ids} OR t.id IN (SELECT k.child_id FROM case_record k WHERE k.id IN ${ids}))`,
    encrypted: [
      ['identity_enc', 'nullable'],
      ['encoded_enc', 'nullable'],
    ],
    purge: 'own',
  },
  referral: { ofCases: byCase, encrypted: [['protected_enc', 'required']], purge: 'own' },
  referral_fact: {
    ofCases: (ids) => sql<boolean>`t.referral_id IN (SELECT r.id FROM referral r WHERE r.case_id IN ${ids})`,
    encrypted: [],
    purge: 'keep',
  },
  case_record: {
    ofCases: (ids) => sql<boolean>`t.id IN ${ids}`,
    encrypted: [['closure_detail_enc', 'nullable']],
    purge: 'clear',
  },
  case_organisation: { ofCases: byCase, encrypted: [], purge: 'keep' },
  case_member: { ofCases: byCase, encrypted: [], purge: 'keep' },
  case_event: { ofCases: byCase, encrypted: [], purge: 'keep' },
  disclosure: {
    ofCases: byCase,
    encrypted: [
      ['purpose_enc', 'required'],
      ['child_view_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  decision: {
    ofCases: byCase,
    encrypted: [
      ['grounds_enc', 'nullable'],
      ['rationale_enc', 'nullable'],
      ['evidence_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  panel_member: {
    ofCases: byParent('decision_id', 'decision'),
    encrypted: [['comment_enc', 'nullable']],
    purge: 'clear',
  },
  case_goal: { ofCases: byCase, encrypted: [['description_enc', 'required']], purge: 'delete' },
  case_note: { ofCases: byCase, encrypted: [['body_enc', 'required']], purge: 'delete' },
  // Actions before their conference: they refer to it.
  conference_action: { ofCases: byCase, encrypted: [['description_enc', 'required']], purge: 'delete' },
  conference: { ofCases: byCase, encrypted: [['decisions_enc', 'required']], purge: 'delete' },
  service_referral: {
    ofCases: byCase,
    encrypted: [
      ['needs_summary_enc', 'nullable'],
      ['decline_detail_enc', 'nullable'],
      ['outcome_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  service_referral_event: {
    ofCases: byParent('service_referral_id', 'service_referral'),
    encrypted: [],
    purge: 'keep',
  },
  service_referral_note: {
    ofCases: byParent('service_referral_id', 'service_referral'),
    encrypted: [['body_enc', 'required']],
    purge: 'delete',
  },
  // The counts stay for statistics; a caseworker's note about the child is cleared.
  unmet_need: { ofCases: byCase, encrypted: [['note_enc', 'nullable']], purge: 'clear' },
  // Charges laid: the coded facts stay for the prosecutions statistics; the team's note is cleared.
  charge: { ofCases: byCase, encrypted: [['note_enc', 'nullable']], purge: 'clear' },
  break_glass: {
    ofCases: byCase,
    encrypted: [
      ['reason_enc', 'required'],
      ['review_note_enc', 'nullable'],
    ],
    purge: 'clear',
  },
  child_link: {
    ofCases: (ids) =>
      sql<boolean>`(t.child_id IN (SELECT c.id FROM child c WHERE c.case_id IN ${ids})
        OR t.candidate_child_id IN (SELECT c.id FROM child c WHERE c.case_id IN ${ids}))`,
    encrypted: [['reason_enc', 'nullable']],
    purge: 'own',
  },
  case_merge: {
    ofCases: (ids) => sql<boolean>`(t.kept_case_id IN ${ids} OR t.merged_case_id IN ${ids})`,
    encrypted: [
      ['reason_enc', 'required'],
      ['unmerge_reason_enc', 'nullable'],
    ],
    purge: 'clear',
  },
} as const satisfies Record<string, SubRecord>;

export type ChildSubRecordTable = keyof typeof CHILD_SUB_RECORDS;

export const CHILD_SUB_RECORD_TABLES = Object.keys(CHILD_SUB_RECORDS) as ChildSubRecordTable[];

/** The rows of one sub-record table that belong to these cases, as a `WHERE` condition over `t`. */
export function rowsOfCases(table: ChildSubRecordTable, caseIds: readonly string[]): RawBuilder<boolean> {
  const spec: SubRecord = CHILD_SUB_RECORDS[table];
  return spec.ofCases(sql`(${sql.join(caseIds.map((id) => sql`${id}::uuid`))})`);
}
