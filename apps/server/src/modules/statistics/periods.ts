import { HttpError } from '../../http/errors.ts';

/** Every month ('YYYY-MM') from the month of `from` to the month of `to`, so empty months show as 0. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7);) {
    months.push(m);
    const [y = 0, mo = 0] = m.split('-').map(Number);
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return months;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(iso: string): [number, number, number] | null {
  const m = DATE.exec(iso);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The period runs from the first day of a month to the last day of a month. */
export function isWholeMonths(from: string, to: string): boolean {
  const a = parts(from);
  const b = parts(to);
  return a !== null && b !== null && a[2] === 1 && b[2] === lastDayOf(b[0], b[1]) && from <= to;
}

export type StandardPeriodKind = 'month' | 'quarter' | 'year';

/**
 * The standard period a (from, to) pair names — one calendar month, one calendar quarter or one
 * calendar year — or null. Published statistics are for standard periods only, so two published
 * periods never differ by a few days (which would give those days' counts away).
 */
export function standardPeriod(from: string, to: string): StandardPeriodKind | null {
  if (!isWholeMonths(from, to)) return null;
  const a = parts(from);
  const b = parts(to);
  if (!a || !b || a[0] !== b[0]) return null;
  if (a[1] === b[1]) return 'month';
  if ((a[1] - 1) % 3 === 0 && b[1] === a[1] + 2) return 'quarter';
  if (a[1] === 1 && b[1] === 12) return 'year';
  return null;
}

/** A run of whole calendar years (1 January to 31 December of the same or a later year). */
export function isWholeYears(from: string, to: string): boolean {
  return /^\d{4}-01-01$/.test(from) && /^\d{4}-12-31$/.test(to) && from <= to;
}

export const STANDARD_PERIODS_MESSAGE =
  'Published statistics are for standard periods only: one calendar month (e.g. 2026-07-01 to 2026-07-31), one quarter (e.g. 2026-07-01 to 2026-09-30) or one calendar year (2026-01-01 to 2026-12-31). Exact figures for other dates are for data stewards.';

/** Refuses (400) a published request for anything but a standard period. */
export function requireStandardPeriod(period: { from: string; to: string }): void {
  if (standardPeriod(period.from, period.to) !== null) return;
  throw new HttpError(400, 'nonstandard_period', STANDARD_PERIODS_MESSAGE, [
    { path: 'from', message: 'Choose a month, a quarter or a year' },
  ]);
}

/** Refuses (400) a published trend that does not start on the 1st of a month and end on a month's last day. */
export function requireWholeMonths(period: { from: string; to: string }): void {
  if (isWholeMonths(period.from, period.to)) return;
  throw new HttpError(
    400,
    'nonstandard_period',
    'Published trends are by whole months: start on the 1st of a month and end on the last day of a month. Exact figures for other dates are for data stewards.',
    [{ path: 'from', message: 'Start on the 1st of a month and end on the last day of a month' }],
  );
}

/** Refuses (400) a reporting pack for anything but a standard period or a run of whole calendar years. */
export function requireReportingPeriod(period: { from: string; to: string }): void {
  if (standardPeriod(period.from, period.to) !== null || isWholeYears(period.from, period.to)) return;
  throw new HttpError(
    400,
    'nonstandard_period',
    'A reporting pack covers a month, a quarter, a calendar year or several whole calendar years (1 January to 31 December).',
    [{ path: 'from', message: 'Choose a month, a quarter or whole calendar years' }],
  );
}
