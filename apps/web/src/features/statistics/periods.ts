import { newZealandToday } from '@tiaki/domain';

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last day of a month (month 1–12). */
export function lastDay(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The last 12 full months before today (in New Zealand). */
export function lastTwelveMonths(today = newZealandToday(new Date())): Period {
  return lastFullMonths(12, today);
}

/** The last `count` full months before today (in New Zealand): a month still under way would look low. */
export function lastFullMonths(count: number, today = newZealandToday(new Date())): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  // The month before this one, and the months before that.
  const endYear = month === 1 ? year - 1 : year;
  const endMonth = month === 1 ? 12 : month - 1;
  const startIndex = endYear * 12 + (endMonth - 1) - (count - 1);
  const startYear = Math.floor(startIndex / 12);
  const startMonth = (startIndex % 12) + 1;
  return { from: `${startYear}-${pad(startMonth)}-01`, to: lastDay(endYear, endMonth) };
}

export interface Quarter extends Period {
  year: number;
  /** 1–4: January–March, April–June, July–September, October–December. */
  quarter: number;
}

/** A whole quarter (1–4) of a year. */
export function quarterOf(year: number, quarter: number): Quarter {
  const startMonth = (quarter - 1) * 3 + 1;
  return { year, quarter, from: `${year}-${pad(startMonth)}-01`, to: lastDay(year, startMonth + 2) };
}

/** This quarter (so far) and the four before it, latest first. */
export function recentQuarters(today = newZealandToday(new Date()), count = 5): Quarter[] {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const quarters: Quarter[] = [];
  for (let i = 0; i < count; i += 1) {
    const index = year * 4 + (quarter - 1) - i;
    const whole = quarterOf(Math.floor(index / 4), (index % 4) + 1);
    quarters.push(i === 0 && whole.to > today ? { ...whole, to: today } : whole);
  }
  return quarters;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | null): value is string {
  return value !== null && ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A whole quarter of `today` or before: `back` 0 is this quarter (whole, even if not ended). */
export function wholeQuarter(back: number, today = newZealandToday(new Date())): Quarter {
  const index = Number(today.slice(0, 4)) * 4 + Math.floor((Number(today.slice(5, 7)) - 1) / 3) - back;
  return quarterOf(Math.floor(index / 4), (index % 4) + 1);
}

/** The last quarter that has ended: the default period of published statistics. */
export function lastCompleteQuarter(today = newZealandToday(new Date())): Quarter {
  return wholeQuarter(1, today);
}

export type StandardKind = 'year' | 'quarter' | 'month';

/** A standard period: published statistics are for these only (the server refuses other dates). */
export interface StandardPeriod extends Period {
  kind: StandardKind;
  year: number;
  /** Quarter 1–4 or month 1–12. */
  part: number;
}

/** Years, quarters and months to choose from, latest first: this year and `years` − 1 before. */
export function standardPeriods(today = newZealandToday(new Date()), years = 5): StandardPeriod[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const found: StandardPeriod[] = [];
  for (let y = year; y > year - years; y -= 1) {
    found.push({ kind: 'year', year: y, part: 0, from: `${y}-01-01`, to: `${y}-12-31` });
  }
  for (let back = 0; back < 4 * years; back += 1) {
    const q = wholeQuarter(back, today);
    found.push({ kind: 'quarter', year: q.year, part: q.quarter, from: q.from, to: q.to });
  }
  for (let back = 0; back < 12 * years; back += 1) {
    const index = year * 12 + (month - 1) - back;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    found.push({ kind: 'month', year: y, part: m, from: `${y}-${pad(m)}-01`, to: lastDay(y, m) });
  }
  return found;
}

/** The standard period a (from, to) pair names, if any. */
export function standardKind(from: string, to: string): StandardKind | null {
  if (!isIsoDate(from) || !isIsoDate(to) || from.slice(8) !== '01' || from > to) return null;
  const [fy, fm] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  if (to !== lastDay(ty, tm) || fy !== ty) return null;
  if (fm === tm) return 'month';
  if ((fm - 1) % 3 === 0 && tm === fm + 2) return 'quarter';
  if (fm === 1 && tm === 12) return 'year';
  return null;
}

/** From the 1st of `from`'s month to the last day of `to`'s month: trends are by whole months. */
export function wholeMonths(from: string, to: string): Period {
  return {
    from: `${from.slice(0, 7)}-01`,
    to: lastDay(Number(to.slice(0, 4)), Number(to.slice(5, 7))),
  };
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);

/** The most weeks a published weekly trend may cover (the server refuses more). */
export const MAX_WEEKS = 106;

/**
 * The whole ISO weeks (Monday to Sunday) inside a period, at most `max` of them (the latest kept),
 * or null when not even one whole week fits. Published weekly trends are for whole weeks only.
 */
export function wholeWeeksWithin(period: Period, max = MAX_WEEKS): Period | null {
  const from = dayOf(period.from);
  const to = dayOf(period.to);
  const monday = new Date(from.getTime() + ((8 - from.getUTCDay()) % 7) * DAY_MS);
  const sunday = new Date(to.getTime() - (to.getUTCDay() % 7) * DAY_MS);
  if (sunday.getTime() < monday.getTime()) return null;
  const weeks = Math.round((sunday.getTime() - monday.getTime() + DAY_MS) / (7 * DAY_MS));
  const start = weeks > max ? new Date(sunday.getTime() - (max * 7 - 1) * DAY_MS) : monday;
  return { from: isoOf(start), to: isoOf(sunday) };
}
