import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PrivacyRequestTable } from '../../db/schema.ts';
import { rowsOfCases, type ChildSubRecordTable } from '../child-record/index.ts';

/** IPP 6 export requests with the names of who asked and who decided. */
function requestRows(db: Db) {
  return db
    .selectFrom('privacy_request as q')
    .innerJoin('app_user as r', 'r.id', 'q.requested_by')
    .leftJoin('app_user as d', 'd.id', 'q.decided_by')
    .select([
      'q.id',
      'q.child_id',
      'q.reference',
      'q.reason_enc',
      'q.requested_by',
      'q.requested_at',
      'q.expires_at',
      'q.status',
      'q.decided_by',
      'q.decided_at',
      'q.downloads',
      'r.display_name as requester_name',
      'd.display_name as decider_name',
    ]);
}
export type PrivacyRequestRow = Awaited<
  ReturnType<ReturnType<typeof requestRows>['executeTakeFirstOrThrow']>
>;

/** A request known to exist (it throws otherwise). */
export function existingRequest(db: Db, id: string): Promise<PrivacyRequestRow> {
  return requestRows(db).where('q.id', '=', id).executeTakeFirstOrThrow();
}

/** Pending requests first, then the most recently decided (the last 200). */
export function recentRequests(db: Db): Promise<PrivacyRequestRow[]> {
  return requestRows(db)
    .orderBy(sql`q.status = 'pending'`, 'desc')
    .orderBy(sql`coalesce(q.decided_at, q.requested_at)`, 'desc')
    .limit(200)
    .execute();
}

/** A child's sealed identity, for matching what the officer gave. */
export function childIdentity(db: Db, childId: string) {
  return db.selectFrom('child').select(['id', 'identity_enc']).where('id', '=', childId).executeTakeFirst();
}

export async function insertRequest(db: Db, row: Insertable<PrivacyRequestTable>): Promise<void> {
  await db.insertInto('privacy_request').values(row).execute();
}

export function requestById(db: Db, id: string) {
  return db.selectFrom('privacy_request').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countDownload(db: Db, id: string): Promise<void> {
  await db
    .updateTable('privacy_request')
    .set({ downloads: (eb) => eb('downloads', '+', 1) })
    .where('id', '=', id)
    .execute();
}

/** The active account with this email holding the privacy officer role, if any. */
export async function activePrivacyOfficerByEmail(db: Db, email: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('role_assignment as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.organisation_id'])
    .where('u.email', '=', email)
    .where('u.is_active', '=', true)
    .where('r.role', '=', 'privacy_officer')
    .executeTakeFirst();
}

/** The references of cases, by id (the all-zero id keeps the list from being empty). */
export async function caseReferencesOf(db: Db, caseIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('case_record')
    .select(['id', 'reference'])
    .where('id', 'in', ['00000000-0000-0000-0000-000000000000', ...caseIds])
    .execute();
  return new Map(rows.map((c) => [c.id, c.reference]));
}

/** The child behind a referral reference, else behind a case reference. */
export async function childIdByReference(db: Db, reference: string): Promise<string | undefined> {
  const referral = await db
    .selectFrom('referral')
    .select('child_id')
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (referral) return referral.child_id;
  const kase = await db
    .selectFrom('case_record')
    .select('child_id')
    .where('reference', '=', reference)
    .executeTakeFirst();
  return kase?.child_id;
}

export async function childRowOrThrow(db: Db, childId: string) {
  return db.selectFrom('child').selectAll().where('id', '=', childId).executeTakeFirstOrThrow();
}

/** Every case the child is part of: their own, and the one their record was merged into. */
export async function casesOfChild(db: Db, childId: string, mergedIntoCaseId: string | null) {
  return db
    .selectFrom('case_record')
    .selectAll()
    .where((eb) =>
      eb.or([eb('child_id', '=', childId), ...(mergedIntoCaseId ? [eb('id', '=', mergedIntoCaseId)] : [])]),
    )
    .orderBy('opened_at')
    .execute();
}

/** The child's referrals and those of their cases, oldest first. */
export async function referralsOfChild(db: Db, childId: string, caseIds: readonly string[]) {
  return db
    .selectFrom('referral')
    .selectAll()
    .where((eb) =>
      eb.or([eb('child_id', '=', childId), ...(caseIds.length ? [eb('case_id', 'in', caseIds)] : [])]),
    )
    .orderBy('submitted_at')
    .execute();
}

/**
 * What the cases hold, each kind oldest first: decisions, service referrals and their notes, case
 * notes, goals, conferences and disclosures.
 */
export async function caseRecordsForExport(db: Db, caseIds: readonly string[]) {
  const inCases = <T>(fn: () => Promise<T[]>): Promise<T[]> => (caseIds.length ? fn() : Promise.resolve([]));
  const decisions = await inCases(() =>
    db.selectFrom('decision').selectAll().where('case_id', 'in', caseIds).orderBy('created_at').execute(),
  );
  const serviceReferrals = await inCases(() =>
    db
      .selectFrom('service_referral')
      .selectAll()
      .where('case_id', 'in', caseIds)
      .orderBy('created_at')
      .execute(),
  );
  const serviceReferralIds = serviceReferrals.map((s) => s.id);
  const caseNotes = await inCases(() =>
    db.selectFrom('case_note').selectAll().where('case_id', 'in', caseIds).orderBy('created_at').execute(),
  );
  const serviceNotes = serviceReferralIds.length
    ? await db
        .selectFrom('service_referral_note')
        .selectAll()
        .where('service_referral_id', 'in', serviceReferralIds)
        .orderBy('created_at')
        .execute()
    : [];
  const goals = await inCases(() =>
    db.selectFrom('case_goal').selectAll().where('case_id', 'in', caseIds).orderBy('created_at').execute(),
  );
  const conferences = await inCases(() =>
    db.selectFrom('conference').selectAll().where('case_id', 'in', caseIds).orderBy('held_on').execute(),
  );
  const disclosures = await inCases(() =>
    db.selectFrom('disclosure').selectAll().where('case_id', 'in', caseIds).orderBy('made_at').execute(),
  );
  return { decisions, serviceReferrals, caseNotes, serviceNotes, goals, conferences, disclosures };
}

/** Audit entries about these records, or naming the child in their details, in order. */
export async function auditEntriesAbout(db: Db, subjectIds: readonly string[], childId: string) {
  return db
    .selectFrom('audit_event')
    .select(['id', 'occurred_at', 'actor_user_id', 'actor_organisation_id', 'action', 'subject_type'])
    .where((eb) =>
      eb.or([eb('subject_id', 'in', subjectIds), sql<boolean>`details->>'childId' = ${childId}`]),
    )
    .orderBy('id')
    .execute();
}

/** Every row of one of a child's sub-record tables belonging to these cases, all columns. */
export async function subRecordRowsOfCases(
  db: Db,
  table: ChildSubRecordTable,
  caseIds: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (caseIds.length === 0) return [];
  const found = await sql<
    Record<string, unknown>
  >`SELECT * FROM ${sql.table(table)} AS t WHERE ${rowsOfCases(table, caseIds)}`.execute(db);
  return found.rows;
}
