/**
 * Dates without the holiday calendar: pure, and small enough for the web app (the public-holiday
 * calendar in calendar.ts pulls a large library the browser does not need).
 */

/** A calendar date in New Zealand, 'YYYY-MM-DD'. Deadlines are dates, not instants. */
export type IsoDate = string;

const DAY_MS = 86_400_000;

export function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / DAY_MS);
}

const NEW_ZEALAND_DATE = {
  mainland: new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Auckland' }),
  latest: new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Chatham' }),
} as const;
const LAST_TODAY = { mainland: { minute: NaN, date: '' }, latest: { minute: NaN, date: '' } };

/**
 * The one "today in New Zealand": the calendar date at the instant `now`, whatever the machine's
 * time zone. `mainland` (Pacific/Auckland) is the date Tiaki's clock and deadlines run on. `latest`
 * is the date in the Chatham Islands, 45 minutes ahead, so that a date someone enters is never
 * refused as "in the future" anywhere in the country.
 */
export function newZealandToday(now: Date, where: 'mainland' | 'latest' = 'mainland'): IsoDate {
  // Formatting costs some microseconds, and an import checks two dates a row: the date is kept for
  // the minute (both zones are whole minutes from UTC, so a date never changes within one).
  const minute = Math.floor(now.getTime() / 60_000);
  const last = LAST_TODAY[where];
  if (last.minute !== minute) {
    last.date = NEW_ZEALAND_DATE[where].format(now);
    last.minute = minute;
  }
  return last.date;
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
    const weekday = toUtc(date).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !skipped.has(date)) count += 1;
  }
  return count;
}
