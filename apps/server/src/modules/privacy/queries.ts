import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PrivacyRequestTable } from '../../db/schema.ts';

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
