import { deadlineState } from '@tiaki/domain';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { peopleWith } from '../organisations/index.ts';
import { DECISION_WORDS, notify, type NewNotification } from '../notifications/index.ts';

/**
 * Raises in-app reminders for decisions due soon or overdue, service referrals past their
 * respond-by date, and conference actions past due. Each reminder is raised once per thing,
 * state and day, so running twice (or in two processes) raises nothing twice. Messages name
 * case references, never children.
 */
export async function sendDeadlineReminders(ctx: AppContext): Promise<number> {
  const today = ctx.today();
  const reminders: NewNotification[] = [];

  const decisions = await ctx.db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.kind',
      'd.due_on',
      'd.earliest_on',
      'd.assigned_to_user_id',
      'c.id as case_id',
      'c.reference',
      'c.region',
      'c.owner_organisation_id',
    ])
    .where('d.status', '=', 'pending')
    .where('c.status', '=', 'open')
    .execute();
  for (const d of decisions) {
    const { state } = deadlineState(today, { earliestOn: d.earliest_on, dueOn: d.due_on, region: d.region });
    if (state !== 'overdue' && state !== 'due_soon') continue;
    const recipients = d.assigned_to_user_id
      ? [d.assigned_to_user_id]
      : (await peopleWith(ctx.db, d.owner_organisation_id, 'decisions.make')).map((p) => p.id);
    const what = DECISION_WORDS[d.kind] ?? 'Decision';
    const message =
      state === 'overdue'
        ? `${what} for ${d.reference} is overdue: it was due on ${d.due_on}.`
        : `${what} for ${d.reference} is due on ${d.due_on}.`;
    for (const userId of recipients) {
      reminders.push({
        userId,
        kind: `decision.${state}`,
        subjectType: 'decision',
        subjectId: d.id,
        message,
        link: `/cases/${d.case_id}`,
        dedupeKey: `decision:${d.id}:${state}:${today}`,
      });
    }
  }

  const serviceReferrals = await ctx.db
    .selectFrom('service_referral as s')
    .innerJoin('case_record as c', 'c.id', 's.case_id')
    .select([
      's.id',
      's.respond_by',
      's.created_by_user_id',
      'c.id as case_id',
      'c.reference',
      'c.owner_organisation_id',
    ])
    .where('s.status', '=', 'sent')
    .where('s.respond_by', '<', today)
    .where('c.status', '=', 'open')
    .execute();
  for (const s of serviceReferrals) {
    const recipients = s.created_by_user_id
      ? [s.created_by_user_id]
      : (await peopleWith(ctx.db, s.owner_organisation_id, 'cases.manage')).map((p) => p.id);
    for (const userId of recipients) {
      reminders.push({
        userId,
        kind: 'service_referral.overdue',
        subjectType: 'service_referral',
        subjectId: s.id,
        message: `A service referral for ${s.reference} has had no answer: a response was due by ${s.respond_by}.`,
        link: `/cases/${s.case_id}`,
        dedupeKey: `service_referral:${s.id}:overdue:${today}`,
      });
    }
  }

  const actions = await ctx.db
    .selectFrom('conference_action as a')
    .innerJoin('case_record as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.due_on', 'a.owner_user_id', 'c.id as case_id', 'c.reference'])
    .where('a.status', '=', 'open')
    .where('a.due_on', '<', today)
    .where('a.owner_user_id', 'is not', null)
    .where('c.status', '=', 'open')
    .execute();
  for (const a of actions) {
    if (!a.owner_user_id) continue;
    reminders.push({
      userId: a.owner_user_id,
      kind: 'conference_action.overdue',
      subjectType: 'conference_action',
      subjectId: a.id,
      message: `A conference action on ${a.reference} was due on ${a.due_on} and is not done yet.`,
      link: `/cases/${a.case_id}`,
      dedupeKey: `conference_action:${a.id}:overdue:${today}`,
    });
  }
  return notify(ctx, reminders);
}

/** Ids of notifications not yet emailed, for the email job. */
export async function unsentEmails(ctx: AppContext, limit = 200) {
  return ctx.db
    .selectFrom('notification as n')
    .innerJoin('app_user as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.message', 'n.link', 'u.email'])
    .where('n.emailed_at', 'is', null)
    .where('u.is_active', '=', true)
    .where(sql<boolean>`n.created_at > now() - interval '2 days'`)
    .orderBy('n.created_at')
    .limit(limit)
    .execute();
}
