import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { REGIONS, type StatisticsReportView } from '@tiaki/domain';
import { tabulate, type ExactTable } from '@tiaki/disclosure';
import { seedDemoData } from '../../demo/seed.ts';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { withFacts } from './facts.ts';
import { countTables, keySalt, OUTCOME_TABLES } from './tables.ts';

type Figures = Map<string, number>;

/** Every count of an exact report, named by what it counts (not by position). */
function figuresOf(report: StatisticsReportView, outcomes: { name: string; table: ExactTable }[]): Figures {
  const out: Figures = new Map();
  const add = (name: string, value: unknown) => {
    if (typeof value !== 'number') throw new Error(`${name} is not an exact count`);
    out.set(name, value);
  };
  add('headline referrals', report.headline.referrals);
  add('headline children', report.headline.distinctChildren);
  const tables = [
    { name: 'referrals by month', table: report.referralsByMonth },
    { name: 'children by month', table: report.childrenByMonth },
    ...report.tables,
    ...outcomes,
  ];
  for (const { name, table } of tables) {
    table.body.forEach((row, i) => {
      row.forEach((value, j) => {
        add(`${name} ${table.rows.categories[i]} ${table.columns?.categories[j] ?? ''}`, value);
      });
    });
    table.rowTotals?.forEach((v, i) => {
      add(`${name} ${table.rows.categories[i]} total`, v);
    });
    table.columnTotals?.forEach((v, j) => {
      add(`${name} total ${table.columns?.categories[j]}`, v);
    });
    if (table.total !== null) add(`${name} total`, table.total);
  }
  return out;
}

describe('every filter applies to every figure', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const period = { from: '2026-01-01', to: '2026-12-31' };

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true', TIAKI_TODAY: '2026-11-24' });
    await seedDemoData(ctx, { historyReferrals: 120 });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  }, 360_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('gives each region its own figures: regions add up to the nation, an empty region shows zeros', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const figures = async (region?: string) => {
      const query = `from=${period.from}&to=${period.to}${region ? `&region=${region}` : ''}&exact=true`;
      const res = await steward.client.get(`/api/statistics?${query}`);
      expect(res.statusCode).toBe(200);
      const outcomes = await withFacts(ctx, (trx) =>
        countTables(trx, OUTCOME_TABLES, { ...period, region }, tabulate, {}, keySalt(ctx)),
      );
      return figuresOf(
        res.json<StatisticsReportView>(),
        outcomes.map((t) => ({ name: t.name, table: t.table as ExactTable })),
      );
    };
    const national = await figures();
    const byRegion = new Map<string, Figures>();
    for (const region of REGIONS) byRegion.set(region.code, await figures(region.code));

    // A child referred in two regions is counted in each: the only way regions may add to more.
    const movers = await withFacts(ctx, async (trx) => {
      const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (
        SELECT child_unit FROM fact_referral WHERE received_on BETWEEN ${period.from} AND ${period.to}
        GROUP BY child_unit HAVING count(DISTINCT region) > 1) x`.execute(trx);
      return row.rows[0]?.n ?? 0;
    });
    expect(national.get('headline referrals')).toBeGreaterThan(20);
    const ignored: string[] = [];
    for (const [name, whole] of national) {
      let sum = 0;
      for (const figuresThere of byRegion.values()) sum += figuresThere.get(name) ?? 0;
      // A figure that ignored the region would show the national value under every region.
      if (sum < whole || sum > whole + movers)
        ignored.push(`${name}: nation ${whole}, regions add to ${sum}`);
    }
    expect(ignored).toEqual([]);

    // Regions with no referrals at all show nothing anywhere (not the nation's figures).
    const empty = [...byRegion].filter(([, f]) => f.get('headline referrals') === 0);
    for (const [region, f] of empty) {
      const nonZero = [...f].filter(
        ([name, v]) =>
          v !== 0 &&
          !name.startsWith('decisions') &&
          !name.includes('service') &&
          !name.includes('unmet') &&
          !name.startsWith('cases'),
      );
      expect(nonZero, `region ${region}`).toEqual([]);
    }
  });

  it('applies the region to the children referred for analysts too (published value, not the nation)', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const national = (
      await analyst.client.get(`/api/statistics?from=${period.from}&to=${period.to}`)
    ).json<StatisticsReportView>();
    const quiet = REGIONS.map((r) => r.code);
    let differs = 0;
    for (const region of quiet) {
      const there = (
        await analyst.client.get(`/api/statistics?from=${period.from}&to=${period.to}&region=${region}`)
      ).json<StatisticsReportView>();
      if (
        JSON.stringify(there.headline.distinctChildren) !== JSON.stringify(national.headline.distinctChildren)
      )
        differs += 1;
    }
    // Every region holds fewer children than the whole country.
    expect(differs).toBe(quiet.length);
  });
});
