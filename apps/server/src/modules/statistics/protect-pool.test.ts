import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { protectRelease, tabulate, type TableInput } from '@tiaki/disclosure';
import type { StatisticsReportView } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { statisticsComputed } from './cache.ts';
import {
  closeStatisticsWorkers,
  protectReleaseOffThread,
  releasesInWorkers,
  setProtectionTestHooks,
} from './protect-pool.ts';

type Value = number | { suppressed: false; value: number } | { suppressed: true; reason: string };

const OPTIONS = { secret: 'a release secret of at least thirty-two characters', method: 'rr3' } as const;

/** Two regions and their nation, with the records' cell keys (as the fact views give them). */
const input = (area: string, counts: number[]): TableInput => ({
  measure: 'referrals',
  fixed: { area },
  rows: { name: 'age', categories: counts.map((_, i) => `a${i}`) },
  cells: counts.map((count, i) => ({ labels: { age: `a${i}` }, count, key: (count * 7919 + i) % 2 ** 32 })),
});

describe('release protection in a worker thread', () => {
  afterAll(closeStatisticsWorkers);

  it('publishes the same figures as in the main thread, cell keys included', async () => {
    const north = [3, 14, 40, 0, 7];
    const south = [1, 9, 22, 5, 30];
    const tables = [
      {
        table: input(
          'all',
          north.map((n, i) => n + (south[i] ?? 0)),
        ),
      },
      { table: input('north', north) },
      { table: input('south', south) },
    ];
    const sums = north.map((_, i) => ({
      parts: [1, 2].map((table) => ({ table, row: `a${i}` })),
      total: { table: 0, row: `a${i}` },
    }));
    const here = protectRelease(
      tables.map((t) => ({ table: tabulate(t.table) })),
      OPTIONS,
      { sums },
    );
    const there = await protectReleaseOffThread(1, tables, OPTIONS, { sums });
    expect(there).toEqual(here);
    // Something is hidden, so the comparison covers suppression as well as rounding.
    expect(there.flatMap((t) => t.body.flat()).some((v) => v.suppressed)).toBe(true);
  }, 120_000);

  it('says what went wrong when a release cannot be protected, and keeps working', async () => {
    const bad = [{ table: { ...input('all', [3]), measure: '' } }];
    await expect(protectReleaseOffThread(1, bad, OPTIONS)).rejects.toThrow(/Release protection failed/);
    const good = await protectReleaseOffThread(1, [{ table: input('all', [12]) }], OPTIONS);
    expect(good).toHaveLength(1);
  }, 120_000);
});

describe.each(DRIVERS)('statistics computed off the main thread on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const quarter = '/api/statistics?from=2026-07-01&to=2026-09-30';

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03', STATS_THREADS: '1' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    for (let i = 0; i < 10; i++)
      await world.submitReferral(
        { concern: { date: '2026-07-01', region: '02' } },
        { givenNames: `Thread${i}`, familyName: 'Statistic', dateOfBirth: '2012-03-14', aliases: [] },
      );
  }, 120_000);
  afterEach(() => {
    setProtectionTestHooks(undefined);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('answers /healthz while a large release is being protected', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    // Every release takes seconds of CPU, as at national volume.
    setProtectionTestHooks({ spinMs: 4_000 });
    const statistics = { done: false };
    const answer = analyst.client.get(quarter).then((res) => {
      statistics.done = true;
      return res;
    });
    // Waits until a worker computes the release (in the main thread this never comes: the
    // request finishes first).
    while (releasesInWorkers() === 0 && !statistics.done) await new Promise((r) => setTimeout(r, 5));
    expect(statistics.done, 'the release was protected in the main thread').toBe(false);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(statistics.done, '/healthz waited for the statistics').toBe(false);
    const res = await answer;
    expect(res.statusCode).toBe(200);
    // The 10 referrals, randomly rounded to base 3.
    const headline = res.json<StatisticsReportView>().headline.referrals as Value;
    expect([9, 12]).toContain(
      typeof headline === 'number' ? headline : headline.suppressed ? null : headline.value,
    );
  }, 240_000);

  it('answers a plain error when the worker stops, keeps nothing of it, and computes again after', async () => {
    const analyst = await world.person('analyst2', ['analyst']);
    const year = '/api/statistics?from=2025-01-01&to=2025-12-31';
    setProtectionTestHooks({ crash: true });
    const failed = await analyst.client.get(year);
    expect(failed.statusCode).toBe(500);
    expect(failed.json<{ message: string }>().message).toMatch(/Please try again/);
    // A new worker takes the next request, and nothing of the failed one was kept.
    setProtectionTestHooks(undefined);
    const computed = statisticsComputed(ctx.database);
    const again = await analyst.client.get(year);
    expect(again.statusCode).toBe(200);
    expect(statisticsComputed(ctx.database)).toBeGreaterThan(computed);
  }, 240_000);
});
