import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { REGIONS } from '@tiaki/domain';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';

/**
 * The per-analyst probing budget (issue #15): distinct published-statistics queries a day are
 * counted; past STATS_DAILY_QUERY_BUDGET (20 here) a new one is refused with 429 and the auditor
 * sees one alert. Asking again what was already asked is free, and data stewards are not counted.
 */
const BUDGET = 20;
const lastDay = (m: number) => new Date(Date.UTC(2026, m, 0)).toISOString().slice(0, 10);
const month = (m: number) => `from=2026-${String(m).padStart(2, '0')}-01&to=${lastDay(m)}`;

describe('statistics query budget', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', {
      TIAKI_TODAY: '2026-11-24',
      STATS_DAILY_QUERY_BUDGET: String(BUDGET),
    });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('lets ordinary use through: a dozen views, each opened again and again, with its CSV and trends', async () => {
    const analyst = await world.person('ordinary', ['analyst']);
    for (let round = 0; round < 3; round++) {
      for (const m of [7, 8, 9]) {
        for (const region of ['', '&region=09', '&region=13']) {
          const res = await analyst.client.get(`/api/statistics?${month(m)}${region}`);
          expect(res.statusCode, `round ${round} month ${m}${region}`).toBe(200);
          // A table of the report as CSV is the same question: not counted again.
          const csv = await analyst.client.get(
            `/api/statistics/tables/referrals_by_region/csv?${month(m)}${region}`,
          );
          expect(csv.statusCode).toBe(200);
        }
      }
      const trends = await analyst.client.get('/api/statistics/trends?from=2026-01-01&to=2026-12-31');
      expect(trends.statusCode).toBe(200);
    }
  }, 300_000);

  it('stops a sweep of every month and region, tells the analyst why, and alerts the auditor once', async () => {
    const prober = await world.person('prober', ['analyst']);
    const statuses: number[] = [];
    let refusal: { code?: string; message?: string } = {};
    sweep: for (let m = 1; m <= 12; m++) {
      for (const region of REGIONS.slice(0, 4)) {
        const res = await prober.client.get(`/api/statistics?${month(m)}&region=${region.code}`);
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          refusal = res.json();
          if (statuses.filter((s) => s === 429).length >= 5) break sweep;
        }
      }
    }
    // The first BUDGET distinct queries are answered, every later new one refused.
    expect(statuses.slice(0, BUDGET).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(BUDGET)).toEqual([429, 429, 429, 429, 429]);
    expect(refusal.code).toBe('statistics_budget_exceeded');
    expect(refusal.message).toMatch(/daily limit/);
    // Figures already opened today can still be opened.
    const again = await prober.client.get(`/api/statistics?${month(1)}&region=${REGIONS[0]!.code}`);
    expect(again.statusCode).toBe(200);

    // The auditor sees one alert naming the person, however many refusals followed.
    const auditor = await world.person('auditor', ['auditor']);
    const log = await auditor.client.get('/api/audit?action=statistics.probing_alert');
    expect(log.statusCode).toBe(200);
    const body = log.json<{ events: { subjectId: string | null; details: Record<string, unknown> }[] }>();
    const mine = body.events.filter((e) => e.subjectId === prober.user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.details).toMatchObject({ day: '2026-11-24', budget: BUDGET });
  }, 300_000);

  it('does not count data stewards (exact figures are theirs to see)', async () => {
    const steward = await world.person('steward', ['data_steward']);
    for (let m = 1; m <= 12; m++) {
      for (const region of REGIONS.slice(0, 2)) {
        const res = await steward.client.get(`/api/statistics?${month(m)}&region=${region.code}`);
        expect(res.statusCode).toBe(200);
      }
    }
  }, 300_000);
});
