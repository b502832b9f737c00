import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
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

const GIVEN_NAMES = ['Kahurangi', 'Mereana', 'Tipene', 'Wikitoria', 'Rawiri', 'Huia'];
const FAMILY_NAME = 'Extracttest';
const ANALYST_NAME = 'Ana Rangahau';
const PURPOSE =
  'How often children referred in July 2026 were marked urgent, by region, gender and ethnicity.';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Research extracts in the browser: an analyst asks for one that includes ethnicity, the data
 * steward and then the Māori data governance group approve it, and the analyst downloads the CSV.
 * Twelve invented children were referred on Friday 3 July 2026. A second request is declined.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('research extracts in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const harness = new BrowserHarness();
  let analyst: TestUser;
  let steward: TestUser;
  let maori: TestUser;
  let extractUrl = '';
  const pages: Record<'analyst' | 'steward' | 'maori', Page | null> = {
    analyst: null,
    steward: null,
    maori: null,
  };

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    app = await buildTestApp(ctx);
    const world = new CaseWorld(ctx, app);
    const regions = ['02', '02', '09', '13'];
    for (let i = 0; i < 12; i++) {
      await world.submitReferral(
        { concern: { date: '2026-07-01', region: regions[i % regions.length] ?? '02' } },
        {
          givenNames: `${GIVEN_NAMES[i % GIVEN_NAMES.length] ?? 'Kahu'}${String.fromCharCode(65 + i)}`,
          familyName: FAMILY_NAME,
          aliases: [],
          dateOfBirth: `20${10 + (i % 4)}-0${1 + (i % 9)}-1${i % 10}`,
          ethnicities: [i % 3 === 0 ? '2' : '1'],
        },
      );
    }
    analyst = await createUser(ctx, ['analyst']);
    steward = await createUser(ctx, ['data_steward']);
    maori = await createUser(ctx, ['maori_data_governance']);
    // The approvers should see who asked, by name.
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: ANALYST_NAME })
      .where('id', '=', analyst.id)
      .execute();
  }, 180_000);

  afterAll(async () => {
    await harness.stop();
    await app.close();
    await ctx.close();
  });

  const page = (who: keyof typeof pages): Page => {
    const found = pages[who];
    if (!found) throw new Error(`${who} has not signed in`);
    return found;
  };
  const signInWithMfa = async (who: 'steward' | 'maori', user: TestUser) => {
    const p = await harness.newPage();
    await harness.signInWithMfaEnrolment(p, user);
    pages[who] = p;
    return p;
  };
  const openExtracts = async (p: Page) => {
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Research extracts' })
      .click();
    await p.getByRole('heading', { level: 1, name: 'Research extracts' }).waitFor();
  };
  const success = (p: Page, text: string | RegExp) =>
    p.locator('.alert-success').filter({ hasText: text }).first().waitFor();
  /** The analyst's requests, as the server lists them. */
  const requestCount = async (p: Page) => {
    const res = await p.request.get(`${harness.server.url}/api/extracts`);
    return ((await res.json()) as { total: number }).total;
  };
  /** Records a decision through the panel, confirming it. */
  const decide = async (
    p: Page,
    choice: string,
    confirm: string,
    text?: { label: string; value: string },
  ) => {
    const panel = p.getByRole('region', { name: 'Your decision' });
    await panel.getByLabel(choice, { exact: true }).check();
    if (text) await panel.getByLabel(text.label).fill(text.value);
    await panel.getByRole('button', { name: 'Record decision' }).click();
    await panel.getByRole('group', { name: confirm }).getByRole('button', { name: 'Confirm' }).click();
  };

  it('lets an analyst ask for an extract with ethnicity, refusing one without a purpose', async () => {
    const p = await harness.newPage();
    pages.analyst = p;
    // Analysts see no child's details, so sign in without MFA.
    // An analyst sees no child's details, so signs in without MFA.
    await harness.signInWithoutMfa(p, analyst, ANALYST_NAME);
    await openExtracts(p);
    await p.getByText(/each combination of details is shared by at least 11 children/).waitFor();
    await p.getByText('You have not asked for any extracts yet.').waitFor();
    expect(await p.getByRole('heading', { name: 'Waiting for your decision' }).count()).toBe(0);
    await harness.expectAccessible(p);

    await p.getByRole('button', { name: 'Request an extract' }).click();
    const form = p.getByRole('region', { name: 'Request an extract' });
    const variables = form.getByRole('group', { name: 'Details to include' });
    for (const name of ['Region', 'Gender', 'Ethnicity', 'Urgent']) {
      await variables.getByLabel(name, { exact: true }).check();
    }
    expect(await variables.getByText('Needs Māori data governance approval.').count()).toBe(2);
    await form.getByLabel('From', { exact: true }).fill('2026-07-01');
    await form.getByLabel('To', { exact: true }).fill('2026-07-31');
    await form.getByLabel('Ethics committee').fill('Health and Disability Ethics Committee');
    await form.getByLabel('Ethics approval reference').fill('HDEC 2026/123');
    await form.getByLabel('Date of the ethics approval').fill('2026-06-01');

    // No purpose: the summary says what is wrong, links to the field, and nothing is created.
    await form.getByRole('button', { name: 'Send request' }).click();
    const summary = p.getByRole('group', { name: 'There is a problem' });
    await summary.getByRole('link', { name: 'Describe the specific research purpose' }).click();
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('extract-purpose');
    await form.getByText('Error: Describe the specific research purpose').waitFor();
    expect(await requestCount(p)).toBe(0);
    await harness.expectAccessible(p);

    await form.getByLabel('Research purpose').fill(PURPOSE);
    await form.getByRole('button', { name: 'Send request' }).click();
    await p.getByRole('heading', { level: 1, name: 'Research extract request' }).waitFor();
    await success(p, 'It now waits for the data steward and the Māori data governance group.');
    extractUrl = new URL(p.url()).pathname;
    expect(extractUrl).toMatch(new RegExp(`^/extracts/${UUID.source}$`, 'i'));
    expect(await requestCount(p)).toBe(1);
    await p.getByText('Region; Gender; Ethnicity; Urgent').waitFor();
    await p
      .getByText('Health and Disability Ethics Committee, reference HDEC 2026/123, approved 1 June 2026')
      .waitFor();
    expect(await p.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
    await harness.expectAccessible(p);
  });

  it('shows the data steward the request waiting; after approval it still waits for Māori data governance', async () => {
    const p = await signInWithMfa('steward', steward);
    await openExtracts(p);
    const waiting = p.getByRole('region', { name: 'Waiting for your decision' });
    const row = waiting.getByRole('row', { name: new RegExp(PURPOSE.slice(0, 30)) });
    await row.getByText(ANALYST_NAME).waitFor();
    await row.getByText('Waiting for the data steward and the Māori data governance group').waitFor();
    await harness.expectAccessible(p);

    await row.getByRole('link').click();
    await p.getByRole('heading', { level: 1, name: 'Research extract request' }).waitFor();
    await p.getByText(ANALYST_NAME).waitFor();
    await harness.expectAccessible(p);
    await decide(p, 'Approve as the data steward', 'Approve this request as the data steward?');
    await success(p, 'The request now waits for the Māori data governance group.');
    const approvals = p.getByRole('region', { name: 'Approvals' });
    await approvals.getByText(/^Approved by Test Person, /).waitFor();
    await approvals.getByText('Not approved yet.').waitFor();
    expect(await p.getByRole('region', { name: 'Your decision' }).count()).toBe(0);
    await harness.expectAccessible(p);

    await openExtracts(p);
    await waiting.getByText('Nothing is waiting for your decision.').waitFor();

    // The analyst still has nothing to download, in the page or from the server.
    const a = page('analyst');
    await a.reload();
    await a.getByText('Waiting for the Māori data governance group').first().waitFor();
    // "Your request has been sent" was for the moment it was sent, not for every later visit.
    expect(await a.locator('.alert-success').count()).toBe(0);
    expect(await a.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
    const early = await a.request.get(`${harness.server.url}/api${extractUrl}/download`);
    expect(early.status()).toBe(409);
  });

  it('produces the extract once Māori data governance approves, for the analyst alone to download', async () => {
    const p = await signInWithMfa('maori', maori);
    await openExtracts(p);
    await p.getByRole('region', { name: 'Waiting for your decision' }).getByRole('link').click();
    await p.getByRole('heading', { level: 1, name: 'Research extract request' }).waitFor();
    await decide(
      p,
      'Approve for the Māori data governance group',
      'Approve this request for the Māori data governance group?',
      {
        label: 'Note for the record',
        value: 'Discussed with the rōpū.',
      },
    );
    await success(p, 'the extract has been produced');
    await p.getByText('Discussed with the rōpū.').waitFor();
    await p.getByText('Only the person who asked for it can download it.').waitFor();
    expect(await p.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
    await harness.expectAccessible(p);

    const a = page('analyst');
    await a.reload();
    await a.getByText('Available until 2 August 2026.').waitFor();
    await a.getByText(/k-anonymous with k = 11/).waitFor();
    await harness.expectAccessible(a);
    const download = a.waitForEvent('download');
    await a.getByRole('link', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const lines = csv.split('\r\n').filter((line) => line !== '');
    const data = lines.filter((line) => !line.startsWith('# '));
    expect(data[0]).toBe('row,region,gender,ethnicities,urgent');
    expect(data.length).toBeGreaterThan(1);
    expect(lines.join('\n')).toMatch(/^# Purpose: How often children/m);
    // No names, dates of birth or ids: the extract's own id appears only in the comment lines.
    for (const name of [FAMILY_NAME, ...GIVEN_NAMES]) expect(csv).not.toContain(name);
    expect(data.join('\n')).not.toMatch(UUID);
    expect(data.join('\n')).not.toMatch(/\b20(10|11|12|13)-\d\d-\d\d\b/);

    // The steward may see the request, but not download it.
    const s = page('steward');
    await s.goto(`${harness.server.url}${extractUrl}`);
    await s.getByText('Only the person who asked for it can download it.').waitFor();
    expect(await s.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
  });

  it('shows the analyst the reason a declined request gives', async () => {
    const api = new Client(app);
    await api.signIn(analyst.email, analyst.password);
    const asked = await api.post('/api/extracts', {
      purpose: 'Iwi affiliation of children referred in July 2026, by region.',
      variables: ['region', 'iwi'],
      from: '2026-07-01',
      to: '2026-07-31',
      ethicsApproval: {
        committee: 'Health and Disability Ethics Committee',
        reference: 'HDEC 2026/124',
        approvedOn: '2026-06-01',
      },
    });
    expect(asked.statusCode, asked.body).toBe(201);

    const p = page('maori');
    await openExtracts(p);
    await p
      .getByRole('region', { name: 'Waiting for your decision' })
      .getByRole('link', { name: /^Iwi affiliation/ })
      .click();
    const panel = p.getByRole('region', { name: 'Your decision' });
    await panel.getByLabel('Decline', { exact: true }).check();
    await panel.getByRole('button', { name: 'Record decision' }).click();
    await panel.getByText('Error: Give the reason for declining').waitFor();
    await decide(p, 'Decline', 'Decline this request?', {
      label: 'Reason for declining',
      value: 'Talk with the iwi about this purpose first.',
    });
    await success(p, 'You declined the request.');

    const a = page('analyst');
    await openExtracts(a);
    const row = a
      .getByRole('region', { name: 'Your requests' })
      .getByRole('row', { name: /^Iwi affiliation/ });
    await row.getByText('Declined').waitFor();
    await row.getByRole('link').click();
    await a.getByText(/^Declined by Test Person, /).waitFor();
    await a.getByText('Talk with the iwi about this purpose first.').waitFor();
    expect(await a.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
    await harness.expectAccessible(a);

    // The 401s are the session checks before each person signs in.
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
