import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CURRENT_TAXONOMY, type StatisticsReportView } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';

type Value = number | { suppressed: false; value: number } | { suppressed: true; reason: string };
const published = (v: Value) => (typeof v === 'number' ? v : v.suppressed ? null : v.value);

describe.each(DRIVERS)('published statistics on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const period = 'from=2026-07-01&to=2026-07-31';

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    for (let i = 0; i < 14; i++) {
      await world.submitReferral(
        { concern: { date: '2026-07-01', region: i < 11 ? '02' : '09' } },
        {
          givenNames: `Synthetic${i}`,
          familyName: 'Statistic',
          dateOfBirth: `2011-0${(i % 9) + 1}-1${i % 10}`,
          aliases: [],
        },
      );
    }
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('gives analysts rounded counts (multiples of 3) with small counts suppressed, and no names', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get(`/api/statistics?${period}`);
    expect(res.statusCode).toBe(200);
    const report = res.json<StatisticsReportView>();
    expect(report.exact).toBe(false);
    const referrals = published(report.headline.referrals);
    expect(referrals! % 3).toBe(0);
    expect(Math.abs(referrals! - 14)).toBeLessThan(3);
    const byRegion = report.tables.find((t) => t.name === 'referrals_by_region')!.table;
    const auckland = byRegion.body[byRegion.rows.categories.indexOf('02')]![0] as Value;
    const wellington = byRegion.body[byRegion.rows.categories.indexOf('09')]![0] as Value;
    // Wellington's 3 is below 6: suppressed. The table adds to 14 (fewer than 20), so its true
    // zeros are suppressed too: no one learns by elimination which region the 3 children are in,
    // and Auckland's 11 needs no secondary suppression (many unknowns share the rest).
    expect(wellington).toMatchObject({ suppressed: true, reason: 'primary' });
    expect([9, 12]).toContain(published(auckland));
    const otago = byRegion.body[byRegion.rows.categories.indexOf('14')]![0] as Value;
    expect(otago).toMatchObject({ suppressed: true, reason: 'primary' });
    expect([12, 15]).toContain(published(byRegion.total as Value));
    for (const table of report.tables) {
      for (const row of table.table.body) {
        for (const cell of row) {
          const value = published(cell);
          if (value !== null) {
            expect(value % 3).toBe(0);
            expect(value === 0 || value >= 6).toBe(true);
          }
        }
      }
    }
    expect(res.body).not.toMatch(/Synthetic|Statistic|Tāne/);
  }, 600_000);

  it('rounds the same cell the same way in every release', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const first = (await analyst.client.get(`/api/statistics?${period}`)).body;
    const second = (await analyst.client.get(`/api/statistics?${period}`)).body;
    expect(second).toBe(first);
  });

  it('shows exact numbers to a data steward only', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const refused = await analyst.client.get(`/api/statistics?${period}&exact=true`);
    expect(refused.statusCode).toBe(403);
    const steward = await world.person('steward', ['data_steward']);
    const exact = (
      await steward.client.get(`/api/statistics?${period}&exact=true`)
    ).json<StatisticsReportView>();
    expect(exact.exact).toBe(true);
    expect(exact.headline.referrals).toBe(14);
  });

  it('shows every month of the period, an empty month as 0', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const report = (
      await steward.client.get('/api/statistics?from=2026-06-01&to=2026-07-31&exact=true')
    ).json<StatisticsReportView>();
    expect(report.referralsByMonth.rows.categories).toEqual(['2026-06', '2026-07']);
    expect(report.referralsByMonth.body).toEqual([[0], [14]]);
  });

  it('downloads a table as CSV with the suppression marker and a footnote', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get(`/api/statistics/tables/referrals_by_region/csv?${period}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toContain('*');
    expect(res.body).toMatch(/Note:/);
    // Names, not codes: the same words as the publications.
    expect(res.body).toContain('Auckland');
    expect(res.body).not.toMatch(/^02,/m);
    expect((await analyst.client.get(`/api/statistics/tables/no_such_table/csv?${period}`)).statusCode).toBe(
      404,
    );
  });

  it('publishes standard periods only: a custom range is refused with the periods allowed, exact views excepted', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    for (const query of [
      'from=2026-07-01&to=2026-07-02', // two days
      'from=2026-06-15&to=2026-07-14', // a month, but not a calendar month
      'from=2026-06-01&to=2026-07-31', // two months
      'from=2025-07-01&to=2026-06-30', // a financial year
    ]) {
      const res = await analyst.client.get(`/api/statistics?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json()).toMatchObject({ code: 'nonstandard_period' });
      expect(res.json().message).toMatch(/one calendar month .* one quarter .* one calendar year/);
      const csv = await analyst.client.get(`/api/statistics/tables/referrals_by_region/csv?${query}`);
      expect(csv.statusCode).toBe(400);
    }
    for (const query of [
      'from=2026-07-01&to=2026-07-31',
      'from=2026-07-01&to=2026-09-30',
      'from=2026-01-01&to=2026-12-31',
    ]) {
      expect((await analyst.client.get(`/api/statistics?${query}`)).statusCode, query).toBe(200);
    }
    // Trends: whole months only (each month is its own cell).
    expect(
      (await analyst.client.get('/api/statistics/trends?from=2026-06-01&to=2026-07-31')).statusCode,
    ).toBe(200);
    const days = await analyst.client.get('/api/statistics/trends?from=2026-06-10&to=2026-07-31');
    expect(days.statusCode).toBe(400);
    expect(days.json()).toMatchObject({ code: 'nonstandard_period' });
    // A data steward's exact view takes any dates: it is never published.
    const steward = await world.person('steward', ['data_steward']);
    const exact = await steward.client.get('/api/statistics?from=2026-07-02&to=2026-07-05&exact=true');
    expect(exact.statusCode).toBe(200);
    expect(exact.json<StatisticsReportView>().headline.referrals).toBe(14);
    expect((await steward.client.get('/api/statistics?from=2026-07-02&to=2026-07-05')).statusCode).toBe(400);
  });

  it('refuses bad periods clearly, and refuses statistics to people without the permission', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const backwards = await analyst.client.get('/api/statistics?from=2026-07-31&to=2026-07-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().fields[0].path).toBe('to');
    const frontline = await world.frontline();
    expect((await frontline.client.get(`/api/statistics?${period}`)).statusCode).toBe(403);
  });

  // Last: it adds a referral to the period the tests above count.
  it('keeps a computed report only until the facts change: a new referral or a changed one shows at once', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const exactReport = async () =>
      (await steward.client.get(`/api/statistics?${period}&exact=true`)).json<StatisticsReportView>();
    const wellington = (report: StatisticsReportView) => {
      const table = report.tables.find((t) => t.name === 'referrals_by_region')!.table;
      return table.body[table.rows.categories.indexOf('09')]![0];
    };
    const before = await exactReport();
    expect(before.headline.referrals).toBe(14);
    expect(wellington(before)).toBe(3);
    const referral = await world.submitReferral({ concern: { date: '2026-07-02', region: '09' } });
    const added = await exactReport();
    expect(added.headline.referrals).toBe(15);
    expect(wellington(added)).toBe(4);
    // The exact report is kept apart from the published one: analysts still get rounded counts.
    const analyst = await world.person('analyst', ['analyst']);
    const rounded = (await analyst.client.get(`/api/statistics?${period}`)).json<StatisticsReportView>();
    expect(published(rounded.headline.referrals)! % 3).toBe(0);
    // A correction to a fact, not only a new row, shows too.
    await ctx.db.updateTable('referral').set({ region: '02' }).where('id', '=', referral.id).execute();
    const corrected = await exactReport();
    expect(corrected.headline.referrals).toBe(15);
    expect(wellington(corrected)).toBe(3);
    // Facts that live on the child and the organisation are followed too.
    const row = await ctx.db
      .selectFrom('referral')
      .select(['child_id', 'organisation_id'])
      .where('id', '=', referral.id)
      .executeTakeFirstOrThrow();
    const referrers = (report: StatisticsReportView) => {
      const table = report.tables.find((t) => t.name === 'referrals_by_referrer')!.table;
      return table.body[table.rows.categories.indexOf('customs')]![0];
    };
    expect(referrers(corrected)).toBe(0);
    await ctx.db
      .updateTable('organisation')
      .set({ kind: 'customs' })
      .where('id', '=', row.organisation_id)
      .execute();
    const moved = await exactReport();
    expect(referrers(moved)).toBeGreaterThan(0);
    const ageAndGender = (report: StatisticsReportView) =>
      report.tables.find((t) => t.name === 'children_by_age_and_gender')!.table.body;
    const child = await ctx.db
      .selectFrom('child')
      .select('age_band')
      .where('id', '=', row.child_id)
      .executeTakeFirstOrThrow();
    const otherBand = CURRENT_TAXONOMY.ageBands.find((b) => b.code !== child.age_band)!.code;
    await ctx.db.updateTable('child').set({ age_band: otherBand }).where('id', '=', row.child_id).execute();
    expect(ageAndGender(await exactReport())).not.toEqual(ageAndGender(moved));
  });
});
