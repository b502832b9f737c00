import type { Permission } from '../access/permissions.ts';
import { addCalendarDays, addWorkingDays, workingDaysBetween, type IsoDate } from './calendar.ts';

/**
 * The identification decisions and their clock, declared once: which decisions there are, when
 * each opens, when it is due, who makes it, and what follows each outcome. The server enforces it;
 * the web shows it; reminders and the deadline board read it. Modelled on the UK NRM (DOMAIN.md):
 * a reasonable-grounds decision within a few working days of the referral, then a recovery period
 * before the conclusive-grounds decision, and a reconsideration of a negative decision on request.
 */

export const DECISION_KINDS = ['reasonable_grounds', 'conclusive_grounds', 'reconsideration'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_STATUSES = ['pending', 'made'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const DECISION_OUTCOMES = ['positive', 'negative'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** The clock's lengths (configurable: REASONABLE_GROUNDS_WORKING_DAYS and the rest). */
export interface DecisionClock {
  reasonableGroundsWorkingDays: number;
  recoveryPeriodDays: number;
  conclusiveGroundsWorkingDays: number;
  reconsiderationWindowDays: number;
}

export interface DecisionStage {
  /** Who makes the decision. */
  madeBy: Permission;
  /** What starts it, in words (shown in the docs and the decision form). */
  opens: string;
  /** Its period: when it may be made (null: at once) and when it is due, counted in the case's region. */
  period: (
    startsOn: IsoDate,
    region: string,
    clock: DecisionClock,
  ) => { earliestOn: IsoDate | null; dueOn: IsoDate };
}

export const DECISION_LIFECYCLE: Readonly<Record<DecisionKind, DecisionStage>> = {
  reasonable_grounds: {
    madeBy: 'decisions.make',
    opens: 'When a case is opened: the clock starts on the day the referral was received.',
    period: (startsOn, region, clock) => ({
      earliestOn: null,
      dueOn: addWorkingDays(startsOn, clock.reasonableGroundsWorkingDays, region),
    }),
  },
  conclusive_grounds: {
    madeBy: 'decisions.make',
    opens:
      'After a positive reasonable-grounds decision: it can be made once the recovery period has ended, and is due some working days later.',
    period: (startsOn, region, clock) => {
      const earliestOn = addCalendarDays(startsOn, clock.recoveryPeriodDays);
      return { earliestOn, dueOn: addWorkingDays(earliestOn, clock.conclusiveGroundsWorkingDays, region) };
    },
  },
  reconsideration: {
    madeBy: 'decisions.make',
    opens:
      'When the case team or a decision maker asks, with grounds, within the window after a negative decision; someone other than the first decision maker decides.',
    period: (startsOn, region, clock) => ({
      earliestOn: null,
      dueOn: addWorkingDays(startsOn, clock.reasonableGroundsWorkingDays, region),
    }),
  },
};

/** The decision that a made decision leads to: a positive reasonable-grounds one (first time or on reconsideration) starts the conclusive-grounds one. */
export function decisionThatFollows(
  kind: DecisionKind,
  outcome: DecisionOutcome,
  reconsideredKind: DecisionKind | null,
): DecisionKind | null {
  const groundsFound =
    outcome === 'positive' &&
    (kind === 'reasonable_grounds' ||
      (kind === 'reconsideration' && reconsideredKind === 'reasonable_grounds'));
  return groundsFound ? 'conclusive_grounds' : null;
}

/** The last day a reconsideration of a made decision can be requested, or null when it cannot be. */
export function reconsiderationOpenUntil(
  decision: { kind: DecisionKind; outcome: DecisionOutcome | null; decidedOn: IsoDate | null },
  clock: Pick<DecisionClock, 'reconsiderationWindowDays'>,
): IsoDate | null {
  if (decision.outcome !== 'negative' || !decision.decidedOn || decision.kind === 'reconsideration')
    return null;
  return addCalendarDays(decision.decidedOn, clock.reconsiderationWindowDays);
}

/** Working days before the due date at which a pending decision counts as due soon. */
export const DUE_SOON_WORKING_DAYS = 2;

export const DEADLINE_STATES = ['overdue', 'due_soon', 'on_track', 'not_yet_open'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** Where a pending decision stands today. */
export function deadlineState(
  today: IsoDate,
  decision: { earliestOn: IsoDate | null; dueOn: IsoDate; region: string },
): { state: DeadlineState; workingDaysLeft: number } {
  const workingDaysLeft = workingDaysBetween(today, decision.dueOn, decision.region);
  if (today > decision.dueOn) return { state: 'overdue', workingDaysLeft };
  if (decision.earliestOn && today < decision.earliestOn) return { state: 'not_yet_open', workingDaysLeft };
  return { state: workingDaysLeft <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'on_track', workingDaysLeft };
}

/**
 * Working days after `from` up to and including `to`, given the public holidays in between: for
 * screens that already hold the holidays (the server sends them with each decision), so they need
 * no holiday calendar of their own.
 */
export function workingDaysGiven(from: IsoDate, to: IsoDate, holidays: readonly IsoDate[]): number {
  const skipped = new Set(holidays);
  let count = 0;
  for (let date = addCalendarDays(from, 1); date <= to; date = addCalendarDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !skipped.has(date)) count += 1;
  }
  return count;
}
