// Weekly trends: referrals by ISO week (Monday to Sunday), published with more protection than
// months, because a week is finer and differences of weeks come closer to single days.
//
//  - A higher threshold: a week of fewer than WEEKLY_THRESHOLD (10) referrals is `*`.
//  - The same cell-key rounding as months: a week's draw follows the records in it, so a week shows
//    the same figure in every query, and a week holding exactly a month's records rounds as that
//    month does.
//  - Zeros: an area's ISO year of fewer than WEEKLY_PROTECT_ZEROS_BELOW (100) referrals shows its
//    empty weeks as `*`, so 0 against `*` cannot place a few children in their weeks.
//  - No differencing of months: a week is published only where every calendar month it touches
//    is published for that area by the referral cube (release.ts). A week touching a month the
//    cube hides (`*` or `S`) is hidden (`S`), so weeks only ever describe days of published months
//    and say nothing a month, quarter or year hides. Within the weeks, the nation is the sum of
//    its regions: secondary suppression (protectRelease) makes sure no hidden region-week can be
//    worked out as the nation minus the other regions.
import type { PublishedValue, ReleaseLinks } from '@tiaki/disclosure';
import { addCalendarDays } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { cachedStatistic } from './cache.ts';
import { withFacts } from './facts.ts';
import { protectReleaseOffThread, type ReleaseInput } from './protect-pool.ts';
import { referralsByWeek, weeksByRegion } from './queries/series.ts';
import { AREAS, referralCube } from './release.ts';
import { disclosureOptions, keySalt, type StatisticsQuery } from './tables.ts';

/** Weekly counts under this are suppressed (months: 6). */
export const WEEKLY_THRESHOLD = 10;
/** An area's ISO year of fewer referrals than this shows its empty weeks as `*`. */
export const WEEKLY_PROTECT_ZEROS_BELOW = 100;
/** At most this many weeks in one published weekly trend (about two years). */
export const MAX_WEEKS = 106;

const DAY_MS = 86_400_000;
const dateOf = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);

/** The Monday that starts ISO week 1 of an ISO year (the week holding 4 January). */
export function isoYearStart(isoYear: number): string {
  const jan4 = new Date(Date.UTC(isoYear, 0, 4));
  const back = (jan4.getUTCDay() + 6) % 7;
  return isoOf(new Date(jan4.getTime() - back * DAY_MS));
}

/** ISO week name of a date: '2026-W05'. */
export function isoWeekOf(iso: string): string {
  const d = dateOf(iso);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - dateOf(isoYearStart(year)).getTime()) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week ('2026-W05' → '2026-01-26'). */
export function weekStart(week: string): string {
  const [y = '0', w = '0'] = week.split('-W');
  return addCalendarDays(isoYearStart(Number(y)), (Number(w) - 1) * 7);
}

/** Every ISO week of an ISO year. */
export function weeksOfIsoYear(isoYear: number): string[] {
  const weeks: string[] = [];
  const next = isoYearStart(isoYear + 1);
  for (let d = isoYearStart(isoYear); d < next; d = addCalendarDays(d, 7)) weeks.push(isoWeekOf(d));
  return weeks;
}

/** The calendar months ('YYYY-MM') a week's seven days fall in: one or two. */
export function monthsOfWeek(week: string): string[] {
  const start = weekStart(week);
  return [...new Set([start.slice(0, 7), addCalendarDays(start, 6).slice(0, 7)])];
}

const isMonday = (iso: string) => dateOf(iso).getUTCDay() === 1;
const isSunday = (iso: string) => dateOf(iso).getUTCDay() === 0;

/** Refuses (400) a published weekly trend that is not whole ISO weeks, Monday to Sunday. */
export function requireWholeWeeks(period: { from: string; to: string }): void {
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(period.from) &&
    /^\d{4}-\d{2}-\d{2}$/.test(period.to) &&
    period.from < period.to &&
    isMonday(period.from) &&
    isSunday(period.to);
  if (!ok)
    throw new HttpError(
      400,
      'nonstandard_period',
      'Published weekly trends are by whole ISO weeks: start on a Monday and end on a Sunday. Exact figures for other dates are for data stewards.',
      [{ path: 'from', message: 'Start on a Monday and end on a Sunday' }],
    );
  const weeks = (dateOf(period.to).getTime() - dateOf(period.from).getTime() + DAY_MS) / (7 * DAY_MS);
  if (weeks > MAX_WEEKS)
    throw new HttpError(400, 'nonstandard_period', `A weekly trend covers at most ${MAX_WEEKS} weeks.`, [
      { path: 'to', message: `At most ${MAX_WEEKS} weeks` },
    ]);
}

/** Every ISO week from the week of `from` to the week of `to`. */
export function weeksBetween(from: string, to: string): string[] {
  const weeks: string[] = [];
  for (let d = weekStart(isoWeekOf(from)); d <= to; d = addCalendarDays(d, 7)) weeks.push(isoWeekOf(d));
  return weeks;
}

export interface WeeklyPoint {
  week: string;
  start: string;
  end: string;
  value: PublishedValue | number;
}

export interface WeeklyTrends {
  exact: boolean;
  threshold: number;
  points: WeeklyPoint[];
}

/** Published referrals for `week|area` of one ISO year, decided together. */
export type WeeklyCube = ReadonlyMap<string, PublishedValue>;

export async function weeklyCube(ctx: AppContext, isoYear: number): Promise<WeeklyCube> {
  return cachedStatistic(ctx, `weeks:${isoYear}`, () => computeWeeklyCube(ctx, isoYear));
}

async function computeWeeklyCube(ctx: AppContext, isoYear: number): Promise<WeeklyCube> {
  const first = isoYearStart(isoYear);
  const last = addCalendarDays(isoYearStart(isoYear + 1), -1);
  const rows = await withFacts(ctx, (trx) => weeksByRegion(trx, first, last, keySalt(ctx)));
  const weeks = weeksOfIsoYear(isoYear);
  const areas = [...new Set([...AREAS, ...rows.map((r) => r.region)])];
  // The months a week touches, decided by the referral cubes of their calendar years.
  const years = [...new Set(weeks.flatMap(monthsOfWeek).map((m) => m.slice(0, 4)))];
  const cubes = new Map(await Promise.all(years.map(async (y) => [y, await referralCube(ctx, y)] as const)));
  const monthHidden = (month: string, area: string) =>
    cubes.get(month.slice(0, 4))?.get(`${month}|${area}`)?.suppressed ?? true;

  const add = (a: number, b: number) => (a + b) % 2 ** 32;
  const tables: ReleaseInput[] = areas.map((area) => {
    const inArea = rows.filter((r) => area === 'all' || r.region === area);
    const yearTotal = inArea.reduce((s, r) => s + r.n, 0);
    const cells = weeks.map((week) => {
      const within = inArea.filter((r) => r.week === week);
      return {
        labels: { week },
        count: within.reduce((s, r) => s + r.n, 0),
        key: within.reduce((s, r) => add(s, r.k), 0),
      };
    });
    return {
      table: {
        measure: 'referrals by week',
        fixed: { area },
        rows: { name: 'week', categories: weeks },
        cells,
        totals: false,
      },
      protectZerosBelow: yearTotal < WEEKLY_PROTECT_ZEROS_BELOW ? Number.MAX_SAFE_INTEGER : 0,
    };
  });
  const regions = areas.map((_, k) => k).filter((k) => areas[k] !== 'all');
  const sums: NonNullable<ReleaseLinks['sums']>[number][] = weeks.map((week) => ({
    parts: regions.map((k) => ({ table: k, row: week })),
    total: { table: 0, row: week },
  }));
  const suppressed = areas.flatMap((area, k) =>
    weeks
      .filter((week) => monthsOfWeek(week).some((m) => monthHidden(m, area)))
      .map((week) => ({ table: k, row: week })),
  );
  const published = await protectReleaseOffThread(
    ctx.config.statsThreads,
    tables,
    { ...disclosureOptions(ctx), threshold: WEEKLY_THRESHOLD },
    // No interval audit here either, as for the monthly cube (release.ts says why).
    { sums, suppressed, audit: false },
  );
  const cube = new Map<string, PublishedValue>();
  published.forEach((t, k) => {
    t.rows.categories.forEach((week, i) => {
      const v = t.body[i]?.[0];
      if (v) cube.set(`${week}|${areas[k] ?? ''}`, v);
    });
  });
  return cube;
}

/** Referrals by ISO week for whole weeks (published) or any dates (exact, data stewards). */
export async function weeklyTrends(
  ctx: AppContext,
  query: StatisticsQuery,
  exact: boolean,
): Promise<WeeklyTrends> {
  const area = query.region ?? 'all';
  const weeks = weeksBetween(query.from, query.to);
  if (exact) {
    const counts = await withFacts(ctx, (trx) => referralsByWeek(trx, query));
    const byWeek = new Map(counts.map((c) => [c.week, c.n]));
    return {
      exact: true,
      threshold: WEEKLY_THRESHOLD,
      points: weeks.map((week) => ({
        week,
        start: weekStart(week),
        end: addCalendarDays(weekStart(week), 6),
        value: byWeek.get(week) ?? 0,
      })),
    };
  }
  const cubes = new Map<number, WeeklyCube>();
  for (const year of new Set(weeks.map((w) => Number(w.slice(0, 4)))))
    cubes.set(year, await weeklyCube(ctx, year));
  return {
    exact: false,
    threshold: WEEKLY_THRESHOLD,
    points: weeks.map((week) => ({
      week,
      start: weekStart(week),
      end: addCalendarDays(weekStart(week), 6),
      value: cubes.get(Number(week.slice(0, 4)))?.get(`${week}|${area}`) ?? {
        suppressed: true,
        reason: 'primary',
      },
    })),
  };
}
