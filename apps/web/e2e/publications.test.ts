import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { seedDemoData } from '../../server/src/demo/seed.ts';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { createTestContext, createUser, type TestContext, type TestUser } from '../../server/test/harness.ts';

/**
 * Publications in the browser, on two years of the synthetic demo history: an analyst reads the
 * quarterly bulletin, downloads a table as CSV and the PDF, then asks for the OPSC / CRC pack.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('publications in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let analyst: TestUser;
  let steward: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true', TIAKI_TODAY: '2026-11-24' });
    await seedDemoData(ctx, { historyReferrals: 200 });
    await harness.start(ctx);
    analyst = await createUser(ctx, ['analyst']);
    steward = await createUser(ctx, ['data_steward']);
  }, 360_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('shows the quarterly bulletin with its tables, and downloads a CSV table and the PDF', async () => {
    const page = await harness.newPage();
    // An analyst sees no child's details, so signs in without MFA.
    await harness.signInWithoutMfa(page, analyst);

    await page.goto(`${harness.server.url}/statistics`);
    await page
      .getByRole('navigation', { name: 'Statistics screens' })
      .getByRole('link', { name: 'Publications' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Publications' }).waitFor();
    await page.getByRole('combobox', { name: 'Quarter' }).selectOption('2026Q3');
    await page.getByRole('button', { name: 'Show publication' }).click();
    await page.getByRole('heading', { name: 'Tiaki quarterly statistics: July to September 2026' }).waitFor();
    expect(page.url()).toContain('kind=bulletin&quarter=2026Q3');
    await page.getByText('Demonstration only').waitFor();

    // The key fact is Table 1's cell for the quarter (its last row), number or marker alike: a
    // rounded number (a multiple of 3), or the table's `*` / `S` with what it means, never NaN.
    const facts = page.locator('.headline-item');
    const referrals = (await facts.first().locator('.headline-value').innerText()).trim();
    const table1 = page.getByRole('table', { name: /^Table 1\. Referrals received, by quarter/ });
    const quarterCell = (await table1.locator('tbody tr').last().locator('td').first().innerText()).trim();
    const shown = referrals.split(/\s/)[0] ?? '';
    expect(shown).toBe(quarterCell.split(/\s/)[0]);
    if (shown === '*' || shown === 'S') expect(referrals).toMatch(/\(suppressed/);
    else {
      expect(shown).toMatch(/^\d[\d,]*$/);
      expect(Number(shown.replace(/,/g, '')) % 3).toBe(0);
      expect(Number(shown.replace(/,/g, ''))).toBeGreaterThan(0);
    }
    for (const heading of ['Referrals', 'Children referred', 'Identification decisions', 'Methodology']) {
      await page.getByRole('heading', { level: 3, name: heading, exact: true }).waitFor();
    }
    const regions = page.getByRole('table', { name: 'Table 4. Referrals by region' });
    await regions.getByRole('rowheader', { name: 'Auckland' }).waitFor();
    for (const cell of await regions.locator('tbody td').allInnerTexts()) {
      const text = cell.trim();
      if (/^\d+$/.test(text)) expect(Number(text) % 3).toBe(0);
    }

    const csvLink = page
      .getByRole('link', { name: /CSV of this table/ })
      .filter({ hasText: /: Referrals by region$/ });
    const csvDownload = page.waitForEvent('download');
    await csvLink.click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe('04_referrals_by_region.csv');
    const csvText = await readFile(await csv.path(), 'utf8');
    expect(csvText.split('\r\n').slice(0, 2)).toEqual(['Referrals by region', 'region,Number']);
    expect(csvText).toMatch(/^Auckland,(\d+|\*|S)\r$/m);

    const pdfHref = await page.getByRole('link', { name: 'PDF' }).getAttribute('href');
    expect(pdfHref).toBe('/api/statistics/publications/bulletin/download?quarter=2026Q3&format=pdf');
    const pdf = await page.request.get(`${harness.server.url}${pdfHref ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The HTCDS export is for data stewards only.
    expect(await page.getByRole('heading', { name: /HTCDS/ }).count()).toBe(0);
    await harness.expectAccessible(page);
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('lets a data steward download the de-identified HTCDS export', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, steward);
    await page.goto(`${harness.server.url}/statistics/publications`);
    const section = page.getByRole('region', { name: 'Export to the international data standard (HTCDS)' });
    await section.getByText(/Names and dates of birth are never included here/).waitFor();
    await section.getByRole('textbox', { name: 'Children referred from (optional)' }).fill('2026-01-01');
    await section.getByRole('textbox', { name: 'Children referred to (optional)' }).fill('2025-01-01');
    await section.getByText('The end of the period must not be before its start.').waitFor();
    expect(await section.getByRole('link', { name: 'Download HTCDS CSV' }).count()).toBe(0);
    await section.getByRole('textbox', { name: 'Children referred to (optional)' }).fill('2026-06-30');
    const download = page.waitForEvent('download');
    await section.getByRole('link', { name: 'Download HTCDS CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('htcds-2026-01-01-2026-06-30.csv');
    const text = await readFile(await file.path(), 'utf8');
    const [header, ...rows] = text.trim().split('\r\n');
    expect(header).toMatch(/^nzl_CaseKey,/);
    expect(header).not.toMatch(/prs_FirstName|prs_Birthdate/);
    expect(rows.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/\(demo \d+\)/);
    await harness.expectAccessible(page);
    await page.context().close();
  }, 180_000);

  it('checks the reporting period of the OPSC / CRC pack, then shows outcomes and services received', async () => {
    const page = await harness.newPage();
    // An analyst sees no child's details, so signs in without MFA.
    await harness.signInWithoutMfa(page, analyst);

    await page.goto(`${harness.server.url}/statistics/publications`);
    await page.getByRole('radio', { name: /OPSC \/ CRC reporting pack/ }).check();
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2025-12-31');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2025-01-01');
    await page.getByRole('button', { name: 'Show publication' }).click();
    await page.getByText('The end of the period must not be before its start.').waitFor();
    expect(page.url()).not.toContain('kind=opsc');

    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2025-01-01');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2025-12-31');
    await page.getByRole('button', { name: 'Show publication' }).click();
    await page
      .getByRole('heading', {
        name: 'Tiaki reporting pack for the UN Committee on the Rights of the Child (OPSC): 1 January 2025 to 31 December 2025',
      })
      .waitFor();
    await page.getByRole('table', { name: /Children's cases closed, by reason/ }).waitFor();
    await page.getByRole('table', { name: /Children who received specialist services/ }).waitFor();
    const html = page.getByRole('link', { name: 'Web page (HTML)' });
    expect(await html.getAttribute('href')).toBe(
      '/api/statistics/publications/opsc/download?from=2025-01-01&to=2025-12-31&format=html',
    );
    await harness.expectAccessible(page);
    await page.context().close();
  }, 180_000);
});
