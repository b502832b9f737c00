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

const NARRATIVE =
  'Her aunt called her a child prostitute. She chose to go with the men because they gave her a place to stay. ' +
  'Seen getting into a grey car outside the dairy on Cuba Street at 11 pm.';

describe.skipIf(!hasChromium || !hasWebBuild)('recording a concern about a child in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let organisationId: string;
  const consoleErrors = harness.consoleErrors;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    await harness.start(ctx);
    organisationId = (await createOrganisation(ctx, 'police')).id;
  });
  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const newPage = (width?: number, height?: number) => harness.newPage(width, height);

  const expectAccessible = (page: Page) => harness.expectAccessible(page);

  const signIn = (page: Page, user: TestUser) => harness.signInWithMfaEnrolment(page, user);

  const stepHeading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 2, name: new RegExp(`^Step \\d of 6\\s*${name}$`) });

  async function next(page: Page, to: string) {
    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, to).waitFor();
  }

  it('records a referral through every step, resumes a draft after a reload, and lists it', async () => {
    const worker = await createUser(ctx, ['frontline'], { organisationId });
    const page = await newPage();
    await signIn(page, worker);

    await page.getByRole('link', { name: 'Record a concern about a child' }).click();
    await stepHeading(page, 'About you and the concern').waitFor();
    // Prefilled from the session, and the date of the concern defaults to today.
    await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Test Person');
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe(worker.email);
    await expect(page.getByLabel('Date of the concern').inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expectAccessible(page);
    await page.getByLabel('Your role').fill('Youth Aid officer');
    await page.getByLabel('Phone number').fill('+64 4 555 0101');
    await page.getByLabel('Region', { exact: true }).selectOption('09');
    await next(page, 'The child');

    // Next on an empty child step: errors on the fields and in a summary, and no move.
    await page.getByRole('button', { name: 'Next' }).click();
    const summary = page.getByRole('group', { name: /There is a problem/ });
    await summary.waitFor();
    await expect(summary.getByRole('link').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(page.getByText('Say whether you can identify the child.').count()).resolves.toBe(2);
    const identified = page.getByRole('group', { name: /Can you identify the child/ });
    await expect(identified.getByLabel('Yes').getAttribute('aria-invalid')).resolves.toBe('true');
    await stepHeading(page, 'The child').waitFor();
    await expectAccessible(page);
    // The summary's link takes the cursor to the field.
    await summary.getByRole('link', { name: /gender, or “Not known”/ }).click();
    await expect(page.getByLabel('Gender').evaluate((el) => el === document.activeElement)).resolves.toBe(
      true,
    );

    // "No" explains the referral still counts and hides the name fields.
    await identified.getByLabel('No, or not yet').check();
    await page.getByText('the referral still counts').waitFor();
    await expect(page.getByLabel('Given names').count()).resolves.toBe(0);
    await identified.getByLabel('Yes').check();
    await page.getByLabel('Given names').fill('Aroha');
    await page.getByLabel('Family name').fill('Testchild');
    await page.getByRole('button', { name: 'Add another name' }).click();
    await page.getByLabel('Other name 1').fill('Ro');
    await page.getByLabel('Roughly how old they are').check();
    await page.getByLabel('Estimated age').fill('14');
    // A field shown inside a chosen option is as wide as any other: what was typed stays readable.
    expect((await page.getByLabel('Estimated age').boundingBox())?.width).toBeGreaterThan(100);
    await page.getByLabel('Gender').selectOption('girl');
    await page.getByRole('checkbox', { name: 'Māori', exact: true }).check();
    await page.getByLabel('Find an iwi').fill('porou');
    await page.getByRole('checkbox', { name: 'Ngāti Porou', exact: true }).check();
    await page.getByRole('button', { name: 'Remove Ngāti Porou' }).waitFor();
    await page.getByRole('button', { name: 'Add a language' }).click();
    await page.getByLabel('Language 1').fill('English');
    await page.getByLabel('Where the child is now').fill('Staying with an aunt in Newtown');
    await page
      .getByRole('group', { name: /Is the child safe right now/ })
      .getByLabel('I do not know')
      .check();
    await expectAccessible(page);
    await next(page, 'What is happening');

    await page.getByRole('checkbox', { name: 'Exploitation of children in prostitution' }).check();
    await page.getByRole('checkbox', { name: /survival needs/ }).check();
    await page.getByRole('checkbox', { name: /^Homelessness or unstable housing/ }).check();
    await expectAccessible(page);
    await next(page, 'Signs you have noticed');

    // The indicator screen updates as signs are chosen, and says it never decides.
    await page.getByText('Level of concern: none shown').waitFor();
    await page.getByRole('checkbox', { name: /^Goes missing from home, care or school/ }).check();
    await page.getByText('Level of concern: possible').waitFor();
    await page.getByRole('checkbox', { name: /^Exchanges sex for food/ }).check();
    await page.getByText('Level of concern: clear').waitFor();
    await page.getByText('Strong indicator: Exchanges sex for food').waitFor();
    await page.getByText('it never decides').first().waitFor();
    await expectAccessible(page);
    await next(page, 'What you saw and heard');

    // The terminology guard warns as the person types, and never blocks.
    await page.getByLabel('Narrative').pressSequentially(NARRATIVE.slice(0, 60), { delay: 5 });
    await page.getByLabel('Narrative').fill(NARRATIVE);
    const words = page.getByRole('region', { name: 'Words to check' });
    await words.getByText('“child prostitute”').waitFor();
    await words.getByText('“chose to”').waitFor();
    await words.getByText('“child exploited in prostitution”').waitFor();
    await words.getByText('A child cannot consent to their own exploitation').waitFor();
    await page.getByText(`${NARRATIVE.length} of 20,000 characters`).waitFor();

    // Immediate risk: "What to do now" at once.
    await page
      .getByRole('group', { name: /immediate risk/ })
      .getByLabel('Yes')
      .check();
    const urgent = page.getByRole('region', { name: 'What to do now' });
    await urgent.getByText('call 111').waitFor();
    await urgent.getByText('0508 326 459').waitFor();
    await page.getByText('Never upload or attach files, images or video').waitFor();
    await page.getByRole('button', { name: 'Add a reference number' }).click();
    await page.getByLabel('Reference number 1').fill('P0123456789');
    await expectAccessible(page);

    // Saved automatically; a reload opens the draft where the person was.
    await page.getByText(/^Draft saved \d/).waitFor({ timeout: 30_000 });
    expect(page.url()).toMatch(/\/referrals\/new\?.*draft=[0-9a-f-]{36}/);
    expect(page.url()).toMatch(/[?&]step=narrative(&|$)/);
    await page.reload();
    await stepHeading(page, 'What you saw and heard').waitFor();
    await page.getByText('You are carrying on with a draft saved').waitFor();
    await expect(page.getByLabel('Narrative').inputValue()).resolves.toBe(NARRATIVE);
    await page.getByRole('region', { name: 'What to do now' }).waitFor();
    await page.getByRole('button', { name: /The child$/ }).click();
    await stepHeading(page, 'The child').waitFor();
    await expect(page.getByLabel('Given names').inputValue()).resolves.toBe('Aroha');
    await page.getByRole('button', { name: /What you saw and heard$/ }).click();
    await next(page, 'Sharing and review');

    await page.getByLabel("The child's views").fill('Does not want to go back to the placement.');
    await page
      .getByRole('group', { name: /know about this referral/ })
      .getByLabel('No', { exact: true })
      .check();
    await page.getByLabel('Lawful basis for sharing').selectOption('ota_66c_prevent_harm');
    const review = page.getByRole('region', { name: 'Check your answers' });
    await review.getByText('Aroha', { exact: true }).waitFor();
    await review.getByText('Wellington').waitFor();
    await review.getByText('Police: P0123456789').waitFor();
    await expectAccessible(page);

    const submitted = page.waitForResponse(
      (r) => r.url().includes('/api/referrals?') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Submit referral' }).click();
    const response = await submitted;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const heading = page.getByRole('heading', { level: 1, name: /^Referral TKI-\d{4}-\d+ received$/ });
    await heading.waitFor();
    const reference = (await heading.textContent())?.match(/TKI-\d{4}-\d+/)?.[0] ?? '';
    const done = page.getByRole('region', { name: 'What to do now' });
    await done.getByText('Do not confront').waitFor();
    await done.getByText('Write down what you saw and heard').waitFor();
    await page.getByText('Level of concern: clear').waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'See my referrals' }).click();
    const row = page.getByRole('row', { name: new RegExp(reference) });
    await row.waitFor();
    await row.getByText('Urgent').waitFor();
    await row.getByText('Wellington').waitFor();
    await row.getByText('Exploitation of children in prostitution').waitFor();
    await expectAccessible(page);

    // The draft went with the submission.
    await page.goto(`${harness.server.url}/referrals/drafts`);
    await page.getByText('You have no saved drafts.').waitFor();
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });

  it('works with the keyboard alone on a phone, and drafts can be resumed and discarded', async () => {
    const worker = await createUser(ctx, ['frontline'], { organisationId });
    const page = await newPage(360, 740);
    await signIn(page, worker);
    await page.getByRole('link', { name: 'Record a concern' }).first().click();
    await stepHeading(page, 'About you and the concern').waitFor();

    // Step 1 by keyboard: Tab through the fields, type, choose the region, Enter for Next.
    await page.getByLabel('Your name').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('School counsellor');
    for (const label of ['Phone number', 'Email', 'Date of the concern']) {
      await page.keyboard.press('Tab');
      await expect(page.getByLabel(label).evaluate((el) => el === document.activeElement)).resolves.toBe(
        true,
      );
    }
    // The date input holds several parts: focus the region directly after it, as Tab would.
    await page.getByLabel('Region', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const region = await page.getByLabel('Region', { exact: true }).inputValue();
    expect(region).not.toBe('');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(
      page.getByRole('button', { name: 'Next' }).evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await stepHeading(page, 'The child').waitFor();
    // Focus moved to the new step's heading.
    await expect(
      stepHeading(page, 'The child').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    // Answer a question by keyboard: Tab to the first choice, arrow to "No", then save the draft.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await page.getByText('the referral still counts').waitFor();
    await expect(page.getByLabel('No, or not yet').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Save draft' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Draft saved \d/).waitFor();

    await page.goto(`${harness.server.url}/referrals/drafts`);
    const draftRow = page.getByRole('row', { name: /Child not identified yet|The child/ });
    await draftRow.waitFor();
    await expectAccessible(page);
    await draftRow.getByRole('link', { name: 'Resume' }).click();
    await stepHeading(page, 'The child').waitFor();
    await page.getByText('You are carrying on with a draft saved').waitFor();

    await page.goto(`${harness.server.url}/referrals/drafts`);
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('The draft has been discarded.').waitFor();
    await page.getByText('You have no saved drafts.').waitFor();

    await page.goto(`${harness.server.url}/referrals/mine`);
    await page.getByText('You have not made any referrals yet.').waitFor();
    await expectAccessible(page);
    await page.close();
  });
});
