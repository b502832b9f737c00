import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
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

const BULK = 10_000;

/**
 * A triage queue of ten thousand referrals: it answers a page at a time, sorts on the server,
 * keeps its state in the address (Back restores it), marks overdue work in words, keeps the due
 * date on screen at 1366 px and stacks rows on a phone; and the triage officer finds a child by name.
 * Past 10,000 rows a list stops counting ("more than 10,000"). Ten thousand reminders page, sort
 * and filter the same way.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('a list of 10,000 referrals, in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  // One officer per test: each signs in afresh and enrols for MFA, as a new person does.
  const triage: TestUser[] = [];
  let sought = '';

  beforeAll(async () => {
    // Wednesday 14 October 2026.
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-10-14' });
    await harness.start(ctx);
    const lead = (await createOrganisation(ctx, 'lead_agency', 'Lead Agency (test)')).id;
    const police = (await createOrganisation(ctx, 'police', 'Waitematā Police (test)')).id;
    for (let i = 0; i < 4; i += 1) triage.push(await createUser(ctx, ['triage'], { organisationId: lead }));
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    world.organisations.set('lead', lead);
    world.organisations.set('police', police);
    // One referral through the API is the pattern for ten thousand copied in one statement (the
    // copies are never opened: their sealed parts belong to the original).
    const template = await world.submitReferral(
      {},
      { givenNames: 'Pattern', familyName: 'Child', aliases: [] },
    );
    await sql`
      INSERT INTO referral (reference, taxonomy_version, child_id, organisation_id, submitted_by_user_id,
        status, concern_date, region, manifestations, contexts, indicators, concern_level, urgent,
        child_safety, child_aware, lawful_basis, protected_enc, submitted_at, received_on)
      SELECT 'BULK-' || lpad(n::text, 5, '0'), taxonomy_version, child_id, organisation_id,
        submitted_by_user_id, 'submitted', concern_date, region, manifestations, contexts, indicators,
        concern_level, n % 997 = 0, child_safety, child_aware, lawful_basis, protected_enc,
        submitted_at - make_interval(mins => n), received_on - (n % 30)
      FROM referral, generate_series(1, ${BULK}) AS n WHERE id = ${template.id}`.execute(ctx.db);
    // Ten thousand reminders for the fourth officer, one a minute back from now; every third read.
    await sql`
      INSERT INTO notification (user_id, kind, subject_type, subject_id, message, link, dedupe_key, created_at, read_at)
      SELECT ${officer(3).id}, 'decision.due_soon', 'referral', ${template.id},
        'Reminder ' || lpad(n::text, 5, '0') || ' about ' || ${template.reference}, '/triage', 'bulk-' || n,
        now() - make_interval(mins => n), CASE WHEN n % 3 = 0 THEN now() END
      FROM generate_series(1, ${BULK}) AS n`.execute(ctx.db);
    // The child the officer looks for, among them.
    sought = (
      await world.submitReferral(
        {},
        { givenNames: 'Hinewai', familyName: 'Rāwiri', dateOfBirth: '2012-02-29', aliases: [] },
      )
    ).reference;
  });

  const officer = (i: number): TestUser => {
    const found = triage[i];
    if (!found) throw new Error('no such officer');
    return found;
  };

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('pages and sorts the queue on the server, and Back restores each step', async () => {
    const p = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(p, officer(0));
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Triage' }).click();
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    const total = BULK + 2;
    // More than 10,000 waiting: the queue stops counting there.
    await p.getByText('Showing 1 to 25 of more than 10,000 · page 1').waitFor();
    const table = p.getByRole('table', { name: /referrals waiting/ });
    // A page, not ten thousand rows: the header row and 25 referrals.
    expect(await table.getByRole('row').count()).toBe(26);
    await harness.expectAccessible(p);

    // The due date is on screen at 1366 px, and overdue work says so in words.
    const due = table.getByRole('columnheader', { name: 'Reasonable-grounds decision due' });
    const box = await due.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1366);
    await table.getByText('Overdue').first().waitFor();

    // Sorted by reference, then the other way: the server sorts all ten thousand.
    const reference = table.getByRole('columnheader', { name: 'Referral', exact: true });
    // The heading says how the column is sorted (checked once the page has caught up with the address).
    const sortedBy = (how: string) =>
      table.locator(`th[aria-sort="${how}"]`).filter({ hasText: 'Referral' }).waitFor();
    await sortedBy('none');
    await reference.getByRole('button').click();
    await p.waitForURL(/sort=reference&dir=asc/);
    await sortedBy('ascending');
    await table.getByRole('row').nth(1).getByRole('link', { name: 'BULK-00001' }).waitFor();
    await reference.getByRole('button').click();
    await p.waitForURL(/sort=reference&dir=desc/);
    await sortedBy('descending');
    await table.getByRole('row').nth(1).getByRole('link', { name: /^TKI-/ }).waitFor();

    // Back to ascending order; then through the pages.
    await p.goBack();
    await p.waitForURL(/dir=asc/);
    await table.getByRole('row').nth(1).getByRole('link', { name: 'BULK-00001' }).waitFor();
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' }).click();
    await p.waitForURL(/page=2/);
    await table.getByRole('row').nth(1).getByRole('link', { name: 'BULK-00026' }).waitFor();
    // No "Last page" when the count stopped; the last page itself knows the whole count.
    expect(
      await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Last page' }).count(),
    ).toBe(0);
    await p.goto(`${harness.server.url}/triage?sort=reference&dir=asc&page=401`);
    await p.getByText(`Showing 10,001 to 10,002 of 10,002 · page 401 of 401`).waitFor();
    expect(total).toBe(10_002);
    await p.goBack();
    await table.getByRole('row').nth(1).getByRole('link', { name: 'BULK-00026' }).waitFor();
    await sortedBy('ascending');

    // "Overdue" narrows the queue; Back takes the filter off again.
    const overdue = p.getByRole('button', { name: 'Overdue' });
    await overdue.click();
    await p.waitForURL(/overdue=true/);
    await p.getByRole('button', { name: 'Overdue', pressed: true }).waitFor();
    await p.getByText(/^Showing 1 to 25 of [\d,]+ ·/).waitFor();
    const filtered = Number(
      /of ([\d,]+)/.exec(await p.getByText(/^Showing 1 to 25 of/).innerText())?.[1]?.replaceAll(',', ''),
    );
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(total);
    await harness.expectAccessible(p);
    await p.goBack();
    await p.getByText('Showing 26 to 50 of more than 10,000 · page 2').waitFor();
    await p.close();
  });

  it('finds a child by name for the triage officer, without showing the name in the list', async () => {
    const p = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(p, officer(1));
    await p.goto(`${harness.server.url}/triage`);
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    const search = p.getByRole('search').filter({ has: p.getByLabel('Find a child’s case or referral') });
    await search.getByLabel('Find a child’s case or referral').fill('Hinewai Rawiri');
    await search.getByRole('button', { name: 'Find' }).click();
    await p.waitForURL(/find=Hinewai/);
    const results = p.getByRole('table', { name: 'Found' });
    await results.getByRole('link', { name: sought }).waitFor();
    await results.getByText('Name', { exact: true }).waitFor();
    await p.getByText('1 record found').waitFor();
    await harness.expectAccessible(p);
    // Sounding alike, and by date of birth as New Zealanders write it.
    await search.getByLabel('Find a child’s case or referral').fill('Hinewai Rawirri');
    await search.getByRole('button', { name: 'Find' }).click();
    await results.getByText('Name sounds alike').waitFor();
    await search.getByLabel('Find a child’s case or referral').fill('29/02/2012');
    await search.getByRole('button', { name: 'Find' }).click();
    await results.getByText('Date of birth', { exact: true }).waitFor();
    await results.getByRole('link', { name: sought }).click();
    await p.getByRole('heading', { level: 1, name: `Triage referral ${sought}` }).waitFor();
    await p.close();
  });

  it('pages, sorts and filters ten thousand reminders on the server, state in the address', async () => {
    const p = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(p, officer(3));
    await p
      .getByRole('link', { name: /^Reminders/ })
      .first()
      .click();
    await p.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
    await p.getByText('Showing 1 to 25 of 10,000 · page 1 of 400').waitFor();
    await p
      .getByRole('main')
      .getByText(/^6,?667 unread reminders$/)
      .waitFor();
    const table = p.getByRole('table', { name: /reminders/ });
    expect(await table.getByRole('row').count()).toBe(26);
    // Newest first, then the oldest first: the server sorts all ten thousand.
    await table
      .getByRole('row')
      .nth(1)
      .getByText(/Reminder 00001 /)
      .waitFor();
    await table.getByRole('columnheader', { name: 'When' }).getByRole('button').click();
    await p.waitForURL(/sort=created&dir=asc/);
    await table
      .getByRole('row')
      .nth(1)
      .getByText(/Reminder 10000 /)
      .waitFor();
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' }).click();
    await p.waitForURL(/page=2/);
    await table
      .getByRole('row')
      .nth(1)
      .getByText(/Reminder 09975 /)
      .waitFor();
    await harness.expectAccessible(p);
    // Unread only: the read ones (every third) are gone; Back brings them again.
    await p.getByRole('button', { name: 'Unread' }).click();
    await p.waitForURL(/unread=true/);
    await p.getByText('Showing 1 to 25 of 6,667 · page 1 of 267').waitFor();
    expect(await table.getByText('Not read yet').count()).toBe(25);
    await p.goBack();
    await p.getByText('Showing 26 to 50 of 10,000 · page 2 of 400').waitFor();
    await table
      .getByRole('row')
      .nth(1)
      .getByText(/Reminder 09975 /)
      .waitFor();
    // A phone stacks each reminder, every value under its column's name.
    await p.setViewportSize({ width: 390, height: 844 });
    const when = p.locator('td[data-label="When"]').first();
    const box = await when.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    await harness.expectAccessible(p);
    await p.close();
  });

  it('stacks each row on a phone, every value under its column’s name', async () => {
    const p = await harness.newPage(375, 800);
    await harness.signInWithMfaEnrolment(p, officer(2));
    await p.goto(`${harness.server.url}/triage?sort=due&dir=asc`);
    await p.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
    const firstDue = p.locator('td[data-label="Reasonable-grounds decision due"]').first();
    await firstDue.getByText('Overdue').waitFor();
    const box = await firstDue.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(375);
    const label = await firstDue.evaluate((cell) => getComputedStyle(cell, '::before').content);
    expect(label).toBe('"Reasonable-grounds decision due"');
    await harness.expectAccessible(p);
    await p.close();
  });
});
