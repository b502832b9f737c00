import type { Permission } from '../access/permissions.ts';
import { addWorkingDays, workingDaysBetween } from './calendar.ts';
import { addCalendarDays, type IsoDate } from './dates.ts';
import type { DeadlineState, DecisionKind, DecisionOutcome } from './decision-vocabulary.ts';

export * from './decision-vocabulary.ts';

/**
 * The identification decisions and their clock, declared once: which decisions there are, when
 * each opens, when it is due, who makes it, and what follows each outcome. The server enforces it;
 * the web shows it; reminders and the deadline board read it. Modelled on the UK NRM (DOMAIN.md):
 * a reasonable-grounds decision within a few working days of the referral, then a recovery period
 * before the conclusive-grounds decision, and a reconsideration of a negative decision on request.
 */

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
    // Opens when a case is opened: the clock starts on the day the referral was received.
    period: (startsOn, region, clock) => ({
      earliestOn: null,
      dueOn: addWorkingDays(startsOn, clock.reasonableGroundsWorkingDays, region),
    }),
  },
  conclusive_grounds: {
    madeBy: 'decisions.make',
    // Opens after a positive reasonable-grounds decision: it can be made once the recovery period
    // has ended, and is due some working days later.
    period: (startsOn, region, clock) => {
      const earliestOn = addCalendarDays(startsOn, clock.recoveryPeriodDays);
      return { earliestOn, dueOn: addWorkingDays(earliestOn, clock.conclusiveGroundsWorkingDays, region) };
    },
  },
  reconsideration: {
    madeBy: 'decisions.make',
    // Opens when the case team or a decision maker asks, with grounds, within the window after a
    // negative decision; someone other than the first decision maker decides.
    period: (startsOn, region, clock) => ({
      earliestOn: null,
      dueOn: addWorkingDays(startsOn, clock.reasonableGroundsWorkingDays, region),
    }),
  },
};

/**
 * The decision that a made decision leads to: a positive reasonable-grounds one (first time or on
 * reconsideration) starts the conclusive-grounds one.
 */
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
