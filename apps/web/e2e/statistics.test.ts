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
 * Statistics in the browser: 15 referrals received on Friday 3 July 2026 across three regions,
 * so that the smaller regions' counts are suppressed. An analyst sees published (rounded and
 * suppressed) numbers and downloads a CSV; a data steward may switch to exact numbers.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('statistics in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let analyst: TestUser;
  let steward: TestUser;
  const july = '/statistics?from=2026-07-01&to=2026-07-31';

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    // Auckland 10, Wellington 3, Canterbury 2: the last two are under 6, so suppressed.
    const regions = [...Array<string>(10).fill('02'), ...Array<string>(3).fill('09'), '13', '13'];
    for (const [i, region] of regions.entries()) {
      await world.submitReferral(
        { concern: { date: '2026-07-01', region } },
        {
          givenNames: `Child${String.fromCharCode(65 + i)}`,
          familyName: `Statstest${String.fromCharCode(90 - i)}`,
          aliases: [],
          dateOfBirth: `20${10 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`,
        },
      );
    }
    analyst = await createUser(ctx, ['analyst']);
    steward = await createUser(ctx, ['data_steward']);
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const headlineValues = async (page: Page) =>
    (await page.locator('.headline-value').allInnerTexts()).map((text) => text.trim());

  it('shows an analyst published numbers, charts, the table view and a CSV, without exact numbers', async () => {
    const page = await harness.newPage();
    // An analyst sees no child's details, so signs in without MFA.
    await harness.signInWithoutMfa(page, analyst);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Statistics' }).waitFor();
    for (const name of ['Cases', 'Triage', 'Decisions', 'Record a concern']) {
      expect(await nav.getByRole('link', { name }).count()).toBe(0);
    }
    expect(await page.getByText('Coming soon').count()).toBe(0);
    await page.locator('.cards').getByRole('link', { name: 'Statistics' }).waitFor();

    await page.goto(`${harness.server.url}${july}`);
    await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();
    await page.getByText(/Numbers are randomly rounded to a multiple of 3/).waitFor();
    const [referrals, children, onTime] = await headlineValues(page);
    expect(Number(referrals)).toBeGreaterThan(0);
    expect(Number(referrals) % 3).toBe(0);
    expect(Number(children) % 3).toBe(0);
    expect(onTime).toBe('No decisions');

    const chart = page.locator('canvas[role="img"]').first();
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toMatch(/^Chart: Referrals and children by month\./);
    const monthly = page.getByRole('region', { name: 'Referrals and children by month', exact: true });
    await monthly.getByText('Show the numbers as a table').click();
    const julyRow = monthly.getByRole('row', { name: /^Jul 2026/ });
    const [julyReferrals, julyChildren] = (await julyRow.locator('td').allInnerTexts()).map((x) => x.trim());
    expect(Number(julyReferrals) % 3).toBe(0);
    expect(Number(julyChildren) % 3).toBe(0);
    await monthly.getByRole('columnheader', { name: 'Children referred' }).waitFor();
    expect(await page.locator('canvas[role="img"]').count()).toBeGreaterThanOrEqual(8);

    const section = page.getByRole('region', { name: 'Referrals by region', exact: true });
    await section.getByText('Show the numbers as a table').click();
    const table = section.getByRole('table', { name: 'Referrals by region' });
    const canterbury = table.getByRole('row', { name: /^Canterbury/ });
    expect((await canterbury.locator('td').innerText()).trim()).toMatch(/^\*/);
    await canterbury.getByText('suppressed: fewer than 6').waitFor({ state: 'attached' });
    await section.getByText(/a gap is not a zero/).waitFor();

    // The download: the server's CSV of the published table.
    const link = section.getByRole('link', { name: /Download CSV/ });
    const href = await link.getAttribute('href');
    expect(href).toBe('/api/statistics/tables/referrals_by_region/csv?from=2026-07-01&to=2026-07-31');
    const download = page.waitForEvent('download');
    await link.click();
    expect((await download).suggestedFilename()).toBe('referrals_by_region_2026-07-01_2026-07-31.csv');
    const response = await page.request.get(`${harness.server.url}${href ?? ''}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await response.text()).toMatch(/^region,referrals_by_region/);

    expect(await page.getByLabel('Exact numbers').count()).toBe(0);
    expect(await page.getByText('Exact — do not publish').count()).toBe(0);
    await harness.expectAccessible(page);

    // Asking for exact numbers in the address does not give them to an analyst.
    await page.goto(`${harness.server.url}${july}&exact=true`);
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();
    expect(await page.getByText('Exact — do not publish').count()).toBe(0);
    // The session check before signing in answers 401; a CSP violation or script error would show here.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lets a data steward switch to exact numbers, under a do-not-publish banner', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, steward);
    await page.goto(`${harness.server.url}${july}`);
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();
    const toggle = page.getByLabel('Exact numbers');
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByText('Exact — do not publish').count()).toBe(0);

    // The box follows the address (exact=true), which changes after the click: on a busy machine
    // check() would see the old state, so click and wait for what the steward sees instead.
    await toggle.click();
    await page.getByText('Exact — do not publish').waitFor();
    await page.waitForURL(/exact=true/);
    expect(await toggle.isChecked()).toBe(true);
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();
    const [referrals, children] = await headlineValues(page);
    expect(referrals).toBe('15');
    expect(children).toBe('15');

    const section = page.getByRole('region', { name: 'Referrals by region', exact: true });
    await section.getByText('Show the numbers as a table').click();
    const canterbury = section.getByRole('table').getByRole('row', { name: /^Canterbury/ });
    expect((await canterbury.locator('td').innerText()).trim()).toBe('2');
    await harness.expectAccessible(page);
    // The session check before signing in answers 401; a CSP violation or script error would show here.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows a data steward the data quality of each organisation, from the home page', async () => {
    const page = await harness.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    // A steward of their own: the other has enrolled in multi-factor sign-in already.
    await harness.signInWithMfaEnrolment(page, await createUser(ctx, ['data_steward']));
    await page.goto(`${harness.server.url}/`);
    expect(await page.getByText('Coming soon').count()).toBe(0);
    await page.locator('.cards').getByRole('link', { name: 'Data quality' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data quality' }).waitFor();
    // The referrals were received in July 2026 (the server's today).
    await page.goto(`${harness.server.url}/statistics/data-quality?period=2026-07`);
    await page.getByText(/exact figures, for data stewards only/).waitFor();
    const completeness = page.getByRole('table', { name: /What was recorded, July 2026/ });
    const police = completeness.getByRole('row').nth(1);
    const cells = await police.locator('td').allInnerTexts();
    // 15 referrals, every one with a region and a date of birth, none with only an estimated age.
    expect(cells.slice(0, 2)).toEqual(['15', '15 (100%)']);
    expect(cells.at(-1)).toBe('0 (0%)');
    expect(await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('download')).toBe(
      'data-quality_2026-07.csv',
    );
    // Fits a 1366-pixel screen without scrolling sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await harness.expectAccessible(page);
    // On a phone, the tables scroll within their own frame, not the page.
    await page.setViewportSize({ width: 390, height: 844 });
    const phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(phoneOverflow).toBeLessThanOrEqual(0);
    await harness.expectAccessible(page);
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('does not offer data quality to an analyst', async () => {
    const page = await harness.newPage();
    await harness.signInWithoutMfa(page, analyst);
    await page.goto(`${harness.server.url}/statistics/data-quality?period=2026-07`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Data quality' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
