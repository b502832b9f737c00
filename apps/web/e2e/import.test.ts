import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { validReferral } from '../../server/test/referrals.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('importing referrals and API keys in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let organisationId: string;
  let dir: string;
  const consoleErrors = harness.consoleErrors;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    await harness.start(ctx);
    organisationId = (await createOrganisation(ctx, 'police', 'Import Test Police')).id;
    dir = mkdtempSync(join(tmpdir(), 'tiaki-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await harness.stop();
    await ctx.close();
  });

  const newPage = (width?: number, height?: number) => harness.newPage(width, height);

  const expectAccessible = (page: Page) => harness.expectAccessible(page);

  const signIn = (page: Page, user: TestUser) => harness.signInWithMfaEnrolment(page, user);

  it('imports a JSON Lines file: all-or-nothing refuses a bad row, good rows imports the rest', async () => {
    const worker = await createUser(ctx, ['frontline'], { organisationId });
    const file = join(dir, 'referrals.jsonl');
    const lines = [
      JSON.stringify({ ...validReferral(), sourceId: 'e2e-1' }),
      JSON.stringify({ ...validReferral({}, { givenNames: 'Mere' }), sourceId: 'e2e-2' }),
      JSON.stringify({
        ...validReferral(),
        sourceId: 'e2e-3',
        concern: { date: 'not a date', region: '02' },
      }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);

    const page = await newPage(360, 740);
    await signIn(page, worker);
    await page.getByRole('link', { name: 'Import referrals from a file' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import referrals from a file' }).waitFor();
    await page.getByText('Tiaki never stores files, images or video').waitFor();
    await expect(page.getByLabel('File to import').getAttribute('accept')).resolves.toBe(
      '.csv,.jsonl,.ndjson',
    );
    await expectAccessible(page);

    // Nothing chosen: the field says so.
    await page.getByRole('button', { name: 'Import referrals' }).click();
    await page.getByText('Choose the file to import.').waitFor();

    await page.getByLabel('File to import').setInputFiles(file);
    await expect(page.getByLabel('Only if every row is valid').isChecked()).resolves.toBe(true);
    const first = page.waitForResponse((r) => r.url().includes('/api/imports/referrals?'));
    await page.getByRole('button', { name: 'Import referrals' }).click();
    const response = await first;
    expect(response.request().headers()['content-type']).toBe('application/x-ndjson');
    expect(response.request().headers()['x-csrf-token']).toBeTruthy();
    expect(response.url()).toContain('mode=all-or-nothing');
    await page.getByRole('heading', { level: 2, name: 'Nothing was imported' }).waitFor();
    const problems = page.getByRole('table', { name: /1 row with problems/ });
    const row = problems.getByRole('row').filter({ hasText: 'concern.date' });
    await row.getByRole('cell', { name: '3', exact: true }).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    await page.getByLabel('Import the valid rows and leave out the others').check();
    await page.getByRole('button', { name: 'Import referrals' }).click();
    await page.getByRole('heading', { level: 2, name: '2 referrals imported' }).waitFor();
    await page.getByText(/Imported 2 referrals; 1 rows with problems were left out/).waitFor();
    await expectAccessible(page);

    await page.goto(`${harness.server.url}/referrals/mine`);
    await page
      .getByRole('row', { name: /Mere|TKI-/ })
      .first()
      .waitFor();
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });

  it('lets an administrator create an API key, shown once, and revoke it', async () => {
    const admin = await createUser(ctx, ['administrator']);
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Organisations' }).first().click();
    const row = page.getByRole('row', { name: /Import Test Police/ });
    await row.getByRole('button', { name: 'API keys' }).click();
    const panel = page.getByRole('region', { name: 'API keys for Import Test Police' });
    await panel.getByText('This organisation has no API keys.').waitFor();
    await expectAccessible(page);

    await panel.getByLabel('Name of the key').fill('Police case system');
    await panel.getByRole('button', { name: 'Create API key' }).click();
    await panel.getByRole('heading', { name: 'New API key: Police case system' }).waitFor();
    const key = (await panel.locator('code.secret').textContent()) ?? '';
    expect(key).toMatch(/^tk_/);
    await panel.getByText("store it in the other system's secret store").waitFor();
    await expectAccessible(page);
    await panel.getByRole('button', { name: 'I have stored the key' }).click();
    await expect(panel.getByText(key).count()).resolves.toBe(0);

    const keyRow = panel.getByRole('row', { name: /Police case system/ });
    await keyRow.getByText('Active').waitFor();
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await panel.getByText('Revoke the API key “Police case system”?').waitFor();
    await panel.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByText('The API key “Police case system” has been revoked.').waitFor();
    await keyRow.getByText(/^Revoked /).waitFor();
    await expect(keyRow.getByRole('button', { name: 'Revoke' }).count()).resolves.toBe(0);
    await expectAccessible(page);

    // The revoked key no longer works.
    const refused = await fetch(`${harness.server.url}/api/referrals`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${key}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'e2e-1',
      },
      body: JSON.stringify(validReferral()),
    });
    expect(refused.status).toBe(401);
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });
});
