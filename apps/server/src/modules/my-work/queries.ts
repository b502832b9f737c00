import { sql } from 'kysely';
import { UNTRIAGED_STATUSES } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import type { AuthContext } from '../auth/index.ts';
import { readableCase } from '../child-record/index.ts';

/**
 * The work queue's queries: each answers at most `limit` rows of one kind, soonest due first, and
 * those on a case only where the access gate (`readableCase`) lets the person read it.
 */

const urgentService = sql<boolean>`s.urgency = 'urgent'`.as('urgent');
const notUrgent = sql<boolean>`false`.as('urgent');
const noDetail = sql<string | null>`NULL`.as('detail');

/** Referrals assigned to the user, still waiting for triage. */
export function referralsToTriage(db: Db, userId: string, limit: number) {
  return db
    .selectFrom('referral as r')
    .select(['r.id', 'r.reference', 'r.received_on', 'r.region', 'r.urgent', 'r.case_id', noDetail])
    .where('r.assigned_to_user_id', '=', userId)
    .where('r.status', 'in', [...UNTRIAGED_STATUSES])
    .orderBy('r.received_on')
    .limit(limit)
    .execute();
}

/** Referrals waiting for triage with no one assigned: how many, and how many are urgent. */
export async function unassignedReferralCount(db: Db): Promise<{ total: number; urgent: number }> {
  const row = await db
    .selectFrom('referral as r')
    .select([
      (eb) => eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) FILTER (WHERE r.urgent)`.as('urgent'),
    ])
    .where('r.assigned_to_user_id', 'is', null)
    .where('r.status', 'in', [...UNTRIAGED_STATUSES])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), urgent: Number(row.urgent) };
}

/** Pending decisions on open cases the user may read. */
const pendingDecisions = (db: Db, auth: AuthContext) =>
  db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .where('d.status', '=', 'pending')
    .where('c.status', '=', 'open')
    .where(readableCase(auth, 'c.id'));
const decisionColumns = [
  'd.id',
  'd.kind as detail',
  'd.due_on as due',
  'c.id as case_id',
  'c.reference',
  'c.region',
  notUrgent,
] as const;

/** Pending decisions assigned to the user. */
export function decisionsDue(db: Db, auth: AuthContext, limit: number) {
  return pendingDecisions(db, auth)
    .select(decisionColumns)
    .where('d.assigned_to_user_id', '=', auth.userId)
    .orderBy('d.due_on')
    .limit(limit)
    .execute();
}

/** How many pending decisions the user may read have no one assigned. */
export async function unassignedDecisionCount(db: Db, auth: AuthContext): Promise<number> {
  const unassigned = await pendingDecisions(db, auth)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('d.assigned_to_user_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(unassigned.n);
}

/** Pending decisions on whose panel the user sits without having given a view. */
export function panelViewsDue(db: Db, auth: AuthContext, limit: number) {
  return pendingDecisions(db, auth)
    .innerJoin('panel_member as p', 'p.decision_id', 'd.id')
    .select(decisionColumns)
    .where('p.user_id', '=', auth.userId)
    .where('p.view', 'is', null)
    .orderBy('d.due_on')
    .limit(limit)
    .execute();
}

/** Open conference actions given to the user. */
export function actionsDue(db: Db, auth: AuthContext, limit: number) {
  return db
    .selectFrom('conference_action as a')
    .innerJoin('case_record as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.due_on as due', 'c.id as case_id', 'c.reference', 'c.region', noDetail, notUrgent])
    .where('a.owner_user_id', '=', auth.userId)
    .where('a.status', '=', 'open')
    .where('c.status', '=', 'open')
    .where(readableCase(auth, 'c.id'))
    .orderBy('a.due_on')
    .limit(limit)
    .execute();
}

/** Open goals with a due date on the open cases whose team the user is on. */
export function goalsDue(db: Db, auth: AuthContext, limit: number) {
  return db
    .selectFrom('case_goal as g')
    .innerJoin('case_record as c', 'c.id', 'g.case_id')
    .innerJoin('case_member as m', (join) =>
      join.onRef('m.case_id', '=', 'c.id').on('m.user_id', '=', auth.userId).on('m.removed_at', 'is', null),
    )
    .select(['g.id', 'g.due_on as due', 'c.id as case_id', 'c.reference', 'c.region', noDetail, notUrgent])
    .where('g.status', '=', 'open')
    .where('g.due_on', 'is not', null)
    .where('c.status', '=', 'open')
    .where(readableCase(auth, 'c.id'))
    .orderBy('g.due_on')
    .limit(limit)
    .execute();
}

/** Service referrals the user sent that the provider has not answered yet. */
export function serviceReferralsAwaiting(db: Db, auth: AuthContext, limit: number) {
  return db
    .selectFrom('service_referral as s')
    .innerJoin('case_record as c', 'c.id', 's.case_id')
    .select([
      's.id',
      's.respond_by as due',
      's.need_type as detail',
      urgentService,
      'c.id as case_id',
      'c.reference',
      'c.region',
    ])
    .where('s.created_by_user_id', '=', auth.userId)
    .where('s.status', '=', 'sent')
    .where('c.status', '=', 'open')
    .where(readableCase(auth, 'c.id'))
    .orderBy('s.respond_by')
    .limit(limit)
    .execute();
}

/** Service referrals sent to the organisation, waiting for its answer (no case reference). */
export function serviceReferralsToAnswer(db: Db, organisationId: string, limit: number) {
  return db
    .selectFrom('service_referral as s')
    .innerJoin('case_record as c', 'c.id', 's.case_id')
    .select(['s.id', 's.respond_by as due', 's.need_type as detail', urgentService, 'c.region'])
    .where('s.provider_organisation_id', '=', organisationId)
    .where('s.status', '=', 'sent')
    .orderBy('s.respond_by')
    .limit(limit)
    .execute();
}

/** How many of the user's reminders are unread. */
export async function unreadReminderCount(db: Db, userId: string): Promise<number> {
  const unread = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(unread.n);
}
