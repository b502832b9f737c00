import { describe, expect, it } from 'vitest';
import { holidaysBetween, workingDaysBetween } from './calendar.ts';
import { addCalendarDays, workingDaysGiven } from './dates.ts';
import {
  deadlineState,
  DECISION_LIFECYCLE,
  decisionThatFollows,
  reconsiderationOpenUntil,
  type DecisionClock,
} from './decisions.ts';

const clock: DecisionClock = {
  reasonableGroundsWorkingDays: 5,
  recoveryPeriodDays: 30,
  conclusiveGroundsWorkingDays: 10,
  reconsiderationWindowDays: 30,
};

describe('the identification decision lifecycle', () => {
  it('gives a reasonable-grounds decision five working days, skipping Matariki', () => {
    // Friday 10 July 2026 is Matariki: Monday 6 July + 5 working days is Tuesday 14 July.
    expect(DECISION_LIFECYCLE.reasonable_grounds.period('2026-07-06', '09', clock)).toEqual({
      earliestOn: null,
      dueOn: '2026-07-14',
    });
  });

  it('opens the conclusive-grounds decision after the recovery period, then counts working days', () => {
    const period = DECISION_LIFECYCLE.conclusive_grounds.period('2026-03-02', '09', clock);
    expect(period.earliestOn).toBe('2026-04-01');
    // 10 working days from Wednesday 1 April 2026 skip Good Friday (3 April) and Easter Monday (6 April).
    expect(period.dueOn).toBe('2026-04-17');
  });

  it('follows a positive reasonable-grounds decision (first time or reconsidered) with a conclusive one, and nothing else', () => {
    expect(decisionThatFollows('reasonable_grounds', 'positive', null)).toBe('conclusive_grounds');
    expect(decisionThatFollows('reconsideration', 'positive', 'reasonable_grounds')).toBe(
      'conclusive_grounds',
    );
    expect(decisionThatFollows('reasonable_grounds', 'negative', null)).toBeNull();
    expect(decisionThatFollows('conclusive_grounds', 'positive', null)).toBeNull();
    expect(decisionThatFollows('reconsideration', 'positive', 'conclusive_grounds')).toBeNull();
  });

  it('lets a negative decision, and only a negative first decision, be reconsidered within the window', () => {
    const negative = { kind: 'reasonable_grounds', outcome: 'negative', decidedOn: '2026-07-01' } as const;
    expect(reconsiderationOpenUntil(negative, clock)).toBe('2026-07-31');
    expect(reconsiderationOpenUntil({ ...negative, outcome: 'positive' }, clock)).toBeNull();
    expect(reconsiderationOpenUntil({ ...negative, kind: 'reconsideration' }, clock)).toBeNull();
    expect(reconsiderationOpenUntil({ ...negative, decidedOn: null }, clock)).toBeNull();
  });

  it('says where a pending decision stands: not yet open, on track, due soon, overdue', () => {
    const decision = { earliestOn: '2026-07-06', dueOn: '2026-07-17', region: '09' };
    expect(deadlineState('2026-07-03', decision).state).toBe('not_yet_open');
    expect(deadlineState('2026-07-07', decision).state).toBe('on_track');
    expect(deadlineState('2026-07-15', decision)).toEqual({ state: 'due_soon', workingDaysLeft: 2 });
    expect(deadlineState('2026-07-20', decision)).toEqual({ state: 'overdue', workingDaysLeft: -1 });
  });

  it('counts working days from the holidays a screen is given exactly as the calendar does', () => {
    for (let i = 0; i < 400; i += 7) {
      const from = addCalendarDays('2026-01-01', i);
      const to = addCalendarDays(from, 3 + (i % 40));
      const holidays = holidaysBetween(from, to, '13').map((h) => h.date);
      expect(workingDaysGiven(from, to, holidays), `${from} to ${to}`).toBe(
        workingDaysBetween(from, to, '13'),
      );
    }
  });
});
