import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { BrowserHarness, hasChromium, hasWebBuild, screenshotTo } from '../../server/test/browser.ts';
import { CaseWorld } from '../../server/test/cases.ts';
import {
  buildTestApp,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';

/**
 * Iwi-level statistics in the browser (Māori data sovereignty): the Māori data governance group
 * finds its screen from the home page, approves an analyst for a purpose until a date, and the
 * analyst then sees the iwi tables (rounded and suppressed); the group withdraws the approval and
 * the analyst is refused plainly, the link gone. Checked at 1366 px and at phone width.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('iwi statistics in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let group: TestUser;
  let analyst: TestUser;
  const ANALYST = 'Aroha Analyst';
  const quarter = 'from=2026-10-01&to=2026-12-31';
  const shots = process.env.E2E_SCREENSHOTS;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-10-05' });
    await harness.start(ctx);
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    // Eighteen children of Ngāpuhi (0104), three of Ngāti Pikiao (0401): the second is under 6, so
    // `*`; the table adds to 21 (at least 20), so the other iwi's zeros are published as zeros.
    const iwi = [...Array<string>(18).fill('0104'), '0401', '0401', '0401'];
    for (const [i, code] of iwi.entries()) {
      await world.submitReferral(
        { concern: { date: '2026-10-01', region: '01' } },
        {
          givenNames: `Tamaiti${String.fromCharCode(65 + (i % 26))}`,
          familyName: `Iwitest${String.fromCharCode(90 - (i % 26))}${i}`,
          aliases: [],
          dateOfBirth: `20${10 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`,
          ethnicities: ['21'],
          iwi: [code],
        },
      );
    }
    group = await createUser(ctx, ['maori_data_governance']);
    analyst = await createUser(ctx, ['analyst']);
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: ANALYST })
      .where('id', '=', analyst.id)
      .execute();
    if (shots) mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const screenshot = (page: Page, name: string) => screenshotTo(shots, page, name);

  const iwiRow = (page: Page, table: string, name: string) =>
    page
      .getByRole('table', { name: new RegExp(`^${table}`) })
      .locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });

  it('lets the group approve an analyst, who sees the iwi tables until the group withdraws it', async () => {
    // The group signs in (MFA: it decides who sees iwi data) and finds its screen from the home page.
    const rōpū = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(rōpū, group);
    await rōpū.locator('.cards').getByRole('link', { name: 'Iwi statistics' }).click();
    await rōpū.getByRole('heading', { level: 1, name: 'Iwi statistics' }).waitFor();
    await rōpū.getByText('No one has been approved yet.').waitFor();

    // Approve: a person, a purpose, a date at most a year ahead. A date too far is refused.
    const person = rōpū.getByLabel('Person', { exact: true });
    const option = person.locator('option', { hasText: ANALYST });
    await person.selectOption((await option.getAttribute('value')) ?? '');
    await rōpū.getByLabel('Purpose', { exact: true }).fill('Equity report for the iwi of Te Tai Tokerau');
    await rōpū.getByLabel('Approved until', { exact: true }).fill('2028-01-31');
    await rōpū.getByRole('button', { name: 'Approve this person' }).click();
    await rōpū
      .getByText(/Between today and 366 days from now/)
      .first()
      .waitFor();
    await rōpū.getByLabel('Approved until', { exact: true }).fill('2027-06-30');
    await rōpū.getByRole('button', { name: 'Approve this person' }).click();
    await rōpū.getByText(`${ANALYST} is approved to see iwi-level statistics.`).waitFor();
    const approvals = rōpū.getByRole('table', { name: 'Who may see iwi-level statistics' });
    const row = approvals.getByRole('row', { name: new RegExp(ANALYST) });
    await row.getByText('In force').waitFor();
    await row.getByText('0 views').waitFor();
    await row.getByText('Equity report for the iwi of Te Tai Tokerau').waitFor();
    await row.getByText('30 June 2027').waitFor();

    // The group sees the tables too, for the quarter in the address.
    await rōpū.goto(`${harness.server.url}/statistics/iwi?${quarter}`);
    await iwiRow(rōpū, 'Referrals and children by iwi', 'Ngāpuhi').waitFor();
    // The group decides what is released about iwi: the quarter's bulletin carries the annex once approved.
    await rōpū
      .getByText(/^Not released: the bulletin for October to December 2026 carries no iwi figures/)
      .waitFor();
    await rōpū.getByRole('button', { name: 'Approve the iwi annex for October to December 2026' }).click();
    await rōpū.getByText('The bulletin for October to December 2026 now carries the iwi annex.').waitFor();
    await rōpū
      .getByText(/^Released: the bulletin for October to December 2026 carries these tables/)
      .waitFor();
    await screenshot(rōpū, 'iwi-group-1366');
    await harness.expectAccessible(rōpū);

    // The analyst: the link is in the statistics screens now, and the tables show published values.
    const page = await harness.newPage(1366, 900);
    await harness.signInWithoutMfa(page, analyst, ANALYST);
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Iwi statistics' })
        .count(),
    ).toBe(0);
    await page.goto(`${harness.server.url}/statistics?${quarter}`);
    await page
      .getByRole('navigation', { name: 'Statistics screens' })
      .getByRole('link', { name: 'Iwi statistics' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Iwi statistics' }).waitFor();
    await page.getByText(/has approved you to see iwi-level statistics until 30 June 2027/).waitFor();
    // The analyst does not govern: no approvals list, no form.
    expect(await page.getByRole('heading', { name: 'Approvals' }).count()).toBe(0);
    await page.getByLabel('Period', { exact: true }).selectOption('2026-10-01|2026-12-31');
    await page.waitForURL(/from=2026-10-01&to=2026-12-31/);
    // The quarter's 21 children with an iwi (a multiple of 3 stays as it is), once it has loaded.
    await page.locator('.headline-value', { hasText: /^21$/ }).waitFor();
    const ngapuhi = iwiRow(page, 'Referrals and children by iwi', 'Ngāpuhi');
    // Referrals and children: 18 each (a multiple of 3 stays as it is).
    expect((await ngapuhi.locator('td').allInnerTexts()).map((x) => x.trim())).toEqual(['18', '18']);
    const pikiao = iwiRow(page, 'Referrals and children by iwi', 'Ngāti Pikiao (Te Arawa)');
    for (const cell of await pikiao.locator('td').allInnerTexts()) expect(cell.trim()).toMatch(/^\*/);
    // The many iwi with none are summed up in a sentence, not listed.
    await page.getByText(/other iwi had no referrals in this period/).waitFor();
    // The analyst's bulletin for the quarter carries the approved annex; no release controls for them.
    expect(await page.getByRole('button', { name: /iwi annex/ }).count()).toBe(0);
    const bulletin = await page.request.get(
      `${harness.server.url}/api/statistics/publications/bulletin?quarter=2026Q4`,
    );
    const sections = ((await bulletin.json()) as { sections: { id: string }[] }).sections.map((x) => x.id);
    expect(sections).toContain('iwi');
    await screenshot(page, 'iwi-analyst-1366');
    await harness.expectAccessible(page);

    // Phone width: the same screen for the analyst, nothing wider than the screen but the tables' own scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${harness.server.url}/statistics/iwi?${quarter}`);
    await iwiRow(page, 'Referrals and children by iwi', 'Ngāpuhi').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'iwi-analyst-390');
    await page.setViewportSize({ width: 1366, height: 900 });

    // The group sees the approval used, and withdraws it (after confirming).
    await rōpū.reload();
    await row.getByText(/^[1-9]\d* views?$/).waitFor();
    await row.getByRole('button', { name: 'Withdraw' }).click();
    await rōpū.getByText(`Withdraw ${ANALYST}'s approval to see iwi-level statistics?`).waitFor();
    await rōpū.getByRole('button', { name: 'Confirm' }).click();
    await rōpū.getByText(`${ANALYST}'s approval is withdrawn.`).waitFor();
    await row.getByText(/^Withdrawn /).waitFor();
    expect(await row.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);

    await rōpū.setViewportSize({ width: 390, height: 844 });
    await approvals.waitFor();
    expect(await rōpū.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(rōpū, 'iwi-group-390');

    // The analyst is refused plainly, with no figure, and the link is gone.
    await page.reload();
    await page
      .getByText(/You cannot see iwi-level statistics\. Only the Māori data governance group/)
      .waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByText('Ngāpuhi').count()).toBe(0);
    expect(
      await page
        .getByRole('navigation', { name: 'Statistics screens' })
        .getByRole('link', { name: 'Iwi statistics' })
        .count(),
    ).toBe(0);
    await screenshot(page, 'iwi-refused-1366');
    await harness.expectAccessible(page);
    // 400: the date too far ahead, refused on purpose above; 403: the refusal itself.
    expect(harness.consoleErrors.filter((e) => !/\b(400|401|403)\b/.test(e))).toEqual([]);
    await page.context().close();
    await rōpū.context().close();
  }, 300_000);
});
