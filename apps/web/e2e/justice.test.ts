import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
 * Justice outcomes end to end: a caseworker records a charge on a case in the browser, and the
 * OPSC / CRC pack's prosecutions table counts it — rounded and suppressed like every published
 * number. 20 charges are already recorded through the API (so the table's zeros are true zeros):
 * 5 under Prostitution Reform Act s20, suppressed as `*`; the sixth, recorded here, makes 6.
 */
const S20 = /^Prostitution Reform Act 2003 s20:/;
const PACK = '/statistics/publications?kind=opsc&from=2026-01-01&to=2026-12-31';

describe.skipIf(!hasChromium || !hasWebBuild)('a charge recorded on a case, in the OPSC pack', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let caseworker: TestUser;
  let analyst: TestUser;
  let caseId = '';

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-11-24' });
    await harness.start(ctx);
    const lead = (await createOrganisation(ctx, 'lead_agency', 'Lead Agency (test)')).id;
    caseworker = await createUser(ctx, ['caseworker'], { organisationId: lead });
    analyst = await createUser(ctx, ['analyst']);
    const world = new CaseWorld(ctx, await buildTestApp(ctx));
    world.organisations.set('lead', lead);
    ({ caseId } = await world.openCase());
    await ctx.db
      .insertInto('case_member')
      .values({
        case_id: caseId,
        user_id: caseworker.id,
        team_role: 'caseworker',
        added_by_user_id: caseworker.id,
      })
      .execute();
    const api = await world.caseworker();
    for (let i = 0; i < 20; i++) {
      const res = await api.client.post(`/api/cases/${caseId}/charges`, {
        provision: i < 5 ? 'pra_20' : 'pra_22',
        manifestation: 'exploitation_in_prostitution',
        laidOn: `2026-0${1 + (i % 6)}-15`,
      });
      expect(res.statusCode).toBe(201);
    }
  }, 360_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  /** The published PRA s20 × exploitation in prostitution cell of the pack, as the analyst sees it. */
  async function s20Cell(page: Page): Promise<string> {
    await page.goto(`${harness.server.url}${PACK}`);
    const table = page.getByRole('table', {
      name: /Charges laid, by offence provision and form of exploitation/,
    });
    await table.waitFor();
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: S20 }) });
    // The first data cell: exploitation of children in prostitution, the first form.
    return (await row.locator('td').first().innerText()).trim();
  }

  it('shows 5 charges as suppressed, then the sixth, recorded in the browser, as 6', async () => {
    const reader = await harness.newPage();
    await harness.signInWithoutMfa(reader, analyst);
    expect(await s20Cell(reader)).toMatch(/^\*/);

    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, caseworker);
    await page.goto(`${harness.server.url}/cases/${caseId}`);
    const section = page.getByRole('region', { name: 'Charges and court outcomes' });
    await section.getByText('Prostitution Reform Act 2003 s22', { exact: false }).first().waitFor();
    await section.getByText('Record a charge laid').click();
    await section.getByRole('combobox', { name: /Offence provision/ }).selectOption('pra_20');
    await section
      .getByRole('combobox', { name: /Form of exploitation/ })
      .selectOption('exploitation_in_prostitution');
    await section.getByRole('textbox', { name: 'Date laid' }).fill('2026-07-20');
    await section.getByRole('textbox', { name: /Court or file reference/ }).fill('CRI-2026-085-000042');
    await section.getByRole('button', { name: 'Record the charge' }).click();
    await page.locator('.alert-success').filter({ hasText: 'The charge is recorded.' }).waitFor();
    await section.getByText('CRI-2026-085-000042').waitFor();
    await harness.expectAccessible(page);

    // Six charges: published as 6 (a multiple of 3 is never moved by rounding).
    expect(await s20Cell(reader)).toMatch(/^6\b/);
    const pack = reader.getByRole('heading', { name: /^Prosecutions/ });
    await pack.waitFor();
    // The note never reaches a publication.
    expect(await reader.getByText('CRI-2026-085-000042').count()).toBe(0);
    await harness.expectAccessible(reader);
    await page.context().close();
    await reader.context().close();
  }, 600_000);
});
