import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
} from '../../server/test/harness.ts';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';

/** The referral form holds up: Back and Forward between steps, nothing typed lost, one draft per concern. */
describe.skipIf(!hasChromium || !hasWebBuild)(
  'the referral form in Chromium: history, drafts, adults',
  () => {
    let ctx: TestContext;
    const harness = new BrowserHarness();
    let organisationId: string;

    beforeAll(async () => {
      ctx = await createTestContext('pglite');
      await harness.start(ctx);
      organisationId = (await createOrganisation(ctx, 'police')).id;
    });
    afterAll(async () => {
      await harness.stop();
      await ctx.close();
    });

    const stepHeading = (page: Page, name: string) =>
      page.getByRole('heading', { level: 2, name: new RegExp(`^Step \\d of 6\\s*${name}$`) });

    async function next(page: Page, to: string) {
      await page.getByRole('button', { name: 'Next' }).click();
      await stepHeading(page, to).waitFor();
    }

    const draftsOf = async (userId: string) =>
      ctx.db.selectFrom('referral_draft').select(['id', 'step']).where('user_id', '=', userId).execute();

    it('moves between steps with Back and Forward, keeps what was typed, and offers the draft again', async () => {
      const worker = await createUser(ctx, ['frontline'], { organisationId });
      const page = await harness.newPage();
      await harness.signInWithMfaEnrolment(page, worker);

      await page.getByRole('link', { name: 'Record a concern about a child' }).click();
      await stepHeading(page, 'About you and the concern').waitFor();
      await page.getByLabel('Your role').fill('Youth Aid officer');
      await page.getByLabel('Region', { exact: true }).selectOption('09');
      await next(page, 'The child');
      expect(page.url()).toMatch(/[?&]step=child(&|$)/);

      const identified = page.getByRole('group', { name: /Can you identify the child/ });
      await identified.getByLabel('Yes').check();
      await page.getByLabel('Given names').fill('Aroha');

      // The browser's Back goes to the previous step, not out of the form; what was typed stays.
      await page.goBack();
      await stepHeading(page, 'About you and the concern').waitFor();
      await expect(page.getByLabel('Your role').inputValue()).resolves.toBe('Youth Aid officer');
      await page.goForward();
      await stepHeading(page, 'The child').waitFor();
      await expect(page.getByLabel('Given names').inputValue()).resolves.toBe('Aroha');
      await harness.expectAccessible(page);

      // An adult's date of birth is refused in plain words, and the form stays on the step.
      await page.getByLabel('Their date of birth').check();
      await page.getByLabel('Date of birth', { exact: true }).fill('1990-05-01');
      await page.getByLabel('Gender').selectOption('girl');
      await page.getByRole('button', { name: 'Next' }).click();
      await page
        .getByText(/Tiaki is for children under 18: this date of birth makes them 3\d/)
        .first()
        .waitFor();
      await stepHeading(page, 'The child').waitFor();
      await page.getByLabel('Date of birth', { exact: true }).fill('2012-05-01');

      // Leaving the form for another page saves the last changes at once (no waiting for autosave).
      await page.getByRole('link', { name: 'Record a concern' }).first().click();

      // "Record a concern" again: the unsent draft is offered, with no name, before a new one.
      await page.getByRole('heading', { level: 1, name: 'Carry on with a concern you started?' }).waitFor();
      await page.getByText(/got to “The child”/).waitFor();
      await page.getByText(/Last changed \d/).waitFor();
      await expect(page.getByText('Aroha').count()).resolves.toBe(0);
      await harness.expectAccessible(page);
      const drafts = await draftsOf(worker.id);
      expect(drafts).toHaveLength(1);

      await page.getByRole('link', { name: 'Carry on with this one' }).click();
      await stepHeading(page, 'The child').waitFor();
      await expect(page.getByLabel('Given names').inputValue()).resolves.toBe('Aroha');
      await expect(page.getByLabel('Date of birth', { exact: true }).inputValue()).resolves.toBe(
        '2012-05-01',
      );
      // Carrying on did not make another draft.
      expect(await draftsOf(worker.id)).toHaveLength(1);

      // Starting a new concern on purpose opens an empty form.
      await page.getByRole('link', { name: 'Record a concern' }).first().click();
      await page.getByRole('button', { name: 'Start a new concern' }).click();
      await stepHeading(page, 'About you and the concern').waitFor();
      await expect(page.getByLabel('Your role').inputValue()).resolves.toBe('');
    });
  },
);
