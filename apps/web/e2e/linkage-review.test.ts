import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ReferralInput } from '@tiaki/domain';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { CaseWorld } from '../../server/test/cases.ts';
import {
  buildTestApp,
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';
import { JOB_HANDLERS } from '../../server/src/modules/jobs/handlers.ts';
import { JobWorker } from '../../server/src/modules/jobs/queue.ts';

/**
 * Record-linkage review: Tiaki suggests children already known, with why; a person decides.
 * The triage officer adds a referral to the right child's case and sets a wrong suggestion aside;
 * a caseworker merges two cases of the same child and undoes it. Nothing is lost either way.
 *
 * Hemi Smith is Ngāire's twin brother: same family name and date of birth, so Tiaki shows him
 * for checking, and the triage officer says he is not the same child.
 *
 * The referrals arrive through the API (CaseWorld); the decisions are made in Chromium.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('record-linkage review, in Chromium', () => {
  let ctx: TestContext;
  let world: CaseWorld;
  const harness = new BrowserHarness();
  let triage: TestUser;
  let outsideTriage: TestUser;
  let caseworker: TestUser;
  let decisionMaker: TestUser;
  const known = { caseId: '', reference: '' };
  const refs = { similar: '', different: '', asked: '' };
  const pages: Record<'triage' | 'outsideTriage' | 'caseworker' | 'lead', Page | null> = {
    triage: null,
    outsideTriage: null,
    caseworker: null,
    lead: null,
  };
  const concern = { concern: { date: '2026-07-01', region: '09' } };
  const ngaire: Partial<ReferralInput['child']> = {
    givenNames: 'Ngāire',
    familyName: 'Smith',
    aliases: [],
    dateOfBirth: '2011-05-02',
  };

  /** A case opened through the API, led by the caseworker who signs in to the browser. */
  const openCase = async (child: Partial<ReferralInput['child']>) => {
    const ack = await world.submitReferral(concern, child);
    const officer = await world.triage();
    const res = await officer.client.post(`/api/triage/referrals/${ack.id}/open-case`, {
      version: await world.referralVersion(ack.id),
      caseworkerId: caseworker.id,
    });
    if (res.statusCode !== 201) throw new Error(`open case refused: ${res.body}`);
    return res.json<{ caseId: string; reference: string }>();
  };

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    const lead = (await createOrganisation(ctx, 'lead_agency', 'Lead Agency (test)')).id;
    const police = (await createOrganisation(ctx, 'police', 'Wellington Police (test)')).id;
    triage = await createUser(ctx, ['triage'], { organisationId: lead });
    outsideTriage = await createUser(ctx, ['triage'], { organisationId: lead });
    caseworker = await createUser(ctx, ['caseworker'], { organisationId: lead });
    // A decision maker of the lead agency: one of the case's leads, who decides attach requests.
    decisionMaker = await createUser(ctx, ['decision_maker'], { organisationId: lead });

    world = new CaseWorld(ctx, await buildTestApp(ctx));
    world.organisations.set('lead', lead);
    world.organisations.set('police', police);
    Object.assign(known, await openCase(ngaire));
    // The officer in the browser is on Ngāire's case team, so may see who she is; the other
    // triage officer is not.
    await ctx.db
      .insertInto('case_member')
      .values({ case_id: known.caseId, user_id: triage.id, team_role: 'triage', added_by_user_id: triage.id })
      .execute();
    refs.similar = (
      await world.submitReferral(concern, { ...ngaire, givenNames: 'Ngaire', familyName: 'Smyth' })
    ).reference;
    // The referral the officer not on the case asks the case's lead about.
    refs.asked = (
      await world.submitReferral(concern, { ...ngaire, givenNames: 'Ngaire', aliases: ['Nga'] })
    ).reference;
    refs.different = (
      await world.submitReferral(concern, {
        givenNames: 'Hemi',
        familyName: 'Smith',
        aliases: [],
        dateOfBirth: '2011-05-02',
      })
    ).reference;
    // The background job that scores each new referral against the children already known.
    await new JobWorker(ctx, JOB_HANDLERS).runDue();
  });

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const signIn = async (who: keyof typeof pages, user: TestUser) => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, user);
    pages[who] = page;
    return page;
  };
  const success = (p: Page, text: string | RegExp) =>
    p.locator('.alert-success').filter({ hasText: text }).first().waitFor();

  const openReferral = async (p: Page, reference: string) => {
    await p.goto(new URL('/triage', p.url()).href);
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    await p.getByRole('link', { name: reference }).click();
    await p.getByRole('heading', { level: 1, name: `Triage referral ${reference}` }).waitFor();
    return p.getByRole('region', { name: 'Children already known who may be the same' });
  };

  it('a triage officer not on the case sees that there may be a match, but not who or which case', async () => {
    const p = await signIn('outsideTriage', outsideTriage);
    const candidates = await openReferral(p, refs.asked);
    const candidate = candidates.getByRole('listitem').first();
    await candidate.getByRole('heading', { name: 'Possible match on a case you are not on' }).waitFor();
    await candidate.getByText(/ask the case's lead or a decision maker/).waitFor();
    await candidate.getByText(/^Very likely the same child \(\d+%\)$/).waitFor();
    const why = candidate.getByRole('table', {
      name: 'Why Tiaki suggests this child (a case you are not on)',
    });
    await why
      .getByRole('row', { name: /Date of birth/ })
      .getByText('exact', { exact: true })
      .waitFor();
    const text = await candidates.innerText();
    for (const secret of ['Ngāire', known.reference, '2011']) expect(text).not.toContain(secret);
    // No way to add the referral to a case the officer cannot see: only asking the case's lead.
    const buttons = candidate.getByRole('button');
    await expect(buttons.allInnerTexts()).resolves.toEqual(["Ask the case's lead to add this referral"]);
    await harness.expectAccessible(p);
    await buttons.click();
    await candidate.getByText(/^Asked\. The case's lead will check/).waitFor();
    await expect(candidate.getByRole('button').count()).resolves.toBe(0);
    await p.close();
  });

  it('triage sees why a child already known is suggested, and adds the referral to their case', async () => {
    const p = await signIn('triage', triage);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Triage' }).click();
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    await p
      .getByRole('row', { name: new RegExp(refs.similar) })
      .getByText(/possible match/i)
      .waitFor();

    const candidates = await openReferral(p, refs.similar);
    const candidate = candidates.getByRole('listitem').filter({ hasText: known.reference });
    await candidate.getByRole('heading', { name: `Ngāire Smith (${known.reference})` }).waitFor();
    await candidate.getByText(/^Very likely the same child \(\d+%\)$/).waitFor();
    await candidates
      .getByText('Tiaki suggests; you decide. A decision can be reviewed and reversed.')
      .waitFor();
    const why = candidate.getByRole('table', { name: `Why Tiaki suggests this child (${known.reference})` });
    await why.getByRole('columnheader', { name: 'How they compare' }).waitFor();
    const rows = why.getByRole('row');
    // One row per detail compared, and the date of birth agrees exactly.
    expect(await rows.count()).toBeGreaterThan(2);
    await why
      .getByRole('row', { name: /Date of birth/ })
      .getByText('exact', { exact: true })
      .waitFor();
    await why
      .getByRole('row', { name: /Date of birth/ })
      .getByText(/evidence for the same child/)
      .waitFor();
    await why
      .getByRole('cell', { name: /^(exact|sounds alike|very similar spelling|similar spelling)$/ })
      .first()
      .waitFor();
    // Plain words: how a detail compares never names the measure behind it.
    await expect(candidates.getByText(/Jaro|Winkler/).count()).resolves.toBe(0);
    // At most a handful, above a threshold the officer is told.
    await candidates
      .getByText(/shows at most 5 children already known, most likely first, each at least 10%/)
      .waitFor();
    expect(await candidates.locator('li.candidate').count()).toBeLessThanOrEqual(5);
    // The incoming referral beside the child already known, detail by detail.
    const compare = candidate.getByRole('table', { name: /beside the child already known/ });
    const born = compare.getByRole('row', { name: /Date of birth/ });
    await born.getByRole('cell', { name: '2 May 2011' }).first().waitFor();
    await born.getByText('Same', { exact: true }).waitFor();
    await harness.expectAccessible(p);

    // On a phone the comparison stacks, each detail under its column's names: the page does not
    // scroll sideways (a candidate grew 657 px past a 390 px screen), nor does either table.
    await p.setViewportSize({ width: 390, height: 844 });
    await expect(
      born
        .locator('td')
        .first()
        .evaluate((el) => getComputedStyle(el).display),
    ).resolves.toBe('block');
    await expect(born.locator('td').last().getAttribute('data-label')).resolves.toBe('Same or different?');
    const overflow = await p.evaluate(() =>
      [document.documentElement, ...Array.from(document.querySelectorAll('.candidate .table-wrap'))].map(
        (el) => el.scrollWidth - el.clientWidth,
      ),
    );
    expect(overflow.length).toBeGreaterThan(2);
    expect(Math.max(...overflow)).toBeLessThanOrEqual(0);
    await harness.expectAccessible(p);
    await p.setViewportSize({ width: 1280, height: 900 });

    await candidate.getByRole('button', { name: 'Same child: add to this case' }).click();
    await candidate.getByRole('button', { name: 'Confirm' }).click();
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    await success(p, `The referral has been added to case ${known.reference}.`);
    await p.getByRole('row', { name: new RegExp(refs.different) }).waitFor();
    await expect(p.getByRole('row', { name: new RegExp(refs.similar) }).count()).resolves.toBe(0);
  });

  it('triage sets aside a suggestion that is not the same child', async () => {
    const p = pages.triage;
    if (!p) throw new Error('triage has not signed in');
    const candidates = await openReferral(p, refs.different);
    const candidate = candidates.getByRole('listitem').filter({ hasText: known.reference });
    await candidate.getByRole('heading', { name: new RegExp(`\\(${known.reference}\\)`) }).waitFor();
    await candidate.getByText(/^Possibly the same child \(\d+%\)$/).waitFor();
    const why = candidate.getByRole('table', { name: /Why Tiaki suggests this child/ });
    const given = why.getByRole('row', { name: /Given name/ });
    await given.getByText('different', { exact: true }).waitFor();
    await given.getByText(/evidence against/i).waitFor();
    // Side by side, the given names that differ are marked in words (and colour).
    const compare = candidate.getByRole('table', { name: /beside the child already known/ });
    const givenNames = compare.getByRole('row', { name: /Given names/ });
    await givenNames.getByText('Different: check this').waitFor();
    await expect(givenNames.evaluate((row) => row.classList.contains('match-differs'))).resolves.toBe(true);
    await compare
      .getByRole('row', { name: /Family name/ })
      .getByText('Same', { exact: true })
      .waitFor();

    await candidate.getByRole('button', { name: 'Not the same child' }).click();
    const step = candidate.getByRole('group', { name: /not the same child as case/ });
    await step
      .getByLabel('Why is it not the same child?')
      .fill('Different given name and date of birth; confirmed with the referrer.');
    await harness.expectAccessible(p);
    await step.getByRole('button', { name: 'Confirm' }).click();
    await success(p, `Recorded: case ${known.reference} is not the same child.`);
    await expect(
      candidates.getByRole('heading', { name: new RegExp(known.reference) }).count(),
    ).resolves.toBe(0);

    // It stays set aside: the suggestion is not made again for this referral.
    await p.reload();
    await p.getByRole('heading', { level: 1, name: `Triage referral ${refs.different}` }).waitFor();
    await p.getByRole('heading', { name: 'Children already known who may be the same' }).waitFor();
    await expect(p.getByRole('heading', { name: new RegExp(known.reference) }).count()).resolves.toBe(0);
  });

  it('a caseworker merges a second case of the same child, then undoes the merge', async () => {
    // A second case for the same child, opened before anyone noticed.
    const duplicate = await openCase({ ...ngaire, givenNames: 'Ngaire' });

    const p = await signIn('caseworker', caseworker);
    await p.goto(new URL(`/cases/${known.caseId}`, p.url()).href);
    await p.getByRole('heading', { level: 1, name: `Case ${known.reference}` }).waitFor();
    const section = p.getByRole('region', { name: 'Merged cases' });
    // The referral triage added is on the case, beside the first.
    await p.getByRole('table', { name: /2 referrals/ }).waitFor();
    await section.getByText('No case has been merged with this one.').waitFor();
    const form = section.getByRole('region', { name: 'Merge another case into this one' });
    await form.getByLabel('Case to merge into this one').selectOption(duplicate.caseId);
    await form
      .getByLabel('Why are these cases about the same child?')
      .fill('Same name and date of birth; the second referral was opened as a new case by mistake.');
    await form.getByRole('button', { name: 'Merge into this case' }).click();
    await form.getByText('Nothing is deleted, and the merge can be undone from this page.').waitFor();
    await form.getByRole('button', { name: 'Confirm' }).click();
    await success(p, `Case ${duplicate.reference} has been merged into case ${known.reference}.`);
    const row = section.getByRole('row', { name: new RegExp(duplicate.reference) });
    await row.getByText('In effect').waitFor();
    await p.getByRole('table', { name: /3 referrals/ }).waitFor();
    await harness.expectAccessible(p);

    // The merged case is closed, not gone: it says where its records went.
    await row.getByRole('link', { name: duplicate.reference }).click();
    await p.getByRole('heading', { level: 1, name: `Case ${duplicate.reference}` }).waitFor();
    await p.getByText(new RegExp(`^Merged into ${known.reference} on \\d+ \\w+ \\d{4}\\.$`)).waitFor();
    await harness.expectAccessible(p);
    await p.getByRole('link', { name: `Go to case ${known.reference}` }).click();
    await p.getByRole('heading', { level: 1, name: `Case ${known.reference}` }).waitFor();

    await section
      .getByRole('row', { name: new RegExp(duplicate.reference) })
      .getByRole('button', { name: 'Undo merge' })
      .click();
    const undo = section.getByRole('region', { name: /Undo the merge of/ });
    await undo
      .getByLabel('Why is the merge being undone?')
      .fill('The family confirmed these are two cousins, not one child.');
    await undo.getByRole('button', { name: 'Undo the merge' }).click();
    await success(p, `The merge has been undone. Case ${duplicate.reference} is open again`);
    await section
      .getByRole('row', { name: new RegExp(duplicate.reference) })
      .getByText(/^Undone on/)
      .waitFor();
    await p.getByRole('table', { name: /2 referrals/ }).waitFor();
    // The case is open again, so it can be chosen for a merge again.
    await form
      .getByLabel('Case to merge into this one')
      .locator(`option[value="${duplicate.caseId}"]`)
      .waitFor({ state: 'attached' });
    await harness.expectAccessible(p);

    await p.goto(new URL(`/cases/${duplicate.caseId}`, p.url()).href);
    await p.getByRole('heading', { level: 1, name: `Case ${duplicate.reference}` }).waitFor();
    await p.getByRole('region', { name: 'Summary' }).getByText('Open', { exact: true }).waitFor();
    await expect(p.getByText(/^Merged into/).count()).resolves.toBe(0);

    // The 401s are the session checks before each person signs in.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
  it("the case's lead finds the triage officer's request, compares, approves, and the referral joins the case", async () => {
    const p = await signIn('lead', decisionMaker);
    // From the home page's work: the request is waiting (references only, never the child).
    await p.goto(new URL('/', p.url()).href);
    const waiting = p.getByRole('link', {
      name: '1 request to add a referral to a case you lead is waiting for your decision',
    });
    await waiting.click();
    await p.getByRole('heading', { level: 1, name: 'Requests to add a referral to your cases' }).waitFor();
    const table = p.getByRole('table', { name: '1 request waiting for your decision' });
    const row = table.getByRole('row', { name: new RegExp(refs.asked) });
    await row.getByRole('cell', { name: `Add ${refs.asked} to ${known.reference}` }).waitFor();
    await row.getByText('Test Person').waitFor();
    await row.getByText('Lead Agency (test)').waitFor();
    await row.getByRole('link', { name: known.reference, exact: true }).waitFor();
    await harness.expectAccessible(p);
    for (const [width, height, name] of [
      [1366, 900, 'attach-requests-1366'],
      [390, 844, 'attach-requests-phone'],
    ] as const) {
      await p.setViewportSize({ width, height });
      await p.screenshot({ path: `/tmp/lead19-${name}.png`, fullPage: true });
      // Nothing wider than the screen: the page does not scroll sideways.
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    await p.setViewportSize({ width: 1280, height: 900 });

    // The notification leads here too.
    await p.goto(new URL('/notifications', p.url()).href);
    await p
      .getByRole('row', { name: new RegExp(`add referral ${refs.asked} to ${known.reference}`) })
      .getByRole('link')
      .click();
    await p.getByRole('heading', { level: 1, name: 'Requests to add a referral to your cases' }).waitFor();

    // The match in full, on the referral's triage page.
    await p.getByRole('link', { name: `Compare ${refs.asked} with the child on ${known.reference}` }).click();
    await p.getByRole('heading', { level: 1, name: `Triage referral ${refs.asked}` }).waitFor();
    await p
      .getByRole('region', { name: 'Children already known who may be the same' })
      .getByRole('heading', { name: `Ngāire Smith (${known.reference})` })
      .waitFor();
    await p.goBack();

    const again = p
      .getByRole('table', { name: '1 request waiting for your decision' })
      .getByRole('row', { name: new RegExp(refs.asked) });
    await again.getByRole('button', { name: 'Approve' }).click();
    const confirm = p.getByRole('group', { name: `Add referral ${refs.asked} to case ${known.reference}?` });
    await confirm.getByText(/Approve only if it is the same child/).waitFor();
    await harness.expectAccessible(p);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await success(
      p,
      `Referral ${refs.asked} has been added to case ${known.reference}. The officer who asked has been told.`,
    );
    await p.getByText('No requests to add a referral are waiting for you.').waitFor();
    await harness.expectAccessible(p);

    // The referral has joined the case: the case's referrals list shows it.
    await p.goto(new URL(`/cases/${known.caseId}`, p.url()).href);
    await p.getByRole('heading', { level: 1, name: `Case ${known.reference}` }).waitFor();
    await p
      .getByRole('table', { name: /3 referrals/ })
      .getByText(refs.asked)
      .waitFor();
    const joined = await ctx.db
      .selectFrom('referral')
      .select('case_id')
      .where('reference', '=', refs.asked)
      .executeTakeFirstOrThrow();
    expect(joined.case_id).toBe(known.caseId);
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
