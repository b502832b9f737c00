import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { CaseWorld } from '../../server/test/cases.ts';
import { buildTestApp, createTestContext, createUser, type TestContext } from '../../server/test/harness.ts';

/**
 * My work on the home page: a caseworker given a case hears of it in the header, finds the case's
 * overdue goal first in their work queue, follows it to the case, and marks the reminder read;
 * someone with nothing to do is told so. Axe at 1366 px and on a phone.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('my work and notifications, in Chromium', () => {
  let ctx: TestContext;
  let world: CaseWorld;
  const harness = new BrowserHarness();

  beforeAll(async () => {
    // Friday 3 July 2026.
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    world = new CaseWorld(ctx, await buildTestApp(ctx));
  });

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('shows a caseworker their work, overdue first, and tells them of a case given to them', async () => {
    const opened = await world.openCase();
    const lead = await world.caseworker();
    const caseworker = await createUser(ctx, ['caseworker'], {
      organisationId: await world.organisation('lead', 'lead_agency'),
    });
    for (const [description, dueOn] of [
      ['Enrol at a new school', '2026-07-30'],
      ['Safe place to stay', '2026-07-01'],
    ] as const) {
      const goal = await lead.client.post(`/api/cases/${opened.caseId}/goals`, { description, dueOn });
      expect(goal.statusCode).toBe(201);
    }
    const added = await lead.client.post(`/api/cases/${opened.caseId}/team/members`, {
      userId: caseworker.id,
      teamRole: 'caseworker',
    });
    expect(added.statusCode).toBe(201);

    const p = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(p, caseworker);
    const work = p.getByRole('list', { name: 'My work' });
    const items = work.getByRole('listitem');
    await items.first().waitFor();
    // The overdue goal first, marked in words, with its New Zealand date.
    const first = items.first();
    expect(await first.textContent()).toContain(`A goal on case ${opened.reference}`);
    expect(await first.textContent()).toContain('Due 1 July 2026');
    await first.getByText('Overdue').waitFor();
    expect(await items.nth(1).textContent()).toContain('Due 30 July 2026');
    expect(await items.nth(1).getByText('Overdue').count()).toBe(0);
    // Nothing about the child: no name, no goal's words.
    const body = (await p.locator('main').textContent()) ?? '';
    expect(body).not.toContain('Tāne');
    expect(body).not.toContain('Safe place');
    // The header counts the unread reminder.
    const reminders = p.getByRole('link', { name: /Reminders.*1 unread reminder/ });
    await reminders.waitFor();
    await harness.expectAccessible(p);
    await p.screenshot({ path: '/tmp/mywork-home-1366.png', fullPage: true });

    await p.setViewportSize({ width: 390, height: 844 });
    await harness.expectAccessible(p);
    await p.screenshot({ path: '/tmp/mywork-home-390.png', fullPage: true });
    await p.setViewportSize({ width: 1366, height: 900 });

    // Each item leads to where the work is done.
    await first.getByRole('link').click();
    await p.waitForURL(`**/cases/${opened.caseId}`);

    // The reminder says the case was allocated, by reference only, and can be marked read.
    await reminders.click();
    await p.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
    const message = p.getByText(`Case ${opened.reference} has been allocated to you`);
    await message.waitFor();
    expect(await p.locator('main').textContent()).not.toContain('Tāne');
    await harness.expectAccessible(p);
    await p.getByRole('button', { name: 'Mark as read' }).click();
    await p.getByText('0 unread reminders').waitFor();
    await p.getByRole('link', { name: 'Reminders', exact: true }).waitFor();
    await harness.expectAccessible(p);
    // Before signing in, the session check answers 401: that one is expected.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('tells someone with nothing to do so, kindly', async () => {
    const analyst = await createUser(ctx, ['analyst'], {
      organisationId: await world.organisation('research', 'other'),
    });
    for (const width of [1366, 390]) {
      const p = await harness.newPage(width, 900);
      await harness.signInWithoutMfa(p, analyst);
      await p.getByText('Nothing is waiting for you right now.', { exact: false }).waitFor();
      await harness.expectAccessible(p);
      await p.screenshot({ path: `/tmp/mywork-empty-${width}.png`, fullPage: true });
    }
  });
});
