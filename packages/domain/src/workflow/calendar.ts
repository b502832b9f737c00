import Holidays from 'date-holidays';
import { REGIONS } from '../reference/regions.ts';

import { addCalendarDays, toUtc, type IsoDate } from './dates.ts';

/** date-holidays knows NZ regions by the ISO 3166-2 suffix, which our region table carries. */
function holidayStateOf(regionCode: string | null | undefined): string | undefined {
  const region = REGIONS.find((r) => r.code === regionCode);
  return region?.iso.replace(/^NZ-/, '');
}

const calendars = new Map<string, Map<number, Map<IsoDate, string>>>();

/** Public holidays (Matariki and the region's anniversary day included) in one year, by date. */
export function publicHolidays(year: number, regionCode?: string | null): Map<IsoDate, string> {
  const state = holidayStateOf(regionCode) ?? '';
  let byYear = calendars.get(state);
  if (!byYear) {
    byYear = new Map();
    calendars.set(state, byYear);
  }
  let holidays = byYear.get(year);
  if (!holidays) {
    const source = state ? new Holidays('NZ', state) : new Holidays('NZ');
    holidays = new Map(
      source
        .getHolidays(year)
        // "observance" days (e.g. Easter Sunday) are not days off.
        .filter((h) => h.type === 'public')
        .map((h) => [h.date.slice(0, 10), h.name] as const),
    );
    byYear.set(year, holidays);
  }
  return holidays;
}

export function isWorkingDay(date: IsoDate, regionCode?: string | null): boolean {
  const weekday = toUtc(date).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(Number(date.slice(0, 4)), regionCode).has(date);
}

/**
 * The date `days` working days after `start`: weekends, national public holidays and the
 * region's anniversary day are skipped. The start day itself does not count.
 */
export function addWorkingDays(start: IsoDate, days: number, regionCode?: string | null): IsoDate {
  let date = start;
  let counted = 0;
  while (counted < days) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(date, regionCode)) counted += 1;
  }
  return date;
}

/** Weekday public holidays after `start`, up to and including `end`: shown beside a deadline. */
export function holidaysBetween(
  start: IsoDate,
  end: IsoDate,
  regionCode?: string | null,
): { date: IsoDate; name: string }[] {
  const found: { date: IsoDate; name: string }[] = [];
  for (let date = addCalendarDays(start, 1); date <= end; date = addCalendarDays(date, 1)) {
    const weekday = toUtc(date).getUTCDay();
    const name = publicHolidays(Number(date.slice(0, 4)), regionCode).get(date);
    if (name && weekday !== 0 && weekday !== 6) found.push({ date, name });
  }
  return found;
}

/**
 * Working days from `from` to `to`: positive when `to` is later (days left), negative when it
 * is earlier (days overdue), 0 on the day itself.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, regionCode?: string | null): number {
  if (from === to) return 0;
  const forward = from < to;
  const end = forward ? to : from;
  let date = forward ? from : to;
  let count = 0;
  while (date < end) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(date, regionCode)) count += 1;
  }
  return forward ? count : -count;
}
