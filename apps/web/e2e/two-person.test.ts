import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { createTestContext, createUser, type TestContext, type TestUser } from '../../server/test/harness.ts';

/**
 * The two-person rule on the Users page (issue 19, finding 2): an administrator who creates a
 * decision maker sees that the role waits for a second administrator, cannot approve it
 * themselves, and a second administrator approves it on the same page.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('two administrators in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let first: TestUser;
  let second: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    await harness.start(ctx);
    first = await createUser(ctx, ['administrator']);
    second = await createUser(ctx, ['administrator']);
  }, 180_000);
  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('shows a decision maker waiting for a second administrator, who approves it', async () => {
    const p = await harness.newPage();
    await harness.signInWithMfaEnrolment(p, first);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await p.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await p.getByText('Nothing is waiting for a second administrator.').waitFor();
    await p.getByRole('button', { name: 'Add a user' }).click();
    await p.getByLabel('Email', { exact: true }).fill('invented.decider@example.test');
    await p.getByLabel('Name', { exact: true }).fill('Invented Decider');
    await p.getByLabel('Organisation').selectOption({ index: 1 });
    await p.getByRole('checkbox', { name: /^Decision maker/ }).check();
    await p.getByRole('button', { name: 'Create account' }).click();
    await p
      .getByText(
        "Waiting for a second administrator to approve the roles Decision maker. Until then this account cannot see any child's details.",
      )
      .waitFor();
    await harness.expectAccessible(p);
    await p.getByRole('button', { name: 'Done' }).click();

    // The list says so too, and the one who asked cannot approve.
    const request = p
      .getByRole('region', { name: /change waiting/ })
      .getByRole('row')
      .filter({
        hasText: 'Invented Decider',
      });
    await request.getByText('You asked for this. Another administrator must approve it.').waitFor();
    expect(await request.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const account = p
      .getByRole('region', { name: /user account/ })
      .getByRole('row')
      .filter({
        hasText: 'invented.decider@example.test',
      });
    await account.getByText('Waiting for a second administrator').waitFor();
    await harness.expectAccessible(p);

    // The second administrator approves it.
    const q = await harness.newPage();
    await harness.signInWithMfaEnrolment(q, second);
    await q.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const waiting = q
      .getByRole('region', { name: /change waiting/ })
      .getByRole('row')
      .filter({ hasText: 'Give the roles: Decision maker' });
    await waiting.getByText('Invented Decider').waitFor();
    await harness.expectAccessible(q);
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await q
      .getByRole('status')
      .getByText('Approved: Give the roles: Decision maker for Invented Decider.')
      .waitFor();
    await q.getByText('Nothing is waiting for a second administrator.').waitFor();
    const granted = await ctx.db
      .selectFrom('role_assignment as r')
      .innerJoin('app_user as u', 'u.id', 'r.user_id')
      .select('r.role')
      .where('u.email', '=', 'invented.decider@example.test')
      .execute();
    expect(granted.map((r) => r.role)).toEqual(['decision_maker']);
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
