import { sql } from 'kysely';
import { pageRequest, type NotificationListQuery } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { countUpTo } from '../../db/paging.ts';

/** Stores a notification unless this person has one with the same key; whether it was new. */
export async function insertNotification(
  db: Db,
  n: {
    user_id: string;
    kind: string;
    subject_type: string;
    subject_id: string;
    message: string;
    link: string | null;
    dedupe_key: string;
  },
): Promise<boolean> {
  const row = await db
    .insertInto('notification')
    .values(n)
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** One page of a person's notifications, how many match, and how many are unread. */
export async function notificationPage(db: Db, userId: string, query: NotificationListQuery) {
  const paging = pageRequest(query, { sort: 'created', dir: 'desc' });
  let base = db.selectFrom('notification').where('user_id', '=', userId);
  if (query.unread) base = base.where('read_at', 'is', null);
  let rows = base.select(['id', 'kind', 'message', 'link', 'created_at', 'read_at']);
  rows =
    paging.sort === 'read'
      ? // Unread first when ascending (not read yet comes before any read time).
        rows.orderBy(sql`read_at ${sql.raw(paging.dir)} NULLS FIRST`).orderBy('created_at', 'desc')
      : rows.orderBy('created_at', paging.dir);
  const [page, counted, unread] = await Promise.all([
    rows
      .orderBy('id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('id')),
    db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: page, ...counted, page: paging.page, pageSize: paging.pageSize, unread: Number(unread.n) };
}

/** Marks one of a person's notifications read; undefined if it is not theirs. */
export function markNotificationRead(db: Db, userId: string, id: string) {
  return db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('id')
    .executeTakeFirst();
}

/** Marks every unread notification of a person read; how many were marked. */
export async function markAllNotificationsRead(db: Db, userId: string): Promise<number> {
  const rows = await db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}
