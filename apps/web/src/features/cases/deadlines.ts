import type { TFunction } from 'i18next';
import { workingDaysGiven, type Decision } from '@tiaki/domain';
import { formatDate, formatDayMonth } from '../../i18n/format.ts';

/**
 * "Due 13 July 2026 (5 working days; skips Matariki 10 July)": the due date, how many working days
 * the period holds, and the public holidays it skips (which the server lists for the period).
 */
export function dueText(
  t: TFunction,
  decision: Pick<Decision, 'startsOn' | 'earliestOn' | 'dueOn' | 'holidaysInPeriod'>,
): string {
  const from = decision.earliestOn ?? decision.startsOn;
  const holidays = decision.holidaysInPeriod.filter((h) => h.date > from && h.date <= decision.dueOn);
  const workingDays = workingDaysGiven(
    from,
    decision.dueOn,
    holidays.map((h) => h.date),
  );
  const date = formatDate(decision.dueOn);
  if (holidays.length === 0) return t('decisions.due', { date, count: workingDays });
  const skipped = holidays.map((h) => t('decisions.holiday', { name: h.name, date: formatDayMonth(h.date) }));
  return t('decisions.dueSkipping', { date, count: workingDays, holidays: skipped.join(', ') });
}
