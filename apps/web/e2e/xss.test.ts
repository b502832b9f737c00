import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CURRENT_TAXONOMY, type CaseDetail } from '@tiaki/domain';
import { BrowserHarness, hasChromium, hasWebBuild, newBrowserContext } from '../../server/test/browser.ts';
import { CaseWorld, type Person } from '../../server/test/cases.ts';
import {
  buildTestApp,
  createOrganisation,
  createTestContext,
  type TestContext,
} from '../../server/test/harness.ts';

/**
 * Stored cross-site scripting: every free-text field a person can type, and that some screen
 * shows, is filled through the real API with each payload below. Each screen is then opened in
 * Chromium by someone entitled to it, and must show the payload as plain text: nothing runs, no
 * dialog opens, no element or javascript: link comes from the payload.
 *
 * A payload carries a tag (" //case-note") so each field's text can be found on its page.
 */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload=window.__xss=3>',
  'javascript:window.__xss=4',
  "{{constructor.constructor('window.__xss=5')()}}",
  '</textarea><script>window.__xss=6</script>',
  '<a href="javascript:window.__xss=7">link</a>',
  '<iframe srcdoc="<script>parent.__xss=8</script>"></iframe>',
  '<details open ontoggle=alert(9)>',
] as const;

const tagged = (p: number, tag: string) => `${PAYLOADS[p] ?? ''} //${tag}`;

describe.skipIf(!hasChromium || !hasWebBuild)('stored XSS payloads render as text, in Chromium', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const cspConsole: string[] = [];
  /** Per payload: the ids of what was built with it. */
  const built: {
    referralId: string;
    caseId: string;
    serviceReferralId: string;
    extractId: string;
  }[] = [];
  const people: Record<string, Person> = {};
  const basis = CURRENT_TAXONOMY.lawfulBases[0]?.code ?? '';
  /** Every page checked, with the tags it showed; for the report. */
  const checked: { path: string; who: string; values: number }[] = [];

  const ok = async (res: Promise<{ statusCode: number; body: string }>, what: string) => {
    const r = await res;
    if (r.statusCode >= 300) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
    return JSON.parse(r.body) as Record<string, unknown> & { id: string; version: number };
  };

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2026-07-03' });
    await harness.start(ctx);
    const app = await buildTestApp(ctx);
    const world = new CaseWorld(ctx, app);
    const lead = await world.organisation('lead', 'lead_agency');
    const shelter = await world.organisation('shelter', 'ngo');
    const rename = async (person: Person, name: string) => {
      await ctx.db
        .updateTable('app_user')
        .set({ display_name: name })
        .where('id', '=', person.user.id)
        .execute();
    };
    const triage = await world.triage();
    const caseworker = await world.caseworker();
    const provider = await world.person('provider', ['service_provider'], 'shelter', 'ngo');
    const supervisor = await world.person('supervisor', ['supervisor']);
    const analyst = await world.person('analyst', ['analyst'], 'research', 'ngo');
    const steward = await world.person('steward', ['data_steward']);
    const admin = await world.person('admin', ['administrator']);
    const privacy = await world.person('privacy', ['privacy_officer']);
    const auditor = await world.person('auditor', ['auditor']);
    Object.assign(people, { triage, caseworker, provider, analyst, steward, admin, privacy, auditor });

    for (let p = 0; p < PAYLOADS.length; p++) {
      const t = (tag: string) => tagged(p, tag);
      // A Police station named with the payload, whose officer is named with it too.
      const police = (await createOrganisation(ctx, 'police', t('police-org'))).id;
      world.organisations.set(`police-${p}`, police);
      const frontline = await world.person(`frontline-${p}`, ['frontline'], `police-${p}`, 'police');
      await rename(frontline, t('frontline-name'));
      if (p === 0) people.frontline = frontline;
      const child = (n: string) => ({
        givenNames: t(`given-${n}`),
        familyName: t(`family-${n}`),
        aliases: [t(`alias-${n}`)],
        languages: [PAYLOADS[p]?.slice(0, 60) ?? ''],
        currentLocation: t(`location-${n}`),
      });
      const referral = (n: string) => ({
        referrer: { name: t(`referrer-name-${n}`), role: t(`referrer-role-${n}`) },
        narrative: t(`narrative-${n}`),
        childViews: t(`child-views-${n}`),
        concern: { date: '2026-07-01', region: '02' },
      });
      // One referral stays in the triage queue; the other becomes a case.
      const waiting = await world.submitReferral(referral('a'), child('a'), frontline);
      const opened = await world.submitReferral(referral('b'), child('b'), frontline);
      const open = await ok(
        triage.client.post(`/api/triage/referrals/${opened.id}/open-case`, {
          version: await world.referralVersion(opened.id),
          caseworkerId: caseworker.user.id,
        }),
        'open case',
      );
      const caseId = String(open.caseId);
      const cw = caseworker.client;
      await ok(cw.post(`/api/cases/${caseId}/notes`, { body: t('case-note') }), 'note');
      await ok(cw.post(`/api/cases/${caseId}/goals`, { description: t('plan-item') }), 'goal');
      await ok(
        cw.post(`/api/cases/${caseId}/team/organisations`, {
          organisationId: police,
          lawfulBasis: basis,
          purpose: t('team-purpose'),
          fields: ['name'],
          childConsulted: 'yes',
          childView: t('team-child-view'),
        }),
        'team',
      );
      await ok(
        cw.post(`/api/cases/${caseId}/conferences`, {
          heldOn: '2026-07-02',
          attendees: [
            { organisationId: lead, role: t('attendee-role').slice(0, 100) },
            { organisationId: police },
          ],
          decisions: t('conference-decisions'),
          actions: [
            { description: t('conference-action'), ownerOrganisationId: police, dueOn: '2026-07-20' },
          ],
        }),
        'conference',
      );
      // A decision maker named with the payload decides, giving reasons with it.
      const dm = await world.person(`dm-${p}`, ['decision_maker']);
      await rename(dm, t('decision-maker-name'));
      const read = async () => (await cw.get(`/api/cases/${caseId}`)).json<CaseDetail>();
      const rg = (await read()).decisions.find((d) => d.status === 'pending');
      if (!rg) throw new Error('no pending decision');
      await ok(
        dm.client.post(`/api/decisions/${rg.id}/decide`, {
          outcome: 'negative',
          rationale: t('decision-reasons'),
          evidence: t('decision-evidence'),
          version: rg.version,
        }),
        'decide',
      );
      await ok(
        cw.post(`/api/decisions/${rg.id}/reconsideration`, { grounds: t('reconsideration-grounds') }),
        'reconsideration',
      );
      // A service named with the payload, a referral to it, and the provider's answer and note.
      const service = await ok(
        provider.client.post('/api/services', {
          providerOrganisationId: shelter,
          name: t('service-name'),
          description: t('service-description'),
          needTypes: ['counselling'],
          regions: ['02'],
          contact: t('service-contact'),
        }),
        'service',
      );
      const sr = await ok(
        cw.post(`/api/cases/${caseId}/service-referrals`, {
          serviceId: service.id,
          needType: 'counselling',
          sharedFields: ['name', 'needs_summary'],
          lawfulBasis: basis,
          purpose: t('service-referral-purpose'),
          childConsulted: 'yes',
          childView: t('service-referral-child-view'),
          needsSummary: t('service-referral-needs'),
        }),
        'service referral',
      );
      let version = sr.version;
      for (const to of ['accepted', 'engaged', 'completed']) {
        const moved = await ok(
          provider.client.post(`/api/service-referrals/${sr.id}/transition`, {
            to,
            ...(to === 'completed' ? { detail: t('service-referral-outcome') } : {}),
            version,
          }),
          to,
        );
        version = moved.version;
        if (to === 'accepted') {
          await ok(
            provider.client.post(`/api/service-referrals/${sr.id}/notes`, {
              body: t('service-referral-note'),
            }),
            'provider note',
          );
        }
      }
      // Break-glass access with the payload as its reason.
      await ok(
        supervisor.client.post(`/api/cases/${caseId}/break-glass`, { reason: t('break-glass-reason') }),
        'break glass',
      );
      // Closed with the payload as the detail, and reopened with it as the reason.
      const closing = await read();
      await ok(
        cw.post(`/api/cases/${caseId}/close`, {
          reason: 'needs_met',
          detail: t('closure-detail'),
          version: closing.version,
        }),
        'close',
      );
      await ok(
        cw.post(`/api/cases/${caseId}/reopen`, {
          reason: t('reopen-reason'),
          version: (await read()).version,
        }),
        'reopen',
      );
      // A research extract request, declined with the payload as the reason.
      const extract = await ok(
        analyst.client.post('/api/extracts', {
          purpose: t('extract-purpose'),
          variables: ['region'],
          from: '2026-07-01',
          to: '2026-07-31',
          ethicsApproval: {
            committee: t('ethics-committee'),
            reference: t('ethics-reference').slice(0, 100),
            approvedOn: '2026-06-01',
          },
        }),
        'extract',
      );
      await ok(
        steward.client.post(`/api/extracts/${extract.id}/decline`, { reason: t('extract-decline') }),
        'decline',
      );
      await ok(
        steward.client.post('/api/statistics/events', {
          name: t('trend-event'),
          startsOn: '2026-06-01',
          endsOn: '2026-06-05',
        }),
        'event',
      );
      built.push({
        referralId: waiting.id,
        caseId,
        serviceReferralId: sr.id,
        extractId: extract.id,
      });
    }
    await app.close();

    context = await newBrowserContext(harness.browser, { width: 1280, height: 900 });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspConsole.push(m.text());
    });
  }, 360_000);

  afterAll(async () => {
    // Closing the browser closes its context.
    await harness.stop();
    await ctx.close();
  });

  /** Becomes someone by giving the browser their API session. */
  const as = async (who: string) => {
    const person = people[who];
    if (!person?.client.cookie) throw new Error(`${who} has no session`);
    await context.clearCookies();
    await context.addCookies([
      { name: 'tiaki_session', value: person.client.cookie, url: harness.server.url },
    ]);
  };

  /** Opens a page as someone, waits until every expected text shows, and lists what went wrong. */
  const check = async (who: string, path: string, expected: string[]): Promise<string[]> => {
    await as(who);
    const dialogsBefore = dialogs.length;
    await page.goto(`${harness.server.url}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page
      .waitForFunction((values) => values.every((v) => document.body.textContent.includes(v)), expected, {
        timeout: 30_000,
      })
      .catch(() => undefined);
    // Let anything a payload started (an image's onerror, an iframe's script) run.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __xss?: unknown; __csp: string[] };
      const outer = (e: Element) => e.outerHTML.slice(0, 100);
      return {
        text: document.body.textContent,
        xss: w.__xss,
        // The app itself renders no iframe, inline script or inline event handler.
        injected: Array.from(
          document.querySelectorAll(
            'img[src="x"], svg[onload], iframe, script:not([src]), details[ontoggle], a[href^="javascript:" i]',
          ),
        ).map(outer),
        handlers: Array.from(document.querySelectorAll('*'))
          .filter((e) => Array.from(e.attributes).some((a) => a.name.toLowerCase().startsWith('on')))
          .map(outer),
        csp: w.__csp,
      };
    });
    checked.push({ path, who, values: expected.length });
    const at = `${who} ${path}`;
    const problems = [
      ...expected.filter((v) => !seen.text.includes(v)).map((v) => `${at}: not shown: ${v}`),
      ...(seen.xss === undefined ? [] : [`${at}: window.__xss = ${JSON.stringify(seen.xss)}`]),
      ...dialogs.slice(dialogsBefore).map((d) => `${at}: dialog ${d}`),
      ...seen.injected.map((e) => `${at}: injected ${e}`),
      ...seen.handlers.map((e) => `${at}: inline handler ${e}`),
      ...seen.csp.filter((v) => !baselineCsp.includes(v)).map((v) => `${at}: CSP violation ${v}`),
    ];
    return problems;
  };

  /** The CSP reports a page makes with no payload on it (zod probes whether eval is allowed). */
  let baselineCsp: string[] = [];

  it('records the CSP reports of a page without payloads', async () => {
    await context.clearCookies();
    await page.goto(`${harness.server.url}/sign-in`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    baselineCsp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    // Only zod's "is eval allowed?" probe, which the CSP blocks and zod handles.
    expect(baselineCsp.every((v) => v.startsWith('script-src eval'))).toBe(true);
  });

  const each = (fields: string[]) => PAYLOADS.flatMap((_, p) => fields.map((f) => tagged(p, f)));
  const shared: [string, string, string[]][] = [
    ['triage', '/triage', each(['police-org'])],
    ['provider', '/services', each(['service-name', 'service-description', 'service-contact'])],
    ['provider', '/service-referrals', each(['service-name'])],
    ['analyst', '/extracts', each(['extract-purpose'])],
    ['steward', '/statistics/trends', each(['trend-event'])],
    ['admin', '/organisations', each(['police-org'])],
    // Every payload's accounts on one page (the list is paged, 25 by default).
    ['admin', '/users?pageSize=100', each(['decision-maker-name', 'frontline-name', 'police-org'])],
    ['privacy', '/break-glass', each(['break-glass-reason'])],
    ['frontline', '/referrals/mine', [tagged(0, 'frontline-name'), tagged(0, 'police-org')]],
    ['auditor', '/audit', []],
    ['caseworker', '/cases', []],
    ['caseworker', '/decisions', []],
    ['caseworker', '/notifications', []],
  ];

  it('shows every payload as text on the lists and directories', async () => {
    const problems: string[] = [];
    for (const [who, path, expected] of shared) problems.push(...(await check(who, path, expected)));
    expect(problems).toEqual([]);
  });

  /** The pages about one record, and the fields each shows. */
  const perRecord: [string, (b: (typeof built)[number]) => string, string[]][] = [
    [
      'triage',
      (b) => `/triage/${b.referralId}`,
      [
        'given-a',
        'family-a',
        'alias-a',
        'location-a',
        'narrative-a',
        'child-views-a',
        'referrer-name-a',
        'referrer-role-a',
        'police-org',
      ],
    ],
    [
      'caseworker',
      (b) => `/cases/${b.caseId}`,
      [
        'given-b',
        'family-b',
        'alias-b',
        'location-b',
        'police-org',
        'decision-maker-name',
        'decision-reasons',
        'decision-evidence',
        'reconsideration-grounds',
        'team-purpose',
        'team-child-view',
        'plan-item',
        'case-note',
        'attendee-role',
        'conference-decisions',
        'conference-action',
        'service-name',
        'service-referral-purpose',
        'service-referral-child-view',
        'reopen-reason',
      ],
    ],
    [
      'provider',
      (b) => `/service-referrals/${b.serviceReferralId}`,
      [
        'service-name',
        'given-b',
        'family-b',
        'service-referral-needs',
        'service-referral-note',
        'service-referral-outcome',
      ],
    ],
    [
      'analyst',
      (b) => `/extracts/${b.extractId}`,
      ['extract-purpose', 'ethics-committee', 'ethics-reference', 'extract-decline'],
    ],
  ];

  it.each(perRecord.map(([who, path, fields]) => ({ who, path, fields })))(
    'shows each payload as text on the record pages $who opens',
    async ({ who, path, fields }) => {
      const problems: string[] = [];
      for (const [p, b] of built.entries()) {
        const expected = fields.map((f) => tagged(p, f));
        problems.push(...(await check(who, path(b), expected)));
      }
      expect(problems).toEqual([]);
    },
  );

  afterAll(() => {
    const values = checked.reduce((n, c) => n + c.values, 0);
    console.info(
      `XSS: ${PAYLOADS.length} payloads; ${checked.length} page visits; ${values} payload values checked; ` +
        `dialogs ${dialogs.length}; CSP console ${cspConsole.length}; baseline CSP ${JSON.stringify(baselineCsp)}`,
    );
  });
});
