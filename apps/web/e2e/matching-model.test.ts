import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { seedDemoReviews } from '../../server/src/demo/reviews.ts';
import { BrowserHarness, hasChromium, hasWebBuild, screenshotTo } from '../../server/test/browser.ts';
import { createTestContext, createUser, type TestContext, type TestUser } from '../../server/test/harness.ts';

/**
 * Learning from reviewers in the browser (issue 16): the data steward finds the matching model
 * screen from the statistics screens, learns a version from triage's decisions (the demo's
 * synthetic ones), compares before and after, puts it in use after confirming, and goes back to
 * the built-in model. Checked at 1366 px and at phone width.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('the matching model in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let steward: TestUser;
  const shots = process.env.E2E_SCREENSHOTS;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-10-05' });
    await harness.start(ctx);
    const triage = await createUser(ctx, ['triage']);
    await seedDemoReviews(ctx, triage.id);
    steward = await createUser(ctx, ['data_steward']);
    if (shots) mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const screenshot = (page: Page, name: string) => screenshotTo(shots, page, name);

  it('lets the steward learn a version from the reviews, put it in use and go back', async () => {
    const page = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(page, steward);
    await page.goto(`${harness.server.url}/statistics/data-quality`);
    await page
      .getByRole('navigation', { name: 'Statistics screens' })
      .getByRole('link', { name: 'Matching model' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Matching model' }).waitFor();
    await page.getByText(/In use for new matching: the built-in model/).waitFor();
    await page.getByText('Triage has decided 90 suggestions were the same child and 70 were not.').waitFor();
    await page.getByText('No version has been learnt yet: the built-in model is in use.').waitFor();

    await page.getByRole('button', { name: 'Learn a new version from these decisions' }).click();
    await page.getByText(/^Version 1 is ready\./).waitFor();
    const versions = page.getByRole('table', { name: 'Every version of the matching model, newest first' });
    const row = versions.getByRole('row', { name: /Version 1/ });
    await row.getByText('Not in use yet').waitFor();
    await row.getByText('90 same, 70 not the same').waitFor();
    await row.getByText(/^F1: \d+% → \d+%$/).waitFor();
    await screenshot(page, 'matching-model-candidate-1366');
    await harness.expectAccessible(page);

    // Put it in use, after confirming.
    await row.getByRole('button', { name: 'Put in use' }).click();
    await page.getByText('Put version 1 in use for new matching?').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('New matching now uses Version 1.').waitFor();
    await page.getByText('In use for new matching: Version 1.').waitFor();
    await row.getByText('In use').waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    await screenshot(page, 'matching-model-in-use-1366');

    // Learning again while version 1 is in use: its "before" is on decisions it learnt from, and says so.
    await page.getByRole('button', { name: 'Learn a new version from these decisions' }).click();
    await page.getByText(/^Version 2 is ready\./).waitFor();
    await versions
      .getByRole('row', { name: /Version 2/ })
      .getByText(
        'Before is a version that learnt from 160 of these decisions, so it looks better on them than it is.',
      )
      .waitFor();

    // Phone width: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await row.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'matching-model-390');
    await page.setViewportSize({ width: 1366, height: 900 });

    // The way back: the built-in model again, after confirming; the version is kept.
    await page.getByRole('button', { name: 'Go back to the built-in model' }).click();
    await page.getByText('Go back to the built-in model for new matching?').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(/New matching now uses the built-in model/).waitFor();
    await row.getByText('Used before').waitFor();
    await row.getByRole('button', { name: 'Go back to this version' }).waitFor();

    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'linkage.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'linkage.model_learnt',
      'linkage.model_activated',
      'linkage.model_learnt',
      'linkage.model_activated',
    ]);
  });
});
