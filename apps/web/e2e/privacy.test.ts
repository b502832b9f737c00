import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { CaseWorld } from '../../server/test/cases.ts';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';

/**
 * Privacy requests (Privacy Act 2020, IPP 6) in the browser: a privacy officer downloads
 * everything Tiaki holds about one child, by a referral reference, and nothing about another
 * child. Someone without the permission sees no link and cannot open the page.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('privacy requests in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const harness = new BrowserHarness();
  let officer: TestUser;
  let analyst: TestUser;
  const mine = { referral: '', case: '' };
  let otherReferral = '';

  const referenceOf = async (id: string) =>
    (await ctx.db.selectFrom('referral').select('reference').where('id', '=', id).executeTakeFirstOrThrow())
      .reference;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    app = await buildTestApp(ctx);
    const world = new CaseWorld(ctx, app);
    const opened = await world.openCase(
      {
        concern: { date: '2026-07-01', region: '09' },
        narrative: 'Synthetic narrative: Mereana was seen near the motel on Great South Road.',
      },
      { givenNames: 'Mereana', familyName: 'Synthetic-Privacytest' },
    );
    mine.referral = await referenceOf(opened.referralId);
    mine.case = opened.reference;
    const other = await world.submitReferral(
      {
        concern: { date: '2026-07-02', region: '02' },
        narrative: 'Synthetic narrative: Wiremu was approached online.',
      },
      { givenNames: 'Wiremu', familyName: 'Synthetic-Otherchild' },
    );
    otherReferral = await referenceOf(other.id);
    officer = await createUser(ctx, ['privacy_officer']);
    analyst = await createUser(ctx, ['analyst']);
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await app.close();
    await ctx.close();
  });

  it("lets a privacy officer download a child's file by referral reference, and explains an unknown one", async () => {
    const p = await harness.newPage();
    await harness.signInWithMfaEnrolment(p, officer);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy requests' }).click();
    await p.getByRole('heading', { level: 1, name: 'Privacy requests' }).waitFor();
    await harness.expectAccessible(p);
    const field = p.getByLabel('Referral or case reference');
    const download = p.getByRole('button', { name: 'Download the file' });

    // Nothing entered: the field says what is missing.
    await download.click();
    await p.getByText('Error: Enter the referral or case reference.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    // A reference nobody has: a plain message, tied to the field.
    await field.fill('TKI-2026-999999');
    await download.click();
    await p
      .getByText('Error: No referral or case has that reference. Check the reference and try again.')
      .waitFor();
    await p
      .getByRole('alert')
      .getByText('No referral or case has that reference.', { exact: false })
      .waitFor();
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await p.locator(`[id="${describedBy.split(' ').at(-1) ?? ''}"]`).textContent()).toContain(
      'No referral or case has that reference',
    );
    await harness.expectAccessible(p);

    // The child's referral reference (typed in lower case): one HTML file, named without the child.
    await field.fill(mine.referral.toLowerCase());
    const saved = p.waitForEvent('download');
    await download.click();
    const file = await saved;
    expect(file.suggestedFilename()).toMatch(/^privacy-request-[0-9a-f]{8}\.html$/);
    expect(file.suggestedFilename()).not.toMatch(/Mereana|Privacytest/i);
    const html = await readFile(await file.path(), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(mine.referral);
    expect(html).toContain(mine.case);
    expect(html).toContain('Mereana');
    expect(html).not.toContain(otherReferral);
    expect(html).not.toContain('Wiremu');
    expect(html).not.toContain('Synthetic-Otherchild');
    await p
      .getByRole('status')
      .getByText(`The file for ${mine.referral} has been downloaded`, { exact: false })
      .waitFor();
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    await harness.expectAccessible(p);

    // The case reference finds the same child.
    await field.fill(mine.case);
    const byCase = p.waitForEvent('download');
    await download.click();
    const caseHtml = await readFile(await (await byCase).path(), 'utf8');
    expect(caseHtml).toContain(mine.referral);
    expect(caseHtml).not.toContain(otherReferral);
  });

  it('shows someone without the permission no link, and the not-permitted page at the address', async () => {
    const p = await harness.newPage();
    await harness.signInWithoutMfa(p, analyst);
    const nav = p.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Home' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Privacy requests' }).count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Privacy requests' }).count()).toBe(0);

    await p.goto(`${harness.server.url}/privacy-requests`);
    await p.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    expect(await p.getByLabel('Referral or case reference').count()).toBe(0);
    await harness.expectAccessible(p);

    // Nor does the server give the file to them.
    const api = new Client(app);
    await api.signIn(analyst.email, analyst.password);
    const refused = await api.post('/api/privacy-requests', { reference: mine.referral });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('forbidden');
    expect(refused.body).not.toContain('Mereana');

    // The 401s are the session checks before each person signs in; the 404 is the unknown reference.
    expect(harness.consoleErrors.filter((e) => !e.includes('401') && !e.includes('404'))).toEqual([]);
  });
});
