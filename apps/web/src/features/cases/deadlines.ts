import type { TFunction } from 'i18next';
import type { Decision } from '@tiaki/domain';
import { formatDate, formatDayMonth } from '../../i18n/format.ts';

const DAY_MS = 86_400_000;

function utc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Monday to Friday after `from`, up to and including `to`. */
function weekdaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = utc(from) + DAY_MS; day <= utc(to); day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

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
  const workingDays = Math.max(0, weekdaysBetween(from, decision.dueOn) - holidays.length);
  const date = formatDate(decision.dueOn);
  if (holidays.length === 0) return t('decisions.due', { date, count: workingDays });
  const skipped = holidays.map((h) => t('decisions.holiday', { name: h.name, date: formatDayMonth(h.date) }));
  return t('decisions.dueSkipping', { date, count: workingDays, holidays: skipped.join(', ') });
}
