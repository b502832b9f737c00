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
 * Privacy requests (Privacy Act 2020, IPP 6) in the browser: a privacy officer asks for
 * everything Tiaki holds about one child, by a referral reference with the child's family name and
 * a reason; an auditor approves; the officer downloads the file, with nothing about another child.
 * Someone without the permission sees no link and cannot open the page.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('privacy requests in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const harness = new BrowserHarness();
  let officer: TestUser;
  let auditor: TestUser;
  let analyst: TestUser;
  let supervisor: TestUser;
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
    auditor = await createUser(ctx, ['auditor']);
    analyst = await createUser(ctx, ['analyst']);
    // A supervisor of another lead agency: on no case, so reaches one only by break-glass.
    supervisor = await createUser(ctx, ['supervisor']);
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await app.close();
    await ctx.close();
  });

  it("lets a privacy officer download a child's file once an auditor approves, and explains an unknown one", async () => {
    const p = await harness.newPage();
    await harness.signInWithMfaEnrolment(p, officer);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy requests' }).click();
    await p.getByRole('heading', { level: 1, name: 'Privacy requests' }).waitFor();
    await harness.expectAccessible(p);
    const field = p.getByLabel('Referral or case reference');
    const ask = p.getByRole('button', { name: 'Ask for the file' });

    // Nothing entered: each field says what is missing.
    await ask.click();
    await p.getByText('Error: Enter the referral or case reference.').waitFor();
    await p.getByText("Error: Enter the child's date of birth or family name.").waitFor();
    await p.getByText('Error: Say who asked and why, in at least 20 characters.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    // A reference nobody has, or a real one with the wrong child: the same plain message.
    await p.getByLabel("Child's family name").fill('Synthetic-Privacytest');
    await p
      .getByLabel('Why the file is needed')
      .fill('Synthetic: the child’s whānau asked in writing on 1 July');
    await field.fill('TKI-2026-999999');
    await ask.click();
    const notFound =
      'No referral or case with that reference holds a child with that date of birth or family name.';
    await p.getByRole('alert').getByText(notFound, { exact: false }).waitFor();
    await harness.expectAccessible(p);

    // The child's referral reference (typed in lower case): a request waiting for a second person.
    await field.fill(mine.referral.toLowerCase());
    await ask.click();
    await p
      .getByRole('status')
      .getByText(`Your request for ${mine.referral} has been sent`, { exact: false })
      .waitFor();
    const row = p.getByRole('row').filter({ hasText: mine.referral });
    await row.getByText('Waiting for a second privacy officer or an auditor.').waitFor();
    expect(await row.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Download the file' }).count()).toBe(0);
    await harness.expectAccessible(p);

    // The auditor approves it on the same page.
    const a = await harness.newPage();
    await harness.signInWithMfaEnrolment(a, auditor);
    await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy requests' }).click();
    expect(await a.getByLabel('Referral or case reference').count()).toBe(0);
    const waiting = a.getByRole('row').filter({ hasText: mine.referral });
    await waiting.getByText('Synthetic: the child’s whānau asked in writing on 1 July').waitFor();
    await harness.expectAccessible(a);
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await a
      .getByRole('status')
      .getByText(`Approved: the privacy officer who asked for ${mine.referral}`, { exact: false })
      .waitFor();

    // The officer downloads one HTML file, named without the child.
    await p.reload();
    const saved = p.waitForEvent('download');
    await p.getByRole('link', { name: 'Download the file' }).click();
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
    const refused = await api.post('/api/privacy-requests', {
      reference: mine.referral,
      familyName: 'Synthetic-Privacytest',
      reason: 'Synthetic: the child’s whānau asked in writing on 1 July',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('forbidden');
    expect(refused.body).not.toContain('Mereana');

    // The 401s are the session checks before each person signs in; the 404 is the unknown reference.
    expect(harness.consoleErrors.filter((e) => !e.includes('401') && !e.includes('404'))).toEqual([]);
  });
  it('opens a case by break-glass only with the child’s family name beside the reference; a wrong one answers as an unknown reference', async () => {
    const p = await harness.newPage();
    await harness.signInWithMfaEnrolment(p, supervisor);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Emergency access' }).click();
    await p.getByRole('heading', { level: 1, name: 'Emergency access' }).waitFor();
    const open = p.getByRole('button', { name: 'Open the case in an emergency' });
    await p.getByLabel('Case reference or id').fill(mine.case);
    await p
      .getByLabel('Why you need to see this case now')
      .fill('Synthetic: the child is missing tonight and the Police need whānau contacts.');

    // The reference alone is not enough.
    await open.click();
    await p
      .getByText("Error: Give the child's date of birth or family name beside the case reference.")
      .waitFor();
    await harness.expectAccessible(p);

    // A wrong family name answers as an unknown reference would, and opens nothing.
    await p.getByLabel("The child's family name").fill('Smith');
    await open.click();
    const notFound =
      "No case with this reference holds a child with that date of birth or family name. Check both, or ask the case's lead.";
    await p.getByText(`Error: ${notFound}`).first().waitFor();
    await p.getByLabel('Case reference or id').fill('CASE-2026-999999');
    await open.click();
    await p.getByText(`Error: ${notFound}`).first().waitFor();
    expect(p.url()).toMatch(/\/break-glass$/);
    await harness.expectAccessible(p);

    // The right one, typed in small letters, opens the case read-only for a limited time.
    await p.getByLabel('Case reference or id').fill(mine.case);
    await p.getByLabel("The child's family name").fill('synthetic-privacytest');
    await open.click();
    await p.getByRole('heading', { level: 1, name: `Case ${mine.case}` }).waitFor();
    await p.getByText('You are seeing this case through emergency access (break-glass).').waitFor();
    const misses = await ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'break_glass.not_matched')
      .where('actor_user_id', '=', supervisor.id)
      .execute();
    expect(misses).toHaveLength(2);
  });
});
