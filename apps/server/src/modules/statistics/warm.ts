// Statistics ready before anyone asks (issue 17): after the facts change, a background job
// computes the standard periods the statistics screens open on and offer, for the nation and every
// region, and keeps them (cache.ts, migration 0038), so the first reader is answered at once.
import type { AppContext } from '../../context.ts';
import { settledFactChange, warmAt } from './cache.ts';
import type { Period } from './facts.ts';
import {
  dropSnapshotsBefore,
  factChangeNumber,
  noteSeenChange,
  noteWarmed,
  regionsWithFacts,
  warmingState,
} from './queries/snapshots.ts';
import { AREAS } from './release.ts';
import { statisticsReport } from './tables.ts';
import { trends } from './trends.ts';

/** The recurring job that keeps the standard periods computed (jobs/handlers.ts). */
export const STATISTICS_WARM_JOB = 'statistics.warm';

/**
 * While the facts keep changing, the job waits for one quiet look before computing again, but no
 * longer than this many looks since it last computed.
 */
const MAX_LOOKS_WAITED = 8;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) =>
  `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
const monthPeriod = (index: number): Period => {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { from: `${year}-${pad(month)}-01`, to: lastDay(year, month) };
};
const quarterPeriod = (index: number): Period => {
  const year = Math.floor(index / 4);
  const first = (index % 4) * 3 + 1;
  return { from: `${year}-${pad(first)}-01`, to: lastDay(year, first + 2) };
};

/**
 * The published periods the statistics screens ask for first, most looked-at first: the
 * dashboard's default (the last complete quarter), this quarter, this month and the last, this
 * year, the last whole year and the three quarters before the last complete one (the dashboard's
 * quick picks), then the other months of the last twelve.
 */
export function reportPeriodsToWarm(today: string): Period[] {
  const year = Number(today.slice(0, 4));
  const monthIndex = year * 12 + Number(today.slice(5, 7)) - 1;
  const quarterIndex = Math.floor(monthIndex / 3);
  const lastComplete = quarterIndex - 1;
  const lastWholeYear = Math.floor(lastComplete / 4) - ((lastComplete % 4) + 1 === 4 ? 0 : 1);
  const periods: Period[] = [
    quarterPeriod(lastComplete),
    quarterPeriod(quarterIndex),
    monthPeriod(monthIndex),
    monthPeriod(monthIndex - 1),
    { from: `${year}-01-01`, to: `${year}-12-31` },
    { from: `${lastWholeYear}-01-01`, to: `${lastWholeYear}-12-31` },
    ...[2, 3, 4].map((back) => quarterPeriod(quarterIndex - back)),
  ];
  for (let back = 2; back <= 12; back++) periods.push(monthPeriod(monthIndex - back));
  const seen = new Set<string>();
  return periods.filter((p) => !seen.has(`${p.from}|${p.to}`) && seen.add(`${p.from}|${p.to}`));
}

/** The trends screen's default period: the last 24 full months. */
export function trendPeriodsToWarm(today: string): Period[] {
  const monthIndex = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1;
  return [{ from: monthPeriod(monthIndex - 24).from, to: monthPeriod(monthIndex - 1).to }];
}

/**
 * One look computes for at most this long (under the job's five-minute lease); what is left is
 * computed by the next look, which finds what this one kept.
 */
const SLICE_MS = 3 * 60_000;

/** Lets requests in between two computations: the job shares its process with the API. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One look of the warming job. Computes every standard period for the nation and each region when
 * the facts changed since it last did (or the day did, which changes the standard periods) and
 * they did not change since its previous look; answers whether it computed.
 */
export async function warmStatistics(ctx: AppContext): Promise<boolean> {
  const state = await warmingState(ctx.db);
  const { n: now } = await factChangeNumber(ctx.db, false);
  const today = ctx.today();
  if (state.warmed_change === now && state.warmed_for === today) return false;
  const everyMs = ctx.config.statsWarmSeconds * 1000;
  const waitedLong =
    state.warmed_at === null || Date.now() - state.warmed_at.getTime() > MAX_LOOKS_WAITED * everyMs;
  // Facts still changing (an import, a busy hour): wait for a quiet look, within reason.
  if (state.warmed_change !== null && state.seen_change !== now && !waitedLong) {
    await noteSeenChange(ctx.db, now);
    return false;
  }
  const change = await settledFactChange(ctx);
  if (change === null) {
    await noteSeenChange(ctx.db, now);
    return false;
  }
  const started = performance.now();
  // Regions without any fact are not computed ahead: empty, they are quick to compute on request.
  const regions = await regionsWithFacts(ctx);
  const areas = ['all', ...regions].filter((a) => AREAS.includes(a));
  if (regions.length === 0) {
    // No referral yet (a new installation): nothing worth computing ahead.
    await noteWarmed(ctx.db, { seen: change, change, day: today, tookMs: 0 });
    return false;
  }
  const outputs = [
    ...reportPeriodsToWarm(today)
      .slice(0, ctx.config.statsWarmPeriods)
      .map((period) => (region: string | undefined) => statisticsReport(ctx, { ...period, region }, false)),
    ...trendPeriodsToWarm(today).map(
      (period) => (region: string | undefined) => trends(ctx, { ...period, region }, false),
    ),
  ];
  const finished = await warmAt(change, async () => {
    for (const output of outputs) {
      for (const area of areas) {
        if (performance.now() - started > SLICE_MS) return false;
        await output(area === 'all' ? undefined : area);
        await breathe();
      }
    }
    return true;
  });
  if (!finished) {
    // The rest at the next look, from what this one kept (unless the facts change meanwhile).
    await noteSeenChange(ctx.db, change);
    return true;
  }
  await noteWarmed(ctx.db, { seen: change, change, day: today, tookMs: performance.now() - started });
  await dropSnapshotsBefore(ctx.db, change);
  return true;
}
