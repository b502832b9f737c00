import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { createTestContext, createUser, type TestContext, type TestUser } from '../../server/test/harness.ts';

/**
 * The audit log for people, in the browser: an auditor finds what a named colleague did by typing
 * their name, choosing the action in words and a range of New Zealand days, sees the colleague's name, and downloads the
 * entries as CSV (the download is itself recorded). The home page promises only what each role can do.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('the audit log in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let auditor: TestUser;
  let officer: TestUser;
  let analyst: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    auditor = await createUser(ctx, ['auditor']);
    officer = await createUser(ctx, ['privacy_officer']);
    analyst = await createUser(ctx, ['analyst']);
    const colleague = await createUser(ctx, ['caseworker']);
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: 'Aroha Kaimahi' })
      .where('id', '=', colleague.id)
      .execute();
    const other = await createUser(ctx, ['caseworker']);
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: 'Hemi Tuhi' })
      .where('id', '=', other.id)
      .execute();
    // 23:30 on 1 March in New Zealand, and 00:30 on 2 March: only the first is on 1 March. Another
    // colleague viewed the case on 1 March too.
    for (const [at, by] of [
      ['2026-03-01T10:30:00Z', colleague],
      ['2026-03-01T11:30:00Z', colleague],
      ['2026-03-01T02:00:00Z', other],
    ] as const) {
      await ctx.db
        .insertInto('audit_event')
        .values({
          occurred_at: new Date(at),
          actor_user_id: by.id,
          actor_organisation_id: by.organisationId,
          action: 'case.viewed',
          subject_type: 'case',
          subject_id: '7e47a274-4892-47bd-8c0f-da5fb6b386d3',
          details: JSON.stringify({}),
          request_id: null,
        })
        .execute();
    }
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('lets an auditor find entries by action in words and New Zealand dates, see names, and download them', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, auditor);
    // No tile for something that does not exist.
    expect(await page.getByText('Coming soon').count()).toBe(0);
    expect(await page.getByText('Access reviews').count()).toBe(0);
    await page.getByText('check that the log has not been altered').waitFor();
    await harness.expectAccessible(page);

    await page.locator('.cards').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).waitFor();

    // A range that ends before it starts is refused, in words.
    await page.getByLabel('Action').selectOption({ label: 'Case viewed' });
    await page.locator('input[name="from"]').fill('2026-03-02');
    await page.locator('input[name="to"]').fill('2026-03-01');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.getByText('The end date must be on or after the start date.').first().waitFor();

    await page.locator('input[name="from"]').fill('2026-03-01');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.getByRole('heading', { name: 'Events matching the filter' }).waitFor();
    await page.getByText('2 events shown, newest first').waitFor();
    // The person is found by name, not by an id: part of it, in any case, will do.
    await page.getByLabel('Done by').fill('aroha');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.getByText('1 event shown, newest first').waitFor();
    const table = page.getByRole('table');
    await table.getByText('Aroha Kaimahi').waitFor();
    await table.getByText('Case viewed').waitFor();
    await harness.expectAccessible(page);
    // On a phone each entry is stacked, every cell under its column's name: nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await table.locator('td[data-label="Done by"]').first().waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    expect(
      await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth),
    ).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1366, height: 900 });
    // The filter is kept in the address: reloading (or a shared link) shows the same events.
    await page.waitForURL(/action=case\.viewed&from=2026-03-01&to=2026-03-01&actor=aroha/);
    await page.reload();
    await page.getByText('1 event shown, newest first').waitFor();
    expect(await page.locator('input[name="from"]').inputValue()).toBe('2026-03-01');
    expect(await page.getByLabel('Done by').inputValue()).toBe('aroha');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const rows = csv.split('\r\n').filter((line) => line !== '' && !line.startsWith('# '));
    expect(rows[0]).toMatch(/^Entry,Time \(New Zealand\),What happened,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('2026-03-01 23:30:00,Case viewed,case.viewed,Aroha Kaimahi');
    const exported = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'audit.exported')
      .where('actor_user_id', '=', auditor.id)
      .execute();
    expect(exported).toHaveLength(1);
    expect(exported[0]!.details).toMatchObject({
      rows: 1,
      filter: { from: '2026-03-01', to: '2026-03-01', actor: 'aroha' },
    });
  });

  it('promises a privacy officer only what they can do, and shows an analyst no audit log', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, officer);
    expect(await page.getByText('check that the log has not been altered').count()).toBe(0);
    await page.getByText('find entries by what happened and by date, and download them').waitFor();
    await harness.expectAccessible(page);
    await page.locator('.cards').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('link', { name: 'Download CSV' }).waitFor();
    expect(await page.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);
    await harness.expectAccessible(page);

    const other = await harness.newPage();
    await harness.signInWithoutMfa(other, analyst);
    expect(await other.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
  });
});
