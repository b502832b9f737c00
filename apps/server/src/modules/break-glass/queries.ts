import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { BreakGlassTable } from '../../db/schema.ts';

/**
 * The id (and child) of a case by its id or its reference, whoever may see it (break-glass names a
 * case first; by reference, the child is matched against what the supervisor gave).
 */
export async function caseIdWhere(db: Db, where: { id: string } | { reference: string }) {
  const q = db.selectFrom('case_record').select(['id', 'child_id']);
  return (
    'id' in where ? q.where('id', '=', where.id) : q.where('reference', '=', where.reference)
  ).executeTakeFirst();
}

export async function insertBreakGlass(db: Db, row: Insertable<BreakGlassTable>) {
  await db.insertInto('break_glass').values(row).execute();
}

/** Grants, newest first (at most 500), with their case's reference; only those not yet reviewed if asked. */
export async function breakGlassRows(db: Db, pendingOnly: boolean) {
  let q = db
    .selectFrom('break_glass as b')
    .innerJoin('case_record as c', 'c.id', 'b.case_id')
    .selectAll('b')
    .select('c.reference');
  if (pendingOnly) q = q.where('b.reviewed_at', 'is', null);
  return q.orderBy('b.granted_at', 'desc').limit(500).execute();
}

/** Records the review of a grant not yet reviewed; its case, or undefined. */
export function reviewGrant(db: Db, id: string, review: Updateable<BreakGlassTable>) {
  return db
    .updateTable('break_glass')
    .set(review)
    .where('id', '=', id)
    .where('reviewed_at', 'is', null)
    .returning('case_id')
    .executeTakeFirst();
}
