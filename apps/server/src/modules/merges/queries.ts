import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseMergeTable } from '../../db/schema.ts';

/** A case known to exist (it throws otherwise): its reference and status. */
export function caseForMerge(db: Db, caseId: string) {
  return db
    .selectFrom('case_record')
    .select(['id', 'reference', 'status'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

/**
 * Moves a case's child records and referrals onto another case and closes it as merged; the ids
 * of what moved, so an un-merge can put exactly that back.
 */
export async function moveCaseInto(
  db: Db,
  fromCaseId: string,
  intoCaseId: string,
  closedByUserId: string,
): Promise<{ childIds: string[]; referralIds: string[] }> {
  const children = await db.selectFrom('child').select('id').where('case_id', '=', fromCaseId).execute();
  const referrals = await db.selectFrom('referral').select('id').where('case_id', '=', fromCaseId).execute();
  await db.updateTable('child').set({ case_id: intoCaseId }).where('case_id', '=', fromCaseId).execute();
  await db.updateTable('referral').set({ case_id: intoCaseId }).where('case_id', '=', fromCaseId).execute();
  await db
    .updateTable('case_record')
    .set({
      status: 'closed',
      closure_reason: 'merged_with_another_case',
      closed_at: new Date(),
      closed_by_user_id: closedByUserId,
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', fromCaseId)
    .execute();
  return { childIds: children.map((c) => c.id), referralIds: referrals.map((r) => r.id) };
}

export async function insertMerge(db: Db, row: Insertable<CaseMergeTable>): Promise<void> {
  await db.insertInto('case_merge').values(row).execute();
}

export function mergeById(db: Db, mergeId: string) {
  return db.selectFrom('case_merge').selectAll().where('id', '=', mergeId).executeTakeFirst();
}

/** Marks a merge undone; undefined if it had been undone already. */
export function markUnmerged(
  db: Db,
  mergeId: string,
  undo: { unmerged_by_user_id: string; unmerge_reason_enc: string },
) {
  return db
    .updateTable('case_merge')
    .set({ unmerged_at: new Date(), ...undo })
    .where('id', '=', mergeId)
    .where('unmerged_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Puts the child records and referrals a merge moved back on the merged case, and reopens it. */
export async function moveBack(
  db: Db,
  merge: { kept_case_id: string; merged_case_id: string; child_ids: string[]; referral_ids: string[] },
): Promise<void> {
  if (merge.child_ids.length > 0)
    await db
      .updateTable('child')
      .set({ case_id: merge.merged_case_id })
      .where('id', 'in', merge.child_ids)
      .where('case_id', '=', merge.kept_case_id)
      .execute();
  if (merge.referral_ids.length > 0)
    await db
      .updateTable('referral')
      .set({ case_id: merge.merged_case_id })
      .where('id', 'in', merge.referral_ids)
      .where('case_id', '=', merge.kept_case_id)
      .execute();
  await db
    .updateTable('case_record')
    .set({
      status: 'open',
      closure_reason: null,
      closed_at: null,
      closed_by_user_id: null,
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', merge.merged_case_id)
    .execute();
}

/** Merges that involve a case, newest first, with both cases' references. */
export function mergeRows(db: Db, caseId: string) {
  return db
    .selectFrom('case_merge as m')
    .innerJoin('case_record as kept', 'kept.id', 'm.kept_case_id')
    .innerJoin('case_record as merged', 'merged.id', 'm.merged_case_id')
    .select([
      'm.id',
      'm.reason_enc',
      'm.merged_by_user_id',
      'm.merged_at',
      'm.unmerged_at',
      'kept.id as kept_id',
      'kept.reference as kept_reference',
      'merged.id as merged_id',
      'merged.reference as merged_reference',
    ])
    .where((eb) => eb.or([eb('m.kept_case_id', '=', caseId), eb('m.merged_case_id', '=', caseId)]))
    .orderBy('m.merged_at', 'desc')
    .execute();
}
