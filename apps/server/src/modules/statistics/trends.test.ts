import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';

interface TrendsView {
  points: {
    period: string;
    value: { suppressed: boolean; value?: number };
    baseline: number | null;
    unusual: boolean;
  }[];
  overlays: {
    schoolHolidays: { start: string; end: string }[];
    publicHolidays: { date: string; name: string }[];
    events: { name: string }[];
    external: { series: string; points: { period: string; value: number }[] }[];
  };
}

describe('trends', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const query = 'from=2026-06-01&to=2026-08-31';

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    // Six referrals each July in 2024 and 2025, twenty in July 2026: well above the baseline.
    // Three each August before: suppressed, so August 2026 may have no published baseline.
    for (const [day, count] of [
      ['2024-07-08', 6],
      ['2025-07-08', 6],
      ['2026-07-08', 20],
      ['2026-06-10', 2],
      ['2024-08-06', 3],
      ['2025-08-06', 3],
    ] as const) {
      ctx.today = () => day;
      for (let i = 0; i < count; i++) {
        await world.submitReferral(
          { concern: { date: day, region: '02' } },
          { givenNames: `Trend${i}`, familyName: 'Demo', aliases: [] },
        );
      }
    }
    ctx.today = () => '2026-08-01';
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('flags a month well above the same month in earlier years, and shows holidays beside it', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get(`/api/statistics/trends?${query}`);
    expect(res.statusCode).toBe(200);
    const trends = res.json<TrendsView>();
    const july = trends.points.find((p) => p.period === '2026-07')!;
    const june = trends.points.find((p) => p.period === '2026-06')!;
    expect(july).toMatchObject({ baseline: 6, unusual: true, value: { suppressed: false } });
    expect([18, 21]).toContain(july.value.value);
    // A baseline of suppressed months would give them away (3 and 3 make a usual level of 3).
    const august = trends.points.find((p) => p.period === '2026-08')!;
    expect(august).toMatchObject({ baseline: null, unusual: false });
    expect(june.value.suppressed).toBe(true);
    expect(june.unusual).toBe(false);
    expect(trends.overlays.publicHolidays).toContainEqual({ date: '2026-07-10', name: 'Matariki' });
    expect(trends.overlays.schoolHolidays.some((h) => h.start <= '2026-07-10' && h.end >= '2026-07-10')).toBe(
      true,
    );
    expect(res.body).not.toContain('Trend');
  });

  it('lets a data steward name events and import series from other sources; bad files change nothing', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const analyst = await world.person('analyst', ['analyst']);
    expect(
      (
        await analyst.client.post('/api/statistics/events', {
          name: 'x',
          startsOn: '2026-07-01',
          endsOn: '2026-07-02',
        })
      ).statusCode,
    ).toBe(403);
    const backwards = await steward.client.post('/api/statistics/events', {
      name: 'Test',
      startsOn: '2026-07-05',
      endsOn: '2026-07-01',
    });
    expect(backwards.statusCode).toBe(400);
    const event = await steward.client.post('/api/statistics/events', {
      name: 'Synthetic sporting tournament (demo)',
      startsOn: '2026-07-04',
      endsOn: '2026-07-19',
    });
    expect(event.statusCode).toBe(201);

    const bad = await steward.client.post('/api/statistics/series', {
      series: 'Blocked access attempts (weekly)',
      csv: 'week,value\n2026-07-06,2100\n2026-07-13,lots\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('Line 3');
    const good = await steward.client.post('/api/statistics/series', {
      series: 'Blocked access attempts (weekly)',
      csv: 'week,value\n2026-07-06,2100\n2026-07-13,2600\n',
    });
    expect(good.json()).toEqual({ points: 2 });

    const trends = (await analyst.client.get(`/api/statistics/trends?${query}`)).json<TrendsView>();
    expect(trends.overlays.events.map((e) => e.name)).toContain('Synthetic sporting tournament (demo)');
    expect(trends.overlays.external).toEqual([
      {
        series: 'Blocked access attempts (weekly)',
        points: [
          { period: '2026-07-06', value: 2100 },
          { period: '2026-07-13', value: 2600 },
        ],
      },
    ]);
  });
});
