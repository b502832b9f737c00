import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { PublishedValue } from '@tiaki/disclosure';
import { REGIONS } from '@tiaki/domain';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import {
  isoWeekOf,
  monthsOfWeek,
  requireWholeWeeks,
  weekStart,
  weeksOfIsoYear,
  WEEKLY_THRESHOLD,
} from './weeks.ts';

/**
 * Weekly trends: a higher threshold than months, the same cell-key rounding, and no way to work
 * out a month (or a region's week) that is hidden. Facts are written straight into the referral
 * fact table (synthetic rows, no identities).
 */

interface WeeklyView {
  exact: boolean;
  threshold: number;
  points: { week: string; start: string; end: string; value: PublishedValue | number }[];
}
interface MonthlyView {
  points: { period: string; value: PublishedValue }[];
}

const AREAS = ['all', ...REGIONS.map((r) => r.code)];
const day = (iso: string, n: number, region: string) =>
  Array.from({ length: n }, () => ({ day: iso, region }));

/** 2026: Auckland (02) most months, Wellington (09) a few children, every other region empty. */
const ROWS = [
  // Auckland: 7 on the 20th of each ordinary month (a published month).
  ...['01', '02', '05', '06', '07', '08', '10', '12'].flatMap((m) => day(`2026-${m}-20`, 7, '02')),
  // March: 7 on the 20th and 11 on its last two days; April only 2 on the 1st (`*`). Week 14
  // (30 March – 5 April) holds 13: above the weekly threshold, but it touches April.
  ...day('2026-03-20', 7, '02'),
  ...day('2026-03-30', 6, '02'),
  ...day('2026-03-31', 5, '02'),
  ...day('2026-04-01', 2, '02'),
  // September: all 12 in week 37 (7–13 September): the week and the month are the same records.
  ...day('2026-09-09', 12, '02'),
  // November: Auckland 12 and Wellington 7 in week 47 (16–22 November); Wellington 7 in February.
  ...day('2026-11-18', 12, '02'),
  ...day('2026-11-19', 7, '09'),
  ...day('2026-02-18', 7, '09'),
];

async function loadFacts(ctx: TestContext, rows: readonly { day: string; region: string }[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await sql`DELETE FROM referral_fact`.execute(trx);
    let i = 0;
    for (const row of rows) {
      const id = `30000000-0000-4000-8000-${String(i++).padStart(12, '0')}`;
      await sql`INSERT INTO referral_fact (referral_id, child_id, organisation_id, received_on, concern_date,
        region, police_district, manifestations, manifestation_subtypes, contexts, urgent, concern_level,
        status, taxonomy_version, lawful_basis, referrer_kind, age_band, gender, ethnicities, iwi,
        citizenship, identified, child_unit)
        VALUES (${id}, ${id}, ${id}, ${row.day}, ${row.day}, ${row.region}, 'AC',
        ARRAY['trafficking']::text[], ARRAY[]::text[], ARRAY[]::text[], false, 'medium', 'submitted', 'v1',
        'consent', 'police', '13_15', 'female', ARRAY['2']::text[], ARRAY[]::text[], null, true, ${id})`.execute(
        trx,
      );
    }
  });
  await sql`SELECT nextval('fact_change_seq')`.execute(ctx.db);
}

const hidden = (v: PublishedValue | number | undefined) => typeof v !== 'number' && (v?.suppressed ?? true);

describe('ISO weeks', () => {
  it('names weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(weekStart('2026-W14')).toBe('2026-03-30');
    expect(weeksOfIsoYear(2020)).toHaveLength(53);
    expect(weeksOfIsoYear(2026)).toHaveLength(53);
    expect(weeksOfIsoYear(2025)).toHaveLength(52);
    expect(monthsOfWeek('2026-W14')).toEqual(['2026-03', '2026-04']);
    expect(monthsOfWeek('2026-W37')).toEqual(['2026-09']);
  });

  it('refuses anything but whole weeks, Monday to Sunday, up to two years', () => {
    expect(() => {
      requireWholeWeeks({ from: '2026-03-30', to: '2026-04-05' });
    }).not.toThrow();
    expect(() => {
      requireWholeWeeks({ from: '2026-03-31', to: '2026-04-05' });
    }).toThrow(/Monday/);
    expect(() => {
      requireWholeWeeks({ from: '2026-03-30', to: '2026-04-04' });
    }).toThrow(/Sunday/);
    expect(() => {
      requireWholeWeeks({ from: '2023-01-02', to: '2026-04-05' });
    }).toThrow(/at most/);
  });
});

describe('weekly trends', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const year = 'from=2025-12-29&to=2027-01-03';

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2027-01-20' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    await ctx.database.owner.exec('ALTER TABLE referral_fact DROP CONSTRAINT referral_fact_referral_id_fkey');
    await loadFacts(ctx, ROWS);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('answers whole weeks only; exact figures are for data stewards', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const notMonday = await analyst.client.get('/api/statistics/trends/weekly?from=2026-03-31&to=2026-04-05');
    expect(notMonday.statusCode).toBe(400);
    expect(notMonday.json()).toMatchObject({ code: 'nonstandard_period' });
    const exact = await analyst.client.get(`/api/statistics/trends/weekly?${year}&exact=true`);
    expect(exact.statusCode).toBe(403);
    const steward = await world.person('steward', ['data_steward']);
    const view = (
      await steward.client.get('/api/statistics/trends/weekly?from=2026-03-31&to=2026-04-02&exact=true')
    ).json<WeeklyView>();
    expect(view.exact).toBe(true);
    expect(view.points).toEqual([{ week: '2026-W14', start: '2026-03-30', end: '2026-04-05', value: 7 }]);
  });

  it('suppresses weeks under the weekly threshold, and rounds a week as its month when they hold the same records', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const steward = await world.person('steward', ['data_steward']);
    const res = await analyst.client.get(`/api/statistics/trends/weekly?${year}&region=02`);
    expect(res.statusCode).toBe(200);
    const weeks = res.json<WeeklyView>();
    expect(weeks.threshold).toBe(WEEKLY_THRESHOLD);
    expect(weeks.points).toHaveLength(53);
    const exact = (
      await steward.client.get(`/api/statistics/trends/weekly?${year}&region=02&exact=true`)
    ).json<WeeklyView>();
    const rawOf = new Map(exact.points.map((p) => [p.week, p.value as number]));
    // The 7 on 20 January are a published month, but a week of 7 is `*`.
    expect(rawOf.get('2026-W04')).toBe(7);
    expect(hidden(weeks.points.find((p) => p.week === '2026-W04')?.value)).toBe(true);
    // Auckland's ISO year holds 100 referrals: its empty weeks are true zeros, the rest 10 or more.
    for (const p of weeks.points) {
      if (hidden(p.value)) continue;
      if (rawOf.get(p.week) === 0) expect(p.value).toEqual({ suppressed: false, value: 0 });
      else expect(rawOf.get(p.week), p.week).toBeGreaterThanOrEqual(WEEKLY_THRESHOLD);
    }
    // September's 12 are all in week 37: one value for the same records, week or month.
    const months = (
      await analyst.client.get('/api/statistics/trends?from=2026-01-01&to=2026-12-31&region=02')
    ).json<MonthlyView>();
    const september = months.points.find((p) => p.period === '2026-09')?.value;
    const week37 = weeks.points.find((p) => p.week === '2026-W37')?.value;
    expect(september).toMatchObject({ suppressed: false });
    expect(week37).toEqual(september);
    // Asked again inside other periods, a week is the same draw: nothing to average.
    for (const q of ['from=2026-09-07&to=2026-09-13', 'from=2026-08-31&to=2026-09-27']) {
      const again = (
        await analyst.client.get(`/api/statistics/trends/weekly?${q}&region=02`)
      ).json<WeeklyView>();
      expect(again.points.find((p) => p.week === '2026-W37')?.value).toEqual(week37);
    }
  });

  it('never lets weeks difference out a hidden month, nor a hidden region-week out of the nation', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const byArea = new Map<string, Map<string, PublishedValue>>();
    const monthly = new Map<string, Map<string, PublishedValue>>();
    for (const area of AREAS) {
      const region = area === 'all' ? '' : `&region=${area}`;
      const weeks = (
        await analyst.client.get(`/api/statistics/trends/weekly?${year}${region}`)
      ).json<WeeklyView>();
      byArea.set(area, new Map(weeks.points.map((p) => [p.week, p.value as PublishedValue])));
      const months = (
        await analyst.client.get(`/api/statistics/trends?from=2025-12-01&to=2027-01-31${region}`)
      ).json<MonthlyView>();
      monthly.set(area, new Map(months.points.map((p) => [p.period, p.value])));
    }
    // April 2026 in Auckland is `*` (2 referrals): week 14 holds 13 but touches April, so it is hidden.
    expect(hidden(monthly.get('02')?.get('2026-04'))).toBe(true);
    expect(byArea.get('02')?.get('2026-W14')).toEqual({ suppressed: true, reason: 'secondary' });
    let published = 0;
    for (const area of AREAS) {
      for (const [week, value] of byArea.get(area) ?? []) {
        if (hidden(value)) continue;
        published++;
        // Every month a published week touches is published for that area.
        for (const m of monthsOfWeek(week))
          expect(hidden(monthly.get(area)?.get(m)), `${area} ${week} touches hidden ${m}`).toBe(false);
      }
    }
    expect(published).toBeGreaterThan(0);
    // Nation = Σ regions for each week: never exactly one figure of the line hidden, so no hidden
    // region-week is the nation minus the other regions.
    for (const week of byArea.get('all')?.keys() ?? []) {
      const line = AREAS.map((a) => hidden(byArea.get(a)?.get(week)));
      expect(line.filter(Boolean).length, `week ${week}`).not.toBe(1);
    }
    // Week 47: Auckland 12, Wellington 7: Wellington's week is `*` whatever its month shows.
    expect(hidden(byArea.get('09')?.get('2026-W47'))).toBe(true);
  });
});
