import type { NotificationListQuery } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { AuthContext } from '../auth/index.ts';
import { notFound } from '../../http/errors.ts';
import {
  insertNotification,
  markAllNotificationsRead,
  markNotificationRead,
  notificationPage,
} from './queries.ts';

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

/**
 * Stores new notifications; answers how many were new. Pass the transaction that does the work
 * (`db`) so that the notification exists exactly when the work does.
 */
export async function notify(
  ctx: AppContext,
  notifications: readonly NewNotification[],
  db: Db = ctx.db,
): Promise<number> {
  let created = 0;
  for (const n of notifications) {
    const row = await insertNotification(db, {
      user_id: n.userId,
      kind: n.kind,
      subject_type: n.subjectType,
      subject_id: n.subjectId,
      message: n.message,
      link: n.link,
      dedupe_key: n.dedupeKey,
    });
    if (row) created += 1;
  }
  return created;
}

/** Each identification decision in words, for messages. */
export const DECISION_WORDS: Readonly<Record<string, string>> = {
  reasonable_grounds: 'Reasonable-grounds decision',
  conclusive_grounds: 'Conclusive-grounds decision',
  reconsideration: 'Reconsideration',
};

/** Work given to someone: who gets it, what it is, and where it is done. */
export interface Assignment {
  /** Who the work is given to. */
  userIds: readonly string[];
  /** Who gave it: they are not told about what they gave themselves. */
  byUserId: string | null;
  kind: 'referral.assigned' | 'case.allocated' | 'decision.assigned' | 'service_referral.received';
  subjectType: string;
  subjectId: string;
  /** Plain words naming references only: never a child's name or anything written about the child. */
  message: string;
  link: string;
  /** Tells apart two assignments of the same thing (a version, a time) so each is raised once. */
  occasion: string;
}

/** An in-app notification for each person given work, in the same transaction as the work. */
export async function notifyAssigned(ctx: AppContext, db: Db, assignment: Assignment): Promise<number> {
  const to = [...new Set(assignment.userIds)].filter((id) => id && id !== assignment.byUserId);
  return notify(
    ctx,
    to.map((userId) => ({
      userId,
      kind: assignment.kind,
      subjectType: assignment.subjectType,
      subjectId: assignment.subjectId,
      message: assignment.message,
      link: assignment.link,
      dedupeKey: `${assignment.kind}:${assignment.subjectId}:${assignment.occasion}`,
    })),
    db,
  );
}

/** A person added to a case's team hears of it (the case reference and their role, nothing else). */
export async function notifyCaseAllocated(
  ctx: AppContext,
  db: Db,
  allocation: {
    byUserId: string | null;
    userId: string;
    caseId: string;
    reference: string;
    teamRole: string;
  },
): Promise<number> {
  const role = allocation.teamRole.replace(/_/g, ' ');
  return notifyAssigned(ctx, db, {
    userIds: [allocation.userId],
    byUserId: allocation.byUserId,
    kind: 'case.allocated',
    subjectType: 'case',
    subjectId: allocation.caseId,
    message: `Case ${allocation.reference} has been allocated to you: you are on its team as ${role}.`,
    link: `/cases/${allocation.caseId}`,
    occasion: `${allocation.userId}:${Date.now()}`,
  });
}

/** The signed-in person's own reminders, a page at a time, with how many are unread. */
export async function listNotifications(ctx: AppContext, auth: AuthContext, query: NotificationListQuery) {
  const { rows, ...page } = await notificationPage(ctx.db, auth.userId, query);
  return {
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      message: n.message,
      link: n.link,
      createdAt: n.created_at.toISOString(),
      readAt: n.read_at?.toISOString() ?? null,
    })),
    ...page,
  };
}

export async function markRead(ctx: AppContext, auth: AuthContext, id: string): Promise<void> {
  const updated = await markNotificationRead(ctx.db, auth.userId, id);
  if (!updated) throw notFound('The notification');
}

/** Marks all the signed-in person's unread reminders read at once; how many were marked. */
export async function markAllRead(ctx: AppContext, auth: AuthContext): Promise<number> {
  return markAllNotificationsRead(ctx.db, auth.userId);
}
