import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import {
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
  type TestUser,
} from '../../server/test/harness.ts';

const ACCOUNTS = 60;
const REQUESTS = 30;

/**
 * The administration lists hold when they grow (issue 14): the user accounts list and the research
 * extracts list answer a page at a time, sorted and filtered by the server, with what is shown kept
 * in the address (Back restores it), and fit 1366 px and a phone.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('administration lists, in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let admin: TestUser;
  let analyst: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-10-14' });
    await harness.start(ctx);
    const trust = (await createOrganisation(ctx, 'ngo', 'Pager Trust (test)')).id;
    admin = await createUser(ctx, ['administrator']);
    analyst = await createUser(ctx, ['analyst']);
    // Sixty accounts copied from one, named so the order is known: "Pager 01" to "Pager 60"; every
    // fifth is deactivated.
    const pattern = await createUser(ctx, ['frontline'], { organisationId: trust });
    await sql`
      INSERT INTO app_user (email, display_name, organisation_id, password_hash, is_active)
      SELECT 'pager' || lpad(n::text, 2, '0') || '@example.test', 'Pager ' || lpad(n::text, 2, '0'),
        organisation_id, password_hash, n % 5 <> 0
      FROM app_user, generate_series(1, ${ACCOUNTS}) AS n WHERE id = ${pattern.id}`.execute(ctx.db);
    // Thirty extract requests by the analyst, one a day back from now.
    await sql`
      INSERT INTO extract_request (requested_by_user_id, organisation_id, purpose, variables, period_from,
        period_to, ethics_committee, ethics_reference, ethics_approved_on, needs_maori_approval, created_at)
      SELECT ${analyst.id}, ${analyst.organisationId},
        'Study ' || lpad(n::text, 2, '0') || ': how long children wait, by region', ARRAY['region'],
        '2026-07-01', '2026-07-31', 'Health and Disability Ethics Committee', 'HDEC 2026/' || n,
        '2026-06-01', false, now() - make_interval(days => n)
      FROM generate_series(1, ${REQUESTS}) AS n`.execute(ctx.db);
  });

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  it('pages, sorts and filters the accounts on the server, and Back restores each step', async () => {
    const p = await harness.newPage(1366, 900);
    await harness.signInWithMfaEnrolment(p, admin);
    await p.getByRole('link', { name: 'Users' }).first().click();
    await p.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const table = p.getByRole('table', { name: /user accounts/ });
    await p.getByText(/^Showing 1 to 25 of 6\d/).waitFor();
    // A page, not every account: the header row and 25 people.
    expect(await table.getByRole('row').count()).toBe(26);
    await harness.expectAccessible(p);
    // The whole table fits 1366 px (the email and sign-in columns wait for wider screens).
    const wrap = await p.locator('.table-wrap').first().boundingBox();
    const whole = await table.boundingBox();
    expect(wrap && whole && whole.width).toBeLessThanOrEqual(wrap?.width ?? 0);

    // Find by name: the server narrows all of them; the address keeps it.
    await p.getByLabel('Find by name or email').fill('pager');
    await p.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await p.waitForURL(/q=pager/);
    await p.getByText(`Showing 1 to 25 of ${ACCOUNTS}`).waitFor();
    await table.getByRole('row').nth(1).getByText('Pager 01').waitFor();

    // Name Z to A (the list is already A to Z), then the next page.
    await table.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await p.waitForURL(/sort=name&dir=desc/);
    await table.getByRole('row').nth(1).getByText('Pager 60').waitFor();
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' }).click();
    await p.waitForURL(/page=2/);
    await table.getByRole('row').nth(1).getByText('Pager 35').waitFor();

    // Deactivated only: every fifth.
    await p.getByLabel('State').selectOption({ label: 'Deactivated' });
    await p.waitForURL(/state=deactivated/);
    expect(new URL(p.url()).searchParams.get('page')).toBeNull();
    await p.getByText(`Showing 1 to ${ACCOUNTS / 5} of ${ACCOUNTS / 5}`).waitFor();
    await table.getByRole('row').nth(1).getByText('Pager 60').waitFor();

    // Back: the second page of everyone again, Z to A.
    await p.goBack();
    await p.waitForURL(/page=2/);
    await table.getByRole('row').nth(1).getByText('Pager 35').waitFor();
    await harness.expectAccessible(p);

    // A phone stacks each account, every cell under its column's name.
    await p.setViewportSize({ width: 360, height: 740 });
    const scrolls = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(scrolls).toBe(false);
    await harness.expectAccessible(p);
  });

  it('pages, sorts and filters the extract requests on the server', async () => {
    const p = await harness.newPage(1366, 900);
    await harness.signInWithoutMfa(p, analyst, 'Test Person');
    await p.goto(`${harness.server.url}/extracts`);
    await p.getByRole('heading', { level: 1, name: 'Research extracts' }).waitFor();
    const mine = p.getByRole('region', { name: 'Your requests' });
    const table = mine.getByRole('table');
    await mine.getByText(`Showing 1 to 25 of ${REQUESTS}`).waitFor();
    // Newest first.
    await table
      .getByRole('row')
      .nth(1)
      .getByRole('link', { name: /^Study 01:/ })
      .waitFor();
    await harness.expectAccessible(p);

    await table.getByRole('columnheader', { name: 'Purpose' }).getByRole('button').click();
    await p.waitForURL(/sort=purpose&dir=asc/);
    await table
      .getByRole('row')
      .nth(1)
      .getByRole('link', { name: /^Study 01:/ })
      .waitFor();
    await table.getByRole('columnheader', { name: 'Purpose' }).getByRole('button').click();
    await p.waitForURL(/sort=purpose&dir=desc/);
    await table
      .getByRole('row')
      .nth(1)
      .getByRole('link', { name: /^Study 30:/ })
      .waitFor();
    await mine.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' }).click();
    await p.waitForURL(/page=2/);
    await table
      .getByRole('row')
      .nth(1)
      .getByRole('link', { name: /^Study 05:/ })
      .waitFor();

    await mine.getByLabel('Find by purpose or ethics reference').fill('HDEC 2026/17');
    await mine.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await p.waitForURL(/q=HDEC/);
    await mine.getByText('Showing 1 to 1 of 1').waitFor();
    await table.getByRole('link', { name: /^Study 17:/ }).waitFor();
    await mine.getByLabel('Show').selectOption({ label: 'Declined' });
    await mine.getByText('No request matches. Change the search or the status shown.').waitFor();

    await p.goBack();
    await table.getByRole('link', { name: /^Study 17:/ }).waitFor();
    await p.goBack();
    await p.waitForURL(/page=2/);
    await table
      .getByRole('row')
      .nth(1)
      .getByRole('link', { name: /^Study 05:/ })
      .waitFor();
    await harness.expectAccessible(p);
  });
});
