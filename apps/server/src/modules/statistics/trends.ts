import { roundCount, type PublishedValue } from '@tiaki/disclosure';
import { addCalendarDays, holidaysBetween, schoolHolidays } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { cachedStatistic } from './cache.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { withFacts } from './facts.ts';
import { externalSeriesIn, eventsIn, insertEvent, upsertSeriesPoint } from './queries/overlays.ts';
import { monthsToYearEnd } from './queries/series.ts';
import { monthsBetween } from './periods.ts';
import { referralCube, type ReferralCube } from './release.ts';
import { disclosureOptions, keySalt, PROTECT_ZEROS_BELOW, type StatisticsQuery } from './tables.ts';

export interface TrendPoint {
  period: string;
  value: PublishedValue | number;
  /** Mean of the same month in earlier years, when there are at least two. */
  baseline: number | null;
  /** Well above its seasonal baseline (published only for cells that are not suppressed). */
  unusual: boolean;
}

export interface Trends {
  exact: boolean;
  points: TrendPoint[];
  overlays: {
    schoolHolidays: { start: string; end: string }[];
    publicHolidays: { date: string; name: string }[];
    events: { id: string; name: string; start: string; end: string }[];
    external: { series: string; points: { period: string; value: number }[] }[];
  };
}

const numberOf = (v: PublishedValue | number): number | null =>
  typeof v === 'number' ? v : v.suppressed ? null : v.value;

/** "Unusual": at least half as much again as the seasonal baseline, and at least 6 more. */
function isUnusual(raw: number, baseline: number | null): boolean {
  return baseline !== null && raw >= baseline * 1.5 && raw - baseline >= 6;
}

/**
 * Referrals by month with a seasonal baseline (the same month in earlier years) and the things
 * worth seeing beside them: school holidays, public holidays, named events and series imported
 * from other sources. Counts are published (rounded, suppressed) unless exact is allowed.
 */
export async function trends(ctx: AppContext, query: StatisticsQuery, exact: boolean): Promise<Trends> {
  const { from, to, region } = query;
  return cachedStatistic(
    ctx,
    `trends:${JSON.stringify({ from, to, region, exact })}`,
    () => computeTrends(ctx, query, exact),
    { keep: !exact },
  );
}

async function computeTrends(ctx: AppContext, query: StatisticsQuery, exact: boolean): Promise<Trends> {
  const monthly = await withFacts(ctx, (trx) => monthsToYearEnd(trx, query, keySalt(ctx)));
  const byMonth = new Map(monthly.map((m) => [m.month, m]));
  const first = monthly[0]?.month;
  const months = monthsBetween(query.from, query.to);
  const fixed = { area: query.region ?? 'all' };
  const options = disclosureOptions(ctx);
  // Published: each month rounded (or suppressed) by its records' cell key, so a month shows the
  // same figure here as on the dashboard, in the bulletin and in the API, whatever period is asked.
  // An area's year of fewer than 20 referrals shows its empty months as `*` (as the dashboard does).
  const perYear = new Map<string, number>();
  for (const m of monthly) perYear.set(m.month.slice(0, 4), (perYear.get(m.month.slice(0, 4)) ?? 0) + m.n);
  // The referral cube of each year decides every published month (release.ts): the same value, or
  // the same suppression, as the dashboard, bulletin and API show for that month and area.
  const cubes = new Map<string, ReferralCube>();
  if (!exact) {
    const years = new Set([...monthly.map((m) => m.month.slice(0, 4)), ...months.map((m) => m.slice(0, 4))]);
    for (const year of years) cubes.set(year, await referralCube(ctx, year));
  }
  const shown = (month: string): PublishedValue | number => {
    const decided = cubes.get(month.slice(0, 4))?.get(`${month}|${fixed.area}`);
    if (decided) return decided;
    const found = byMonth.get(month);
    const raw = found?.n ?? 0;
    if (!exact && raw === 0 && (perYear.get(month.slice(0, 4)) ?? 0) < PROTECT_ZEROS_BELOW)
      return { suppressed: true, reason: 'primary' };
    return exact
      ? raw
      : roundCount(raw, { measure: 'referrals by month', month, ...fixed }, options, found?.k ?? 0);
  };
  const points = months.map((month) => {
    const value = shown(month);
    const year = Number(month.slice(0, 4));
    // The baseline and the flag come from published numbers only: a baseline of exact counts
    // would reveal months that are suppressed. A suppressed earlier month leaves no baseline.
    const earlier = [1, 2, 3, 4, 5]
      .map((back) => `${year - back}${month.slice(4)}`)
      .filter((m) => first !== undefined && m >= first)
      .map((m) => numberOf(shown(m)));
    const baseline =
      earlier.length >= 2 && earlier.every((n) => n !== null)
        ? earlier.reduce((a, b) => a + b, 0) / earlier.length
        : null;
    const current = numberOf(value);
    return {
      period: month,
      value,
      baseline: baseline === null ? null : Math.round(baseline),
      unusual: current !== null && isUnusual(current, baseline),
    };
  });

  const events = await eventsIn(ctx.db, query);
  const external = await externalSeriesIn(ctx.db, query);
  const series = new Map<string, { period: string; value: number }[]>();
  for (const p of external)
    series.set(p.series, [...(series.get(p.series) ?? []), { period: p.period_start, value: p.value }]);

  return {
    exact,
    points,
    overlays: {
      schoolHolidays: schoolHolidays(query.from, query.to),
      // holidaysBetween counts from the day after its start (as deadlines do): include the first day.
      publicHolidays: holidaysBetween(addCalendarDays(query.from, -1), query.to, query.region ?? null),
      events: events.map((e) => ({ id: e.id, name: e.name, start: e.starts_on, end: e.ends_on })),
      external: [...series].map(([name, points]) => ({ series: name, points })),
    },
  };
}

export async function addEvent(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: { name: string; startsOn: string; endsOn: string },
): Promise<{ id: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await insertEvent(trx, {
      name: input.name,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      created_by_user_id: auth.userId,
    });
    await recordAudit(trx, actor, {
      action: 'statistics.event_added',
      subjectType: 'statistics_event',
      subjectId: row.id,
    });
    return { id: row.id };
  });
}

/**
 * Imports an aggregate series from CSV lines `YYYY-MM-DD,value` (a header line is allowed).
 * All or nothing: a bad line is named and nothing is stored.
 */
export async function importSeries(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  name: string,
  csv: string,
): Promise<{ points: number }> {
  const points: { period: string; value: number }[] = [];
  const lines = csv.split(/\r?\n/).map((l) => l.trim());
  lines.forEach((line, index) => {
    if (line === '' || (index === 0 && /[a-z]/i.test(line))) return;
    const [date = '', value = ''] = line.split(',').map((v) => v.trim());
    const n = Number(value);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(Date.parse(date)) ||
      value === '' ||
      !Number.isFinite(n)
    ) {
      throw new HttpError(
        400,
        'bad_series_line',
        `Line ${index + 1} is not "YYYY-MM-DD,number": ${line.slice(0, 60)}`,
        [{ path: 'csv', message: `Line ${index + 1}` }],
      );
    }
    points.push({ period: date, value: n });
  });
  if (points.length === 0)
    throw new HttpError(400, 'empty_series', 'The file has no data lines.', [
      { path: 'csv', message: 'No data' },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    for (const p of points) {
      await upsertSeriesPoint(trx, {
        series: name,
        period: p.period,
        value: p.value,
        importedBy: auth.userId,
      });
    }
    await recordAudit(trx, actor, {
      action: 'statistics.series_imported',
      details: { series: name, points: points.length },
    });
  });
  return { points: points.length };
}
