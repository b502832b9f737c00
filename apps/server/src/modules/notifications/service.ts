import type { AppContext } from '../../context.ts';
import type { AuthContext } from '../auth/index.ts';
import { notFound } from '../../http/errors.ts';

export interface NewNotification {
  userId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  /** Plain words naming a case reference, never a child. */
  message: string;
  link: string | null;
  /** The same reminder is raised once: a repeat with this key for this user is ignored. */
  dedupeKey: string;
}

/** Stores new notifications; answers how many were new. */
export async function notify(ctx: AppContext, notifications: readonly NewNotification[]): Promise<number> {
  let created = 0;
  for (const n of notifications) {
    const row = await ctx.db
      .insertInto('notification')
      .values({
        user_id: n.userId,
        kind: n.kind,
        subject_type: n.subjectType,
        subject_id: n.subjectId,
        message: n.message,
        link: n.link,
        dedupe_key: n.dedupeKey,
      })
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) created += 1;
  }
  return created;
}

export async function listNotifications(ctx: AppContext, auth: AuthContext) {
  const rows = await ctx.db
    .selectFrom('notification')
    .select(['id', 'kind', 'message', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', auth.userId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    message: n.message,
    link: n.link,
    createdAt: n.created_at.toISOString(),
    readAt: n.read_at?.toISOString() ?? null,
  }));
}

export async function markRead(ctx: AppContext, auth: AuthContext, id: string): Promise<void> {
  const updated = await ctx.db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', auth.userId)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound('The notification');
}
