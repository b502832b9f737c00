import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CURRENT_TAXONOMY } from '@tiaki/domain';
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

/**
 * One child, from referral to closure: triage opens a case, a reasonable-grounds decision whose
 * five working days skip Matariki (Friday 10 July 2026), a service referral that the provider
 * accepts under its own sign-in, a case conference, the conclusive-grounds decision after the
 * recovery period, and closure. Each person works in a browser of their own.
 *
 * The referral itself arrives through the API: recording one in the browser is referral.test.ts.
 */
const NARRATIVE = 'Synthetic narrative: seen at the motel on Kent Terrace late at night with older men.';
const CHILD_VIEWS = 'Synthetic view: says she is fine and wants to go home.';

describe.skipIf(!hasChromium || !hasWebBuild)('one child from referral to closure, in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  const ids = { lead: '', police: '', shelter: '' };
  let triage: TestUser;
  let decider: TestUser;
  let caseworker: TestUser;
  let provider: TestUser;
  let referralReference = '';
  let referralId = '';
  let caseReference = '';
  let caseUrl = '';
  const pages: Record<'triage' | 'decider' | 'caseworker' | 'provider', Page | null> = {
    triage: null,
    decider: null,
    caseworker: null,
    provider: null,
  };
  const basis = CURRENT_TAXONOMY.lawfulBases[0]?.code ?? '';

  beforeAll(async () => {
    // Friday 3 July 2026: the Friday before Matariki.
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    ids.lead = (await createOrganisation(ctx, 'lead_agency', 'Lead Agency (test)')).id;
    ids.police = (await createOrganisation(ctx, 'police', 'Wellington Police (test)')).id;
    ids.shelter = (await createOrganisation(ctx, 'ngo', 'Whare Haumaru Shelter (test)')).id;
    triage = await createUser(ctx, ['triage'], { organisationId: ids.lead });
    decider = await createUser(ctx, ['decision_maker'], { organisationId: ids.lead });
    caseworker = await createUser(ctx, ['caseworker'], { organisationId: ids.lead });
    provider = await createUser(ctx, ['service_provider'], { organisationId: ids.shelter });

    // Through the API: a child already known (another case), then the new referral.
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    world.organisations.set('lead', ids.lead);
    world.organisations.set('police', ids.police);
    const child = { givenNames: 'Aroha', familyName: 'Testchild', aliases: [] };
    const known = await world.openCase(
      { concern: { date: '2026-07-01', region: '09' } },
      { ...child, dateOfBirth: '2009-01-20' },
    );
    // The triage officer in the browser is on that case's team, so may see who the known child is
    // (an officer who is not sees the match withheld: apps/web/e2e/linkage-review.test.ts).
    await ctx.db
      .insertInto('case_member')
      .values({ case_id: known.caseId, user_id: triage.id, team_role: 'triage', added_by_user_id: triage.id })
      .execute();
    const ack = await world.submitReferral(
      { concern: { date: '2026-07-02', region: '09' }, narrative: NARRATIVE, childViews: CHILD_VIEWS },
      { ...child, dateOfBirth: '2012-05-01' },
    );
    referralReference = ack.reference;
    referralId = ack.id;
  });

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  const signIn = async (who: keyof typeof pages, user: TestUser, width?: number) => {
    const page = await harness.newPage(width);
    await harness.signInWithMfaEnrolment(page, user);
    pages[who] = page;
    return page;
  };
  const page = (who: keyof typeof pages): Page => {
    const found = pages[who];
    if (!found) throw new Error(`${who} has not signed in`);
    return found;
  };
  const success = (p: Page, text: string | RegExp) =>
    p.locator('.alert-success').filter({ hasText: text }).first().waitFor();

  it('triage finds the referral in the queue, checks children already known, and opens a case', async () => {
    const p = await signIn('triage', triage);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Triage' }).click();
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    const row = p.getByRole('row', { name: new RegExp(referralReference) });
    await row.getByText('Wellington', { exact: true }).waitFor();
    await row.getByText('13 July 2026').waitFor();
    // Who referred is a low-priority column: in the row, shown from 1680 px and stacked on phones.
    await row.getByText('Wellington Police (test)').waitFor({ state: 'attached' });
    await harness.expectAccessible(p);

    await p.getByLabel(`Choose ${referralReference}`).check();
    await p.getByRole('button', { name: 'Assign', exact: true }).click();
    await success(p, '1 referral is now assigned to you.');
    await p
      .getByRole('row', { name: new RegExp(referralReference) })
      .getByText('You')
      .waitFor();

    await p.getByRole('link', { name: referralReference }).click();
    await p.getByRole('heading', { level: 1, name: `Triage referral ${referralReference}` }).waitFor();
    const known = p.getByRole('region', { name: 'Children already known who may be the same' });
    await known.getByRole('heading', { name: /Aroha Testchild \(CASE-2026-\d{6}\)/ }).waitFor();
    const why = known.getByRole('table', { name: /Why Tiaki suggests this child/ });
    await why
      .getByRole('row', { name: /Given name/ })
      .getByText('exact', { exact: true })
      .waitFor();
    await known.getByText(/the same child.*\(\d+%\)/).waitFor();
    await known.getByRole('button', { name: 'Same child: add to this case' }).waitFor();
    await p.getByText('Staying with an aunt in Ōtāhuhu').waitFor();
    await harness.expectAccessible(p);

    // A different date of birth: not the same child. Open a new case, led by the caseworker.
    await known.getByLabel('Lead caseworker').selectOption(caseworker.id);
    await known.getByRole('button', { name: 'Open a new case' }).click();
    await known.getByRole('button', { name: 'Confirm' }).click();
    const heading = p.getByRole('heading', { level: 1, name: /^Case CASE-2026-\d{6}$/ });
    await heading.waitFor();
    caseReference = (await heading.textContent())?.replace('Case ', '') ?? '';
    caseUrl = p.url();
    await success(p, `Case ${caseReference} has been opened.`);
  });

  it('the decision maker sees the reasonable-grounds deadline skip Matariki, and decides', async () => {
    const p = await signIn('decider', decider);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
    await p.getByRole('heading', { level: 1, name: 'Decisions board' }).waitFor();
    const row = p.getByRole('row', { name: new RegExp(caseReference) });
    await row.getByText('Reasonable-grounds decision').waitFor();
    await row.getByText('13 July 2026').waitFor();
    await harness.expectAccessible(p);

    await row.getByRole('link', { name: caseReference }).click();
    await p.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    const decisions = p.getByRole('region', { name: 'Identification decisions' });
    const rg = decisions.getByRole('article', { name: /Reasonable-grounds decision/ });
    await rg.getByText('Due 13 July 2026 (5 working days; skips Matariki 10 July)').waitFor();
    await harness.expectAccessible(p);

    await rg
      .getByLabel('There are reasonable grounds to believe the child is a victim of sexual exploitation')
      .check();
    await rg
      .getByLabel('Reasons for the decision')
      .fill('The indicators and the Police report together meet the threshold.');
    await rg.getByLabel('Evidence relied on').fill('Police file P0123456789');

    // The evidence is beside the form: what the referral says, the signs seen, who referred.
    const evidence = rg.getByRole('complementary', { name: 'The evidence: what the referrals say' });
    await evidence
      .getByText(new RegExp(`Referral ${referralReference} from Wellington Police \\(test\\)`))
      .waitFor();
    await evidence.getByText(NARRATIVE).waitFor();
    await evidence
      .getByRole('link', { name: `Open referral ${referralReference} on its own page` })
      .waitFor();

    // Recording asks first, and says what will happen; Cancel saves nothing.
    await rg.getByRole('button', { name: 'Record the decision' }).click();
    const confirm = rg.getByRole('group', { name: /^Record this decision: “There are reasonable grounds/ });
    await confirm.getByText(/cannot be changed afterwards/).waitFor();
    await confirm.getByText(/The recovery period starts today/).waitFor();
    await harness.expectAccessible(p);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm.count()).resolves.toBe(0);
    await p.getByText('Waiting for the reasonable-grounds decision').waitFor();
    await rg.getByRole('button', { name: 'Record the decision' }).click();
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await success(p, 'Decision recorded: Reasonable-grounds decision.');
    const cg = decisions.getByRole('article', { name: /Conclusive-grounds decision/ });
    await cg.getByText('2 August 2026, when the recovery period ends', { exact: true }).waitFor();
    // Not open before the recovery period ends: no form to fill in, and the day it opens.
    await cg.getByRole('heading', { name: 'Record the decision: not open yet' }).waitFor();
    await cg.getByText(/The form opens on 2 August 2026/).waitFor();
    await expect(cg.getByRole('button', { name: 'Record the decision' }).count()).resolves.toBe(0);
    await expect(cg.getByLabel('Reasons for the decision').count()).resolves.toBe(0);
    await p.getByText('Reasonable grounds found: waiting for the conclusive-grounds decision').waitFor();
  });

  it('the provider lists its service, the caseworker refers the child, and the provider accepts', async () => {
    const sp = await signIn('provider', provider);
    await sp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
    await sp.getByRole('button', { name: 'Add a service' }).click();
    const form = sp.getByRole('region', { name: 'Add a service' });
    await form.getByLabel('Name of the service').fill('Rangatahi Counselling (test)');
    await form.getByRole('checkbox', { name: 'Counselling', exact: true }).check();
    await form.getByRole('checkbox', { name: /^Wellington/ }).check();
    await form.getByRole('button', { name: 'Add service' }).click();
    await success(sp, 'Rangatahi Counselling (test) has been added to the directory.');

    // The case was opened at 00:30 on 3 July in New Zealand (12:30 on 2 July UTC): the browser
    // runs in UTC, and every date shown is New Zealand's.
    const caseId = caseUrl.split('/').at(-1) ?? '';
    const justAfterMidnight = new Date('2026-07-02T12:30:00Z');
    await ctx.db
      .updateTable('case_organisation')
      .set({ added_at: justAfterMidnight })
      .where('case_id', '=', caseId)
      .execute();
    await ctx.db
      .updateTable('case_event')
      .set({ occurred_at: justAfterMidnight })
      .where('case_id', '=', caseId)
      .where('kind', '=', 'case.opened')
      .execute();

    const cw = await signIn('caseworker', caseworker);
    await cw.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await cw.getByRole('link', { name: caseReference }).click();
    await cw.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    expect(await cw.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).not.toBe(
      'Pacific/Auckland',
    );
    await cw.getByText('On the team since 3 July 2026').waitFor();
    await expect(cw.getByText('On the team since 2 July 2026').count()).resolves.toBe(0);
    const opened = cw
      .getByRole('region', { name: 'Timeline' })
      .getByRole('listitem')
      .filter({ hasText: `Case ${caseReference} was opened` });
    await opened.getByText(/^3 Jul 2026, 12:30\s?am$/i).waitFor();

    // The timeline names the referrer as the one who sent the referral, not the triage officer.
    const received = cw
      .getByRole('region', { name: 'Timeline' })
      .getByRole('listitem')
      .filter({ hasText: `Referral ${referralReference} was received.` });
    await received.getByText(/Wellington Police \(test\)/).waitFor();
    await expect(received.getByText(/Lead Agency \(test\)/).count()).resolves.toBe(0);

    // The case record: the referral in full on the case page, and on a page of its own.
    const referrals = cw.getByRole('region', { name: 'Referrals' });
    const full = referrals.getByRole('article', {
      name: `Referral ${referralReference} from Wellington Police (test)`,
    });
    await full.getByText(NARRATIVE).waitFor();
    await full.getByText(CHILD_VIEWS).waitFor();
    await full.getByText(/Recorded with the categories of \d{4}\.\d+/).waitFor();
    await referrals.getByRole('link', { name: `Open referral ${referralReference}`, exact: true }).click();
    await cw.getByRole('heading', { level: 1, name: `Referral ${referralReference}` }).waitFor();
    await cw.getByText(NARRATIVE).waitFor();
    await cw.getByText(CHILD_VIEWS).waitFor();
    await cw.getByRole('heading', { name: 'Who referred' }).waitFor();
    await harness.expectAccessible(cw);
    await cw.getByRole('link', { name: 'Back to the case' }).click();
    await cw.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    // A link to the referral in triage (as in a notification) takes the caseworker to it on the
    // case, rather than telling them they have no access.
    await cw.goto(caseUrl.replace(/\/cases\/.*$/, `/triage/${referralId}`));
    await cw.getByRole('heading', { level: 1, name: `Referral ${referralReference}` }).waitFor();
    expect(cw.url()).toContain(`/cases/${caseId}/referrals/${referralId}`);
    await cw.getByRole('link', { name: 'Back to the case' }).click();
    await cw.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();

    // Printed, the case summary is marked confidential and leaves the screen's controls out.
    await cw.emulateMedia({ media: 'print' });
    await cw.getByText(/^Confidential: about a child/).waitFor();
    await expect(cw.getByRole('button', { name: 'Print a case summary' }).isVisible()).resolves.toBe(false);
    await cw.emulateMedia({ media: 'screen' });
    await expect(cw.getByText(/^Confidential: about a child/).isVisible()).resolves.toBe(false);

    // Police join the team: the sharing is recorded with its lawful basis.
    await cw.getByRole('button', { name: 'Add an organisation to the team' }).click();
    const add = cw.getByRole('region', { name: 'Add an organisation to the team' });
    await add.getByLabel('Organisation', { exact: true }).selectOption(ids.police);
    await add.getByLabel('Lawful basis for sharing').selectOption(basis);
    await add.getByLabel('Why it is being shared').fill('To plan the child’s safety with Police.');
    await add.getByRole('checkbox', { name: 'Name', exact: true }).check();
    await add
      .getByRole('group', { name: /asked what they think/ })
      .getByLabel('Yes')
      .check();
    await add.getByRole('button', { name: 'Add to the team' }).click();
    await success(cw, 'Wellington Police (test) has been added to the case team.');

    await cw.getByLabel('What help does the child need?').selectOption('counselling');
    await cw.getByRole('button', { name: 'Find services' }).click();
    await cw.getByRole('heading', { name: '1 service for Counselling' }).waitFor();
    await cw.getByRole('button', { name: 'Refer to this service' }).click();
    const refer = cw.getByRole('region', { name: 'Refer the child to Rangatahi Counselling (test)' });
    await refer.getByLabel('Lawful basis for sharing').selectOption(basis);
    await refer.getByLabel('Why it is being shared').fill('Counselling after exploitation.');
    await refer.getByRole('checkbox', { name: 'Name', exact: true }).check();
    await refer.getByRole('checkbox', { name: 'Summary of needs' }).check();
    await refer
      .getByLabel("Summary of the child's needs")
      .fill('Weekly counselling; prefers a female counsellor.');
    await refer
      .getByRole('group', { name: /asked what they think/ })
      .getByLabel('Yes')
      .check();
    await refer.getByRole('button', { name: 'Send the referral' }).click();
    await success(cw, /The referral to Rangatahi Counselling \(test\) has been sent/);
    const srRow = cw.getByRole('row', { name: /Rangatahi Counselling/ });
    await srRow.getByText('Waiting for an answer').waitFor();
    await harness.expectAccessible(cw);

    // The provider, under its own sign-in, sees no child details until it accepts.
    await sp
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Referrals for support' })
      .click();
    await sp.getByRole('heading', { level: 1, name: 'Referrals for support' }).waitFor();
    const inbox = sp.getByRole('row', { name: /Rangatahi Counselling/ });
    await inbox.getByText('Waiting for an answer').waitFor();
    await harness.expectAccessible(sp);
    await inbox.getByRole('link').first().click();
    await sp.getByText("The child's details are shown once the referral is accepted").waitFor();
    await sp.getByLabel('Accept the referral').check();
    await sp.getByRole('button', { name: 'Save' }).click();
    await success(sp, 'You have accepted the referral.');
    await sp.getByText('Aroha Testchild').waitFor();
    await sp.getByText('Weekly counselling; prefers a female counsellor.').waitFor();
    await expect(sp.getByText('2012').count()).resolves.toBe(0);
    await harness.expectAccessible(sp);
  });

  it('a case conference, the conclusive-grounds decision after the recovery period, and closure', async () => {
    // The recovery period has passed: the running server reads the date on every request.
    ctx.today = () => '2026-08-10';

    const cw = page('caseworker');
    await cw.reload();
    await cw.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    await cw
      .getByRole('row', { name: /Rangatahi Counselling/ })
      .getByText('Accepted')
      .waitFor();
    await cw.getByRole('button', { name: 'Record a case conference' }).click();
    const conference = cw.getByRole('region', { name: 'Record a case conference' });
    await conference.getByLabel('Date of the conference').fill('2026-08-05');
    await conference.getByRole('checkbox', { name: 'Lead Agency (test)' }).check();
    await conference.getByRole('checkbox', { name: 'Wellington Police (test)' }).check();
    await conference.getByLabel('Who came from Wellington Police (test)').fill('Youth Aid officer');
    await conference
      .getByLabel('What was decided', { exact: true })
      .fill('Safety plan agreed; counselling to continue.');
    await conference.getByRole('button', { name: 'Add an action' }).click();
    await conference.getByLabel('Action 1', { exact: true }).fill('Check in with the school');
    await conference.getByLabel('Organisation doing action 1').selectOption(ids.police);
    await conference.getByLabel('Action 1 due by').fill('2026-08-20');
    await conference.getByRole('button', { name: 'Save the conference' }).click();
    await success(cw, 'The conference on 5 August 2026 has been recorded.');
    const action = cw.getByRole('row', { name: /Check in with the school/ });
    await action.getByText('20 August 2026').waitFor();
    await action.getByRole('button', { name: 'Mark done' }).click();
    await success(cw, 'The action is marked done.');

    const dm = page('decider');
    await dm.goto(caseUrl);
    const cg = dm.getByRole('article', { name: /Conclusive-grounds decision/ });
    await cg
      .getByLabel('On the balance of probabilities, the child is a victim of sexual exploitation')
      .check();
    await cg
      .getByLabel('Reasons for the decision')
      .fill('Confirmed by the case conference and the provider.');
    await cg.getByLabel('Evidence relied on').fill('Conference of 5 August 2026; Police file P0123456789');
    await cg.getByRole('button', { name: 'Record the decision' }).click();
    await cg.getByText(/this is the final decision/).waitFor();
    await cg.getByRole('button', { name: 'Confirm' }).click();
    await success(dm, 'Decision recorded: Conclusive-grounds decision.');
    await dm.getByText('Identified as a child victim of exploitation (conclusive grounds)').waitFor();

    await cw.reload();
    await cw.getByLabel('Why is the case closing?').selectOption('needs_met');
    await cw.getByRole('button', { name: 'Close the case' }).click();
    await cw.getByRole('button', { name: 'Confirm' }).click();
    await success(cw, `Case ${caseReference} has been closed.`);
    const timeline = cw.getByRole('region', { name: 'Timeline' });
    await timeline.getByText("The case was closed: The child's needs have been met.").waitFor();
    await timeline.getByText('A case conference was held on 5 August 2026.').waitFor();
    await timeline.getByText(/accepted the referral for Counselling/).waitFor();
    await harness.expectAccessible(cw);

    // On a phone the case page fits the screen (wide tables scroll inside their own frame).
    await cw.setViewportSize({ width: 360, height: 740 });
    const overflow = await cw.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The 401s are the session checks before each person signs in.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
