import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { StatisticsReportView } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { JobWorker } from '../jobs/queue.ts';
import { JOB_HANDLERS, recurringJobs } from '../jobs/handlers.ts';
import { statisticsComputed } from './cache.ts';
import { statisticsReport } from './tables.ts';
import { reportPeriodsToWarm, STATISTICS_WARM_JOB, trendPeriodsToWarm } from './warm.ts';

type Value = number | { suppressed: false; value: number } | { suppressed: true; reason: string };
const published = (v: Value) => (typeof v === 'number' ? v : v.suppressed ? null : v.value);

describe('the standard periods computed ahead of readers', () => {
  it('are the dashboard quick picks, this year, the recent months and the trends screen periods', () => {
    const periods = reportPeriodsToWarm('2026-07-03').map((p) => `${p.from}..${p.to}`);
    // The last complete quarter (the dashboard's default) first, then this quarter.
    expect(periods.slice(0, 2)).toEqual(['2026-04-01..2026-06-30', '2026-07-01..2026-09-30']);
    expect(periods).toContain('2025-07-01..2025-09-30');
    expect(periods).toContain('2025-01-01..2025-12-31');
    expect(periods).toContain('2026-01-01..2026-12-31');
    expect(periods).toContain('2026-07-01..2026-07-31');
    expect(periods).toContain('2025-07-01..2025-07-31');
    expect(periods).not.toContain('2025-06-01..2025-06-30');
    expect(new Set(periods).size).toBe(periods.length);
    expect(trendPeriodsToWarm('2026-07-03')[0]).toEqual({ from: '2024-07-01', to: '2026-06-30' });
  });
});

describe.each(DRIVERS)('statistics ready before anyone asks on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let worker: JobWorker;
  // Another server process on PostgreSQL: its own pool, so its own kept statistics.
  let other: AppContext;
  let otherDatabase: Database | undefined;
  // This quarter: the second of the standard periods (the test computes the first two only).
  const month = 'from=2026-07-01&to=2026-09-30';

  const submit = async (n: number) => {
    for (let i = 0; i < n; i++)
      await world.submitReferral(
        { concern: { date: '2026-07-01', region: '02' } },
        { givenNames: `Warm${i}`, familyName: 'Statistic', dateOfBirth: '2012-03-14', aliases: [] },
      );
  };
  /** The job's next look, now, through the job queue. */
  const look = async () => {
    await sql`UPDATE job SET run_at = now() WHERE kind = ${STATISTICS_WARM_JOB} AND status = 'queued'`.execute(
      ctx.db,
    );
    expect(await worker.runDue()).toBeGreaterThan(0);
  };
  const warmed = async () =>
    (await sql<{ n: string | null }>`SELECT warmed_change::text AS n FROM statistics_warming`.execute(ctx.db))
      .rows[0]?.n ?? null;

  beforeAll(async () => {
    ctx = await createTestContext(driver, {
      TIAKI_TODAY: '2026-07-03',
      STATS_WARM_SECONDS: '60',
      STATS_WARM_PERIODS: '2',
    });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    worker = new JobWorker(
      ctx,
      JOB_HANDLERS,
      recurringJobs(ctx).filter((job) => job.kind === STATISTICS_WARM_JOB),
    );
    await worker.scheduleRecurring();
    if (ctx.config.databaseUrl) {
      otherDatabase = await openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: undefined });
      other = { ...ctx, database: otherDatabase, db: otherDatabase.db };
    } else {
      other = ctx;
    }
  }, 120_000);
  afterAll(async () => {
    await otherDatabase?.close();
    await app.close();
    await ctx.close();
  });

  it('recomputes the standard periods in the background after a change: the first reader computes nothing', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    await submit(10);
    // The first look ever computes at once.
    await look();
    expect(await warmed()).not.toBeNull();
    let computed = statisticsComputed(ctx.database);
    const first = await analyst.client.get(`/api/statistics?${month}`);
    expect(first.statusCode).toBe(200);
    expect(
      Math.abs(published(first.json<StatisticsReportView>().headline.referrals as Value)! - 10),
    ).toBeLessThan(3);
    expect(statisticsComputed(ctx.database)).toBe(computed);

    // The facts change: the next look sees it and waits for them to be quiet; the one after computes.
    const before = await warmed();
    await submit(20);
    await look();
    expect(await warmed()).toBe(before);
    await look();
    expect(await warmed()).not.toBe(before);

    computed = statisticsComputed(ctx.database);
    for (const path of [
      `/api/statistics?${month}`,
      '/api/statistics?from=2026-04-01&to=2026-06-30',
      '/api/statistics?from=2026-07-01&to=2026-09-30&region=02',
      '/api/statistics/trends?from=2024-07-01&to=2026-06-30&region=02',
    ]) {
      const res = await analyst.client.get(path);
      expect(res.statusCode, path).toBe(200);
    }
    const after = (await analyst.client.get(`/api/statistics?${month}`)).json<StatisticsReportView>();
    // The new referrals are in what the first reader sees, and nothing was computed for it.
    expect(Math.abs(published(after.headline.referrals as Value)! - 30)).toBeLessThan(3);
    expect(statisticsComputed(ctx.database)).toBe(computed);

    // Another process reads the job's results from the database, the same figures.
    const otherComputed = statisticsComputed(other.database);
    const there = await statisticsReport(other, { from: '2026-07-01', to: '2026-09-30' }, false);
    // (The API leaves out the cells' labels for rounding, which the kept value holds.)
    const seen = JSON.parse(JSON.stringify(there)) as StatisticsReportView;
    expect(seen.headline).toEqual(after.headline);
    expect(seen.referralsByMonth.body).toEqual(after.referralsByMonth.body);
    expect(seen.tables.map((t) => t.table.body)).toEqual(after.tables.map((t) => t.table.body));
    expect(statisticsComputed(other.database)).toBe(otherComputed);
  }, 900_000);

  it('still computes a period nobody computed ahead on request (exact, any dates)', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const computed = statisticsComputed(ctx.database);
    const res = await steward.client.get('/api/statistics?from=2026-07-03&to=2026-07-04&exact=true');
    expect(res.statusCode).toBe(200);
    // Every referral of this test was received on its "today", 3 July 2026.
    expect(res.json<StatisticsReportView>().headline.referrals).toBe(30);
    expect(statisticsComputed(ctx.database)).toBeGreaterThan(computed);
  }, 120_000);
});
