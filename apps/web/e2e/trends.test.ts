import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { CaseWorld } from '../../server/test/cases.ts';
import {
  buildTestApp,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';

/**
 * Trends in the browser. Referrals are received on the day they are submitted (ctx.today), so
 * the server's clock is moved back for each batch: six each July in 2024 and 2025 (a usual level
 * of 6), twenty in July 2026 (unusually high, during the school holidays and Matariki) and two
 * in June 2026 (suppressed). An analyst reads the screen; a data steward adds an event and a series.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('trends in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let analyst: TestUser;
  let steward: TestUser;
  const trends = '/statistics/trends?from=2024-08-01&to=2026-07-31';
  const series = 'Blocked access attempts (weekly, demo)';

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-08-03' });
    await harness.start(ctx);
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    const today = ctx.today;
    let n = 0;
    for (const [day, count] of [
      ['2024-07-08', 6],
      ['2025-07-08', 6],
      ['2026-07-08', 20],
      ['2026-06-10', 2],
    ] as const) {
      ctx.today = () => day;
      for (let i = 0; i < count; i++, n++) {
        await world.submitReferral(
          { concern: { date: day, region: '02' } },
          {
            givenNames: `Trendchild${String.fromCharCode(65 + (n % 26))}`,
            familyName: `Demo${String.fromCharCode(90 - (n % 26))}${n}`,
            aliases: [],
            dateOfBirth: `20${10 + (n % 5)}-0${1 + (n % 9)}-1${n % 10}`,
          },
        );
      }
    }
    ctx.today = today;
    analyst = await createUser(ctx, ['analyst']);
    steward = await createUser(ctx, ['data_steward']);
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const openTable = async (page: Page) => {
    const section = page.getByRole('region', { name: 'Referrals by month', exact: true });
    // The table view opens and closes on the same control: open it only when it is closed.
    if ((await section.locator('details').getAttribute('open')) === null)
      await section.getByText('Show the numbers as a table').click();
    return section.getByRole('table', { name: 'Referrals by month, with holidays, events and other series' });
  };
  const cells = async (page: Page, month: string) =>
    (
      await (
        await openTable(page)
      )
        .getByRole('row', { name: new RegExp(`^${month}`) })
        .locator('td')
        .allInnerTexts()
    ).map((text) => text.trim());

  it('shows an analyst the unusual month, what was happening then, the chart and the table, but no steward forms', async () => {
    const page = await harness.newPage();
    // An analyst sees no child's details, so signs in without MFA.
    await harness.signInWithoutMfa(page, analyst);

    await page.goto(`${harness.server.url}${trends}`);
    await page.getByRole('heading', { level: 1, name: 'Referral trends' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await page
      .getByRole('link', { name: 'Trends', exact: true })
      .and(page.locator('[aria-current="page"]'))
      .waitFor();

    // The summary names the month and what was happening then.
    const summary = page.getByRole('region', { name: 'What stands out' });
    await summary.getByText('Referrals were unusually high in 1 month:').waitFor();
    const july = (await summary.getByRole('listitem').innerText()).trim();
    expect(july).toMatch(/^July 2026: (18|21) referrals, against a usual level of 6\./);
    expect(july).toContain('School holidays: 4 July to 19 July.');
    expect(july).toContain('Public holidays: Matariki (10 July).');

    const chart = page
      .getByRole('region', { name: 'Referrals by month', exact: true })
      .locator('canvas[role="img"]');
    await chart.waitFor();
    const alternative = (await chart.getAttribute('aria-label')) ?? '';
    expect(alternative).toMatch(/^Chart: Referrals by month\./);
    expect(alternative).toContain('Unusually high: Jul 2026.');
    expect(alternative).toContain('Months with school holidays: ');

    // The table: the unusual month, and suppressed months as "*", never 0.
    expect(await cells(page, 'Jul 2026')).toEqual([
      expect.stringMatching(/^(18|21)$/),
      '6',
      'Yes',
      '4 July to 19 July',
      'Matariki (10 July)',
      '',
    ]);
    const june = await cells(page, 'Jun 2026');
    expect(june[0]).toMatch(/^\*/);
    expect(june[2]).toBe('No');
    expect((await cells(page, 'Jul 2025'))[0]).toBe('6');
    await page
      .getByRole('region', { name: 'Referrals by month', exact: true })
      .getByText(/a gap is not a zero/)
      .waitFor();

    const holidays = page.getByRole('list', { name: 'School holidays' });
    await holidays.getByText('4 July 2026 to 19 July 2026').waitFor();
    await page.getByText('No events have been named for this period.').waitFor();
    await page.getByText('No series from other sources have been imported for this period.').waitFor();

    expect(await page.getByRole('heading', { name: 'Add to the trends' }).count()).toBe(0);
    expect(await page.getByLabel('Name of the event').count()).toBe(0);
    expect(await page.getByLabel('Exact numbers').count()).toBe(0);
    await harness.expectAccessible(page);
    // The session check before signing in answers 401; a CSP violation or script error would show here.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lets a data steward name an event and import a series; a bad file is explained and changes nothing', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, steward);
    await page.goto(`${harness.server.url}${trends}`);
    await page.getByRole('heading', { name: 'What stands out' }).waitFor();
    const tools = page.getByRole('region', { name: 'Add to the trends' });

    // An event.
    await tools.getByLabel('Name of the event').fill('Synthetic sporting tournament (demo)');
    await tools.getByLabel('First day').fill('2026-07-04');
    await tools.getByLabel('Last day').fill('2026-07-19');
    await tools.getByRole('button', { name: 'Save event' }).click();
    await tools.getByText('Event saved: Synthetic sporting tournament (demo).').waitFor();
    const named = 'Synthetic sporting tournament (demo) (4 July 2026 to 19 July 2026)';
    await page.getByRole('list', { name: 'Named events' }).getByText(named).waitFor();
    await page
      .getByRole('region', { name: 'What stands out' })
      .getByText(`Events: ${named}.`, { exact: false })
      .waitFor();

    // A file with a line that is not a number: the line is named and nothing is stored.
    await tools.getByLabel('Name of the series').fill(series);
    await tools.getByLabel('Dates and values').fill('week,value\n2026-07-06,2100\n2026-07-13,lots\n');
    await tools.getByRole('button', { name: 'Import series' }).click();
    await tools
      .getByRole('alert')
      .getByText('The series was not imported, and nothing was changed.')
      .waitFor();
    await tools.getByText(/Line 3 is not "YYYY-MM-DD,number": 2026-07-13,lots/).waitFor();
    await page.reload();
    await page.getByText('No series from other sources have been imported for this period.').waitFor();

    // The same series from a chosen file: copied into the box, imported, and drawn beside referrals.
    await tools.getByLabel('Name of the series').fill(series);
    await tools.getByLabel('Or choose a CSV file').setInputFiles({
      name: 'blocked.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('week,value\n2026-07-06,2100\n2026-07-13,2600\n'),
    });
    await expect.poll(() => tools.getByLabel('Dates and values').inputValue()).toContain('2026-07-13,2600');
    await tools.getByRole('button', { name: 'Import series' }).click();
    await tools.getByText(`Imported 2 values into “${series}”. It is shown on the chart.`).waitFor();
    const compare = page.getByLabel('Compare with a series from another source');
    expect(await compare.inputValue()).toBe(series);
    expect(
      await page
        .getByRole('region', { name: 'Referrals by month', exact: true })
        .locator('canvas[role="img"]')
        .getAttribute('aria-label'),
    ).toContain(`Compared with “${series}” on the right-hand scale.`);
    const table = await openTable(page);
    await table.getByRole('columnheader', { name: series }).waitFor();
    const july = await cells(page, 'Jul 2026');
    expect(july.slice(4)).toEqual(['Matariki (10 July)', named, '4,700']);
    await harness.expectAccessible(page);

    // Exact numbers, under the same warning as the dashboard.
    await page.getByLabel('Exact numbers').click(); // The box follows the address, which changes a moment later.
    await page.getByText('Exact — do not publish').waitFor();
    await page.waitForURL(/exact=true/);
    await page.getByRole('heading', { name: 'What stands out' }).waitFor();
    expect((await cells(page, 'Jul 2026'))[0]).toBe('20');
    expect((await cells(page, 'Jun 2026'))[0]).toBe('2');
    // Besides the session check before signing in (401), the browser logs the bad file's 400.
    expect(harness.consoleErrors.filter((e) => !e.includes('401') && !e.includes('status of 400'))).toEqual(
      [],
    );
    await page.context().close();
  }, 120_000);
  it('shows referrals by week, with its own threshold, on a laptop and a phone', async () => {
    for (const [width, height] of [
      [1366, 768],
      [390, 844],
    ] as const) {
      const page = await harness.newPage(width, height);
      const errorsBefore = harness.consoleErrors.length;
      await harness.signInWithoutMfa(page, analyst);
      await page.goto(`${harness.server.url}${trends}`);
      const section = page.getByRole('region', { name: 'Referrals by week', exact: true });
      await section.getByRole('heading', { name: 'Referrals by week' }).waitFor();
      await section.getByText(/fewer than 10 referrals is suppressed/).waitFor();
      await section.locator('canvas[role="img"]').waitFor();
      await section.getByText('Show the numbers as a table').click();
      const table = section.getByRole('table', { name: 'Referrals by week' });
      // Week 28 (6–12 July 2026) holds July's twenty referrals: the same records, the same figure.
      const week28 = (
        await table
          .getByRole('row', { name: /^2026-W28/ })
          .locator('td')
          .allInnerTexts()
      ).map((t) => t.trim());
      expect(week28[1]).toMatch(/^(18|21)$/);
      const july = await cells(page, 'Jul 2026');
      expect(week28[1]).toBe(july[0]);
      // A week of two (June) is suppressed, never 0.
      const june =
        (
          await table
            .getByRole('row', { name: /^2026-W24/ })
            .locator('td')
            .allInnerTexts()
        )[1] ?? '';
      expect(june.trim()).toMatch(/^\*/);
      // Nothing wider than the screen.
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        ),
      ).toBe(true);
      await page.screenshot({ path: `/tmp/stats15-weekly-${width}.png`, fullPage: false });
      await harness.expectAccessible(page);
      expect(harness.consoleErrors.slice(errorsBefore).filter((e) => !e.includes('401'))).toEqual([]);
      await page.context().close();
    }
  }, 180_000);
});
