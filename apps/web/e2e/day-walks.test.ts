import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { addCalendarDays, CURRENT_TAXONOMY } from '@tiaki/domain';
import { seedDemoData, type DemoCredential } from '../../server/src/demo/seed.ts';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { createTestContext, type TestContext } from '../../server/test/harness.ts';

/**
 * Each role's day on the demo data (the demo organisations and accounts, with a stretch of
 * synthetic history behind them), reached through the app's own navigation, with axe on every
 * page: triage finds a child by name and opens a case; the decision maker decides with the
 * evidence on screen; the caseworker reads the referral and refers the child to a service; the
 * provider reviews, then accepts (among others waiting); the supervisor sees the cases their
 * organisation leads; the frontline officer re-reads their own referrals and resumes their draft;
 * the privacy officer asks for a child's file and the auditor approves it; the auditor finds what
 * a person did on a day by their name and downloads it; the data steward reads the statistics.
 *
 * Covered elsewhere, on purpose-built data: recording a referral and reading it back
 * (referral.test.ts), Back and Forward inside the form and an adult's date of birth refused
 * (referral-form.test.ts), a list of 10,000 rows paging and sorting (lists.test.ts).
 */
const DEMO_NARRATIVE = 'Synthetic demo narrative: no real person is described.';

describe.skipIf(!hasChromium || !hasWebBuild)('a day for each role on the demo data, in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let credentials: DemoCredential[] = [];
  let caseReference = '';
  /** The service referral the caseworker sends: the provider answers it among others waiting. */
  let serviceReference = '';
  const basis = CURRENT_TAXONOMY.lawfulBases[0]?.code ?? '';

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true' });
    credentials = (await seedDemoData(ctx, { historyReferrals: 40 })) ?? [];
    await harness.start(ctx);
  }, 600_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  /** Demo accounts sign in without MFA; the main navigation shows once they are in. */
  async function signIn(role: string, width = 1366, height = 768): Promise<Page> {
    const credential = credentials.find((c) => c.role === role);
    if (!credential) throw new Error(`no demo account for ${role}`);
    const page = await harness.newPage(width, height);
    await page.goto(`${harness.server.url}/sign-in`);
    await page.getByLabel('Email', { exact: true }).fill(credential.email);
    await page.getByLabel('Password', { exact: true }).fill(credential.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  }
  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  const success = (p: Page, text: string | RegExp) =>
    p.locator('.alert-success').filter({ hasText: text }).first().waitFor();

  it('on a wide screen (1920 px) the triage queue shows every column inside its frame', async () => {
    const p = await signIn('triage', 1920, 1080);
    await nav(p, 'Triage');
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    const table = p.getByRole('table', { name: /referrals waiting/ });
    await table.getByRole('row').nth(1).waitFor();
    // The columns kept for wide screens are there, and nothing scrolls sideways in the frame
    // (with the page capped at 72rem it scrolled 362 px).
    await table.getByRole('columnheader', { name: 'Referred by' }).waitFor();
    const frame = p.locator('.table-wrap').filter({ has: table });
    expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const referredBy = await table.getByRole('columnheader', { name: 'Referred by' }).boundingBox();
    expect(referredBy && referredBy.x + referredBy.width).toBeLessThanOrEqual(1920);
    await harness.expectAccessible(p);
    await p.close();
  });

  it('triage finds a child by name, reads the referral and opens a case for the caseworker', async () => {
    const p = await signIn('triage');
    // Home: the queue's referrals no one has taken are work too (the demo's first is urgent).
    const work = p.getByRole('region', { name: 'My work' });
    await work.getByText(/of them (is|are) urgent/).waitFor();
    await expect(work.getByText('Nothing is waiting for you right now').count()).resolves.toBe(0);
    await work
      .getByRole('link', { name: /referrals? in the triage queue (has|have) no one assigned/ })
      .click();
    await p.waitForURL(/assignee=unassigned/);
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    await nav(p, 'Triage');
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    // The first referral is on screen at 1366 × 768, without scrolling.
    const firstRow = p
      .getByRole('table', { name: /referrals waiting/ })
      .getByRole('row')
      .nth(1);
    const box = await firstRow.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(768);
    await harness.expectAccessible(p);

    const search = p.getByRole('search').filter({ has: p.getByLabel('Find a child’s case or referral') });
    await search.getByLabel('Find a child’s case or referral').fill('Mere Demo-Walker');
    await search.getByRole('button', { name: 'Find' }).click();
    const results = p.getByRole('table', { name: 'Found' });
    await results.getByRole('link').first().waitFor();
    await harness.expectAccessible(p);
    await results.getByRole('link').first().click();
    await p.getByRole('heading', { level: 1, name: /^Triage referral TKI-/ }).waitFor();
    await p.getByText(DEMO_NARRATIVE).first().waitFor();
    await harness.expectAccessible(p);

    await p.getByLabel('Lead caseworker').selectOption({ label: 'Demo Caseworker' });
    await p.getByRole('button', { name: 'Open a new case' }).click();
    await p.getByRole('button', { name: 'Confirm' }).click();
    const heading = p.getByRole('heading', { level: 1, name: /^Case CASE-\d{4}-\d{6}$/ });
    await heading.waitFor();
    caseReference = (await heading.textContent())?.replace('Case ', '') ?? '';
    await harness.expectAccessible(p);
    await p.close();
  });

  it('the decision maker sees the decision marked overdue, and decides with the evidence on screen', async () => {
    // The decision is made late: its due date has passed.
    const { id: caseId } = await ctx.db
      .selectFrom('case_record')
      .select('id')
      .where('reference', '=', caseReference)
      .executeTakeFirstOrThrow();
    await ctx.db
      .updateTable('decision')
      .set({ due_on: addCalendarDays(ctx.today(), -3) })
      .where('case_id', '=', caseId)
      .where('status', '=', 'pending')
      .execute();
    const p = await signIn('decision_maker');
    await nav(p, 'Decisions');
    await p.getByRole('heading', { level: 1, name: 'Decisions board' }).waitFor();
    await harness.expectAccessible(p);
    const link = p.getByRole('link', { name: caseReference }).first();
    await link.waitFor();
    await link.click();
    await p.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    const rg = p
      .getByRole('region', { name: 'Identification decisions' })
      .getByRole('article', { name: /Reasonable-grounds decision/ });
    await rg.getByText('Overdue', { exact: true }).waitFor();
    const evidence = rg.getByRole('complementary', { name: 'The evidence: what the referrals say' });
    await evidence.getByText(DEMO_NARRATIVE).waitFor();
    await rg
      .getByLabel('There are reasonable grounds to believe the child is a victim of sexual exploitation')
      .check();
    await rg
      .getByLabel('Reasons for the decision')
      .fill('The referral describes indicators that meet the threshold.');
    await rg.getByLabel('Evidence relied on').fill('Referral from Oranga Tamariki (demo).');
    await rg.getByRole('button', { name: 'Record the decision' }).click();
    const confirm = rg.getByRole('group', { name: /^Record this decision/ });
    await confirm.getByText(/cannot be changed afterwards/).waitFor();
    await harness.expectAccessible(p);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await success(p, 'Decision recorded: Reasonable-grounds decision.');
    await p.close();
  });

  it('the caseworker reads the referral on the case and refers the child to a service', async () => {
    const p = await signIn('caseworker');
    await nav(p, 'Cases');
    await p.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    // At 1366 px the list fits its frame: nothing to scroll sideways, the next deadline in view.
    const frame = p.locator('.table-wrap').filter({ has: p.getByRole('table', { name: /case/i }) });
    await frame.waitFor();
    expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const due = p.getByRole('columnheader', { name: /deadline|due/i }).first();
    const dueBox = await due.boundingBox();
    expect(dueBox && dueBox.x + dueBox.width).toBeLessThanOrEqual(1366);
    await harness.expectAccessible(p);
    await p.getByRole('link', { name: caseReference }).click();
    await p.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    const referrals = p.getByRole('region', { name: 'Referrals' });
    await referrals.getByText(DEMO_NARRATIVE).first().waitFor();
    await harness.expectAccessible(p);

    await p.getByLabel('What help does the child need?').selectOption('emergency_accommodation');
    await p.getByRole('button', { name: 'Find services' }).click();
    const service = p.getByRole('listitem').filter({ hasText: 'Safe Harbour emergency beds' });
    await service.getByRole('button', { name: 'Refer to this service' }).click();
    const refer = p.getByRole('region', { name: /^Refer the child to Safe Harbour emergency beds/ });
    await refer.getByLabel('Lawful basis for sharing').selectOption(basis);
    await refer.getByLabel('Why it is being shared').fill('A safe bed tonight.');
    await refer.getByRole('checkbox', { name: 'Summary of needs' }).check();
    await refer.getByLabel("Summary of the child's needs").fill('Needs a safe bed tonight, close to school.');
    await refer
      .getByRole('group', { name: /asked what they think/ })
      .getByLabel('Yes')
      .check();
    await harness.expectAccessible(p);
    await refer.getByRole('button', { name: 'Send the referral' }).click();
    await success(p, /has been sent/);
    serviceReference =
      (await p
        .getByRole('table', { name: /referrals? to (a )?services?/ })
        .getByRole('link')
        .first()
        .textContent()) ?? '';
    expect(serviceReference).not.toBe('');

    // Reminders (the case allocated to them among them) are read all at once, not one by one.
    await p.getByRole('link', { name: /^Reminders/ }).click();
    await p.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
    await p.getByText(`Case ${caseReference} has been allocated to you`).first().waitFor();
    await p.getByRole('button', { name: 'Mark all as read' }).click();
    await success(p, /reminders? marked as read/);
    await p.getByText('0 unread reminders').waitFor();
    await expect(p.getByRole('button', { name: 'Mark as read' }).count()).resolves.toBe(0);
    await harness.expectAccessible(p);
    await p.close();
  });

  it('on a phone the caseworker sorts the cases with a sort choice, the headings being hidden', async () => {
    const p = await signIn('caseworker', 390, 844);
    await nav(p, 'Cases');
    await p.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    const sortBy = p.getByLabel('Sort by');
    await sortBy.selectOption({ label: 'Case: first to last' });
    await p.waitForURL(/sort=reference&dir=asc/);
    // The address changes first; the choice follows once the page has re-rendered.
    await expect.poll(() => sortBy.inputValue(), { timeout: 10_000 }).toBe('reference:asc');
    expect(
      await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await harness.expectAccessible(p);

    // The case's referrals on a phone: each stacked under its column's names, nothing to scroll
    // sideways (the table scrolled 326 px).
    const { id: caseId } = await ctx.db
      .selectFrom('case_record')
      .select('id')
      .where('reference', '=', caseReference)
      .executeTakeFirstOrThrow();
    await p.goto(`${harness.server.url}/cases/${caseId}`);
    const list = p.getByRole('table', { name: /referrals? about this child/ });
    await list.locator('td[data-label="Referred by"]').first().waitFor();
    const frame = p.locator('.table-wrap').filter({ has: list });
    expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    // The whole case page, now that the child has been referred to a service: the service
    // referrals and what was shared with the provider stack too (a table was 817 px wide).
    const services = p.getByRole('table', { name: /referrals? to (a )?services?/ });
    await services.locator('td[data-label="Service"]').first().waitFor();
    await p
      .getByRole('table', { name: /disclosures?/ })
      .locator('td[data-label="Why"]')
      .first()
      .waitFor();
    const sideways = await p
      .locator('.table-wrap')
      .evaluateAll((frames) => frames.map((el) => el.scrollWidth - el.clientWidth));
    expect(sideways.length).toBeGreaterThan(2);
    expect(Math.max(...sideways)).toBeLessThanOrEqual(0);
    expect(
      await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await harness.expectAccessible(p);
    await p.close();
  });

  it('the provider reviews what was shared, then accepts', async () => {
    const p = await signIn('service_provider');
    await nav(p, 'Referrals for support');
    await p.getByRole('heading', { level: 1, name: 'Referrals for support' }).waitFor();
    await harness.expectAccessible(p);
    // The demo provider has other referrals waiting too: this one is the caseworker's.
    expect(await p.getByRole('row').filter({ hasText: 'Waiting for an answer' }).count()).toBeGreaterThan(1);
    const waiting = p.getByRole('row').filter({ hasText: serviceReference });
    await waiting.getByText('Waiting for an answer').waitFor();
    await waiting.getByRole('link').first().click();
    await p.getByText("The child's details are shown once the referral is accepted").waitFor();
    await harness.expectAccessible(p);
    await p.getByLabel('Accept the referral').check();
    await p.getByRole('button', { name: 'Save' }).click();
    await success(p, 'You have accepted the referral.');
    await p.getByText('Needs a safe bed tonight, close to school.').waitFor();
    await p.getByText('Mere').first().waitFor();
    await harness.expectAccessible(p);
    await p.close();
  });

  it('the supervisor sees the cases their organisation leads, and opens one', async () => {
    const p = await signIn('supervisor');
    await nav(p, 'Cases');
    await p.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await expect(p.getByText('There are no cases to show').count()).resolves.toBe(0);
    const table = p.getByRole('table', { name: /case/i });
    await table.getByRole('link', { name: caseReference }).waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(2);
    await harness.expectAccessible(p);
    await table.getByRole('link', { name: caseReference }).click();
    await p.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    await harness.expectAccessible(p);
    await p.close();
  });

  it('the frontline officer re-reads the referrals they sent, and carries on with their draft', async () => {
    const p = await signIn('frontline');
    await nav(p, 'My referrals');
    await p.getByRole('heading', { level: 1, name: 'My referrals' }).waitFor();
    const mine = p.getByRole('table', { name: /referrals?, newest first/ });
    await mine.getByRole('row').nth(1).waitFor();
    // Several of the demo's referrals are theirs, some already worked by the lead agency.
    expect(await mine.getByRole('row').count()).toBeGreaterThan(3);
    await harness.expectAccessible(p);

    await nav(p, 'Record a concern');
    await p.getByRole('heading', { level: 1, name: 'Carry on with a concern you started?' }).waitFor();
    await harness.expectAccessible(p);
    await p.getByRole('link', { name: 'Carry on with this one' }).click();
    await expect(p.getByLabel('Given names').inputValue()).resolves.toBe('Tia');
    await p.close();
  });

  it('the privacy officer asks for a child’s file, and the auditor approves it', async () => {
    const p = await signIn('privacy_officer');
    await nav(p, 'Privacy requests');
    await p.getByRole('heading', { level: 1, name: 'Privacy requests' }).waitFor();
    await harness.expectAccessible(p);
    await p.getByLabel('Referral or case reference').fill(caseReference);
    await p.getByLabel("Child's family name").fill('Demo-Walker (demo)');
    await p.getByLabel('Why the file is needed').fill('Demo: the child’s whānau asked in writing today');
    await p.getByRole('button', { name: 'Ask for the file' }).click();
    await p
      .getByRole('status')
      .getByText(`Your request for ${caseReference} has been sent`, { exact: false })
      .waitFor();
    await harness.expectAccessible(p);
    // Emergency access to review is on the officer's way too.
    await nav(p, 'Emergency access');
    await p.getByRole('heading', { level: 1 }).waitFor();
    await harness.expectAccessible(p);

    const a = await signIn('auditor');
    await nav(a, 'Privacy requests');
    const waiting = a.getByRole('row').filter({ hasText: caseReference });
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await a
      .getByRole('status')
      .getByText(`Approved: the privacy officer who asked for ${caseReference}`, { exact: false })
      .waitFor();
    await p.reload();
    await p.getByRole('heading', { level: 1 }).waitFor();
    await nav(p, 'Privacy requests');
    await p.getByRole('link', { name: 'Download the file' }).waitFor();
    await p.close();
    await a.close();
  });

  it('the auditor finds what a person did on a day by their name, and downloads it', async () => {
    const p = await signIn('auditor');
    await nav(p, 'Audit log');
    await p.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await harness.expectAccessible(p);
    // Today (New Zealand) the caseworker referred the child to a service: find it by their name.
    const today = ctx.today();
    await p.getByLabel('Done by').fill('demo caseworker');
    await p.locator('input[name="from"]').fill(today);
    await p.locator('input[name="to"]').fill(today);
    await p.getByRole('button', { name: 'Apply filter' }).click();
    await p.getByRole('heading', { name: 'Events matching the filter' }).waitFor();
    const doneBy = p.getByRole('table').locator('td[data-label="Done by"]');
    await doneBy.first().waitFor();
    const names = await doneBy.allInnerTexts();
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((name) => name.startsWith('Demo Caseworker'))).toBe(true);
    await p.getByRole('table').getByText('Referral for support sent').first().waitFor();
    await harness.expectAccessible(p);

    const download = p.waitForEvent('download');
    await p.getByRole('link', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const rows = csv.split('\r\n').filter((line) => line !== '' && !line.startsWith('# '));
    expect(rows.length).toBe(names.length + 1);
    expect(rows.slice(1).every((row) => row.includes(',Demo Caseworker,'))).toBe(true);
    await p.close();
  });

  it('the data steward reads the statistics, the data quality and the extracts waiting', async () => {
    const p = await signIn('data_steward');
    await nav(p, 'Statistics');
    await p.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
    await harness.expectAccessible(p);
    await nav(p, 'Data quality');
    await p.getByRole('heading', { level: 1, name: 'Data quality' }).waitFor();
    await p.getByText(/exact figures, for data stewards only/).waitFor();
    await harness.expectAccessible(p);
    await nav(p, 'Research extracts');
    await p.getByRole('heading', { level: 1, name: 'Research extracts' }).waitFor();
    await harness.expectAccessible(p);
    await p.close();
    // The 401s are the session checks before each person signs in.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
