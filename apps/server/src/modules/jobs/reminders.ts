import { deadlineState } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { peopleWith } from '../organisations/index.ts';
import { DECISION_WORDS, notify, type NewNotification } from '../notifications/index.ts';
import {
  overdueConferenceActions,
  pendingDecisionsOnOpenCases,
  unansweredServiceReferrals,
} from './queries.ts';

/**
 * Raises in-app reminders for decisions due soon or overdue, service referrals past their
 * respond-by date, and conference actions past due. Each reminder is raised once per thing,
 * state and day, so running twice (or in two processes) raises nothing twice. Messages name
 * case references, never children.
 */
export async function sendDeadlineReminders(ctx: AppContext): Promise<number> {
  const today = ctx.today();
  const reminders: NewNotification[] = [];

  const decisions = await pendingDecisionsOnOpenCases(ctx.db);
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

  const serviceReferrals = await unansweredServiceReferrals(ctx.db, today);
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

  const actions = await overdueConferenceActions(ctx.db, today);
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
