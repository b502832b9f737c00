import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralDetail } from '@tiaki/domain';
import {
  buildFuzzWorld,
  encode,
  ensureAlive,
  exampleOf,
  FUZZ_ENV,
  fuzzRoutes,
  mayHaveEndedSession,
  refreshVocabulary,
  responseProblems,
  send,
  stringPaths,
  withValueAt,
  type FuzzRoute,
  type FuzzWorld,
  type Persona,
} from '../../test/fuzz.ts';
import { buildTestApp, createTestContext, type TestContext } from '../../test/harness.ts';
import { validReferral } from '../../test/referrals.ts';

/**
 * Classic SQL injection payloads through every string field of every JSON body, every query-string
 * parameter and every path parameter, sent by someone the route allows (so free text passes
 * validation and reaches the database). No 5xx, no database error in any answer, nothing slow
 * (pg_sleep), no table dropped, and free text stored and read back exactly as sent.
 */

const SQL_PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  "admin'--",
  "'; DROP TABLE referral; --",
  "'); DROP TABLE child; --",
  '1; DROP TABLE case_record',
  '1 UNION SELECT NULL, password_hash FROM app_user --',
  "' UNION SELECT table_name, NULL FROM information_schema.tables --",
  '$$; DROP TABLE decision; $$',
  '$tag$ injected $tag$',
  "\\'; DROP TABLE service_referral; --",
  "\\\\'",
  "E'\\x27 OR 1=1'",
  '/* comment */ OR /**/ 1=1',
  '1 -- trailing comment',
  "'; SELECT pg_sleep(5); --",
  "' || pg_sleep(5) || '",
  '1) OR pg_sleep(5)--',
  "'; UPDATE app_user SET is_active = false; --",
  "'; COPY (SELECT '') TO PROGRAM 'touch /tmp/tiaki-pwned'; --",
  "1' ORDER BY 100--",
  "'::text::int --",
  '%27%20OR%201%3D1',
  "x\u0000' OR 1=1 --",
  "Ngā mihi'; DROP TABLE referral; --",
];

// An injected pg_sleep(5) takes at least 5 s on any machine; a request on a busy machine can take a
// few seconds without anything being wrong, so the line sits just under the sleep.
const SLOW_MS = 4_500;

/** Who sends requests to a route: someone it allows, the most likely owner first. */
const PREFERENCE = [
  'caseworker',
  'triage',
  'decision-maker',
  'supervisor',
  'frontline',
  'service-provider',
  'data-steward',
  'analyst',
  'administrator',
  'privacy-officer',
  'auditor',
];

describe('SQL injection through every field', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: FuzzWorld;
  let routes: FuzzRoute[];
  let tablesBefore: string[];
  const personaOf = (name: string): Persona => {
    const persona = world.personas.find((p) => p.name === name);
    if (!persona) throw new Error(`no persona ${name}`);
    return persona;
  };
  const tables = async () =>
    (
      await ctx.database.owner.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    ctx = await createTestContext('pglite', FUZZ_ENV);
    app = await buildTestApp(ctx);
    world = await buildFuzzWorld(ctx, app);
    await refreshVocabulary(world);
    routes = fuzzRoutes(app).filter((r) => !r.url.startsWith('/api/docs'));
    tablesBefore = await tables();
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  /** Ids of real records, so a request reaches the code that queries them. */
  async function recordIds() {
    const one = async (sqlText: string) =>
      (await ctx.database.owner.query<{ id: string }>(sqlText))[0]?.id ??
      '00000000-0000-4000-8000-000000000000';
    const [caseA = '', caseB = ''] = world.caseIds;
    const user = (name: string) => personaOf(name).user?.id ?? '';
    return {
      caseA,
      caseB,
      decision: await one(`SELECT id::text FROM decision WHERE case_id = '${caseA}' LIMIT 1`),
      service: await one('SELECT id::text FROM service LIMIT 1'),
      serviceReferral: await one('SELECT id::text FROM service_referral LIMIT 1'),
      draft: await one('SELECT id::text FROM referral_draft LIMIT 1'),
      caseOrganisation: await one(`SELECT organisation_id::text AS id FROM case_organisation LIMIT 1`),
      lead: personaOf('caseworker').organisationId ?? '',
      shelter: personaOf('service-provider').organisationId ?? '',
      caseworker: user('caseworker'),
      triage: user('triage'),
      decisionMaker: user('decision-maker'),
    };
  }

  function pathIdsFor(url: string, ids: Awaited<ReturnType<typeof recordIds>>): Record<string, string> {
    const at = (prefix: string) => url.startsWith(prefix);
    if (at('/api/cases/')) return { id: ids.caseA, itemId: ids.caseOrganisation };
    if (at('/api/triage/referrals/') || at('/api/referrals/')) return { id: world.referralId };
    if (at('/api/decisions/')) return { id: ids.decision };
    if (at('/api/service-referrals/')) return { id: ids.serviceReferral };
    if (at('/api/services/')) return { id: ids.service };
    if (at('/api/users/')) return { id: world.spare.id };
    if (at('/api/organisations/')) return { id: ids.lead };
    if (at('/api/referral-drafts/')) return { id: ids.draft };
    return {};
  }

  function personaFor(route: FuzzRoute): number {
    const index = (name: string) => world.personas.findIndex((p) => p.name === name);
    if (route.url.startsWith('/api/service') && !route.url.startsWith('/api/services/:id/'))
      return index('service-provider');
    if (route.url.startsWith('/api/extracts')) return index('analyst');
    if (route.access === 'public') return index('anonymous');
    for (const name of PREFERENCE) {
      const persona = personaOf(name);
      if (
        ['signed-in', 'signing-in'].includes(route.access) ||
        persona.permissions.has(route.access as never)
      )
        return index(name);
    }
    return index('caseworker');
  }

  it(
    'no 5xx, no database error, nothing slow, whatever field a payload is put in',
    { timeout: 1_800_000 },
    async () => {
      const ids = await recordIds();
      const bodyIds: Record<string, string> = {
        caseId: ids.caseA,
        otherCaseId: ids.caseB,
        caseworkerId: ids.caseworker,
        userId: ids.caseworker,
        ownerUserId: ids.caseworker,
        assigneeId: ids.decisionMaker,
        memberIds: ids.decisionMaker,
        organisationId: ids.lead,
        ownerOrganisationId: ids.lead,
        providerOrganisationId: ids.shelter,
        serviceId: ids.service,
        referralIds: world.referralId,
      };
      const problems: string[] = [];
      const combinations = { body: 0, query: 0, path: 0, reachedHandler: 0, routes: new Set<string>() };
      let slowest = { ms: 0, what: '' };

      const attempt = async (
        route: FuzzRoute,
        kind: 'body' | 'query' | 'path',
        field: string,
        payload: string,
        url: string,
        body: unknown,
      ) => {
        const persona = personaFor(route);
        const timed = async () => {
          const started = performance.now();
          const answer = await send(world, route.method, {
            persona,
            url,
            body: body === undefined ? undefined : JSON.stringify(body),
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            csrf: 'ok',
          });
          return { res: answer, ms: performance.now() - started };
        };
        let { res, ms } = await timed();
        // A slow answer is asked again: an injected pg_sleep is slow every time, while a busy
        // machine or a first (uncached) computation is not. Only reads are repeated.
        if (ms > SLOW_MS && route.method === 'GET') ({ res, ms } = await timed());
        combinations[kind]++;
        combinations.routes.add(`${route.method} ${route.url}`);
        if (!(res.statusCode === 400 && res.json<{ code: string }>().code === 'validation_failed'))
          combinations.reachedHandler++;
        const what = `${route.method} ${route.url} ${kind} ${field} = ${JSON.stringify(payload)}`;
        if (ms > slowest.ms) slowest = { ms, what };
        if (ms > SLOW_MS) problems.push(`${what}: took ${Math.round(ms)} ms`);
        for (const problem of responseProblems(res, { echoed: [payload, encode(payload)] }))
          problems.push(`${what}: ${problem} — ${res.body.slice(0, 300)}`);
        const who = world.personas[persona];
        if (who && mayHaveEndedSession(res)) await ensureAlive(ctx, app, who, world.personas);
      };

      for (const route of routes) {
        const pathIds = pathIdsFor(route.url, ids);
        const fill = (override?: { name: string; value: string }) =>
          route.url.replace(/:(\w+)/g, (_m, name: string) =>
            override?.name === name
              ? encode(override.value)
              : (pathIds[name] ?? world.vocabulary.ids[0] ?? ''),
          );
        const baseQuery = route.query
          .filter((p) => p.required)
          .map((p) => [p.name, String(exampleOf(p.schema, world.vocabulary, bodyIds, p.name))] as const);
        const queryString = (override?: { name: string; value: string }) => {
          const pairs = baseQuery.filter(([name]) => name !== override?.name);
          if (override) pairs.push([override.name, override.value]);
          return pairs.length > 0 ? `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}` : '';
        };
        const base: unknown =
          route.url === '/api/referrals'
            ? validReferral({ concern: { date: '2026-07-01', region: '02' } })
            : route.url.startsWith('/api/referral-drafts')
              ? { step: 1, content: { narrative: 'A draft narrative', referrer: { name: 'Someone' } } }
              : route.body
                ? exampleOf(route.body, world.vocabulary, bodyIds)
                : undefined;

        for (const payload of SQL_PAYLOADS) {
          if (base !== undefined) {
            for (const path of stringPaths(base)) {
              await attempt(
                route,
                'body',
                path.join('.'),
                payload,
                fill() + queryString(),
                withValueAt(base, path, payload),
              );
            }
          }
          for (const parameter of route.query) {
            await attempt(
              route,
              'query',
              parameter.name,
              payload,
              fill() + queryString({ name: parameter.name, value: payload }),
              base,
            );
          }
          for (const parameter of route.path) {
            await attempt(
              route,
              'path',
              parameter.name,
              payload,
              fill({ name: parameter.name, value: payload }) + queryString(),
              base,
            );
          }
        }
      }
      const total = combinations.body + combinations.query + combinations.path;
      console.log(
        `SQL injection: ${SQL_PAYLOADS.length} payloads; ${total} payload × field × route combinations ` +
          `(body ${combinations.body}, query ${combinations.query}, path ${combinations.path}) over ` +
          `${combinations.routes.size} routes; ${combinations.reachedHandler} passed validation; ` +
          `slowest ${Math.round(slowest.ms)} ms (${slowest.what})`,
      );
      expect(problems).toEqual([]);
      expect(total).toBeGreaterThan(1000);
    },
  );

  it('stores free text exactly as sent and reads it back: referrals, case notes, organisation names', async () => {
    const frontline = personaOf('frontline');
    const caseworker = personaOf('caseworker');
    const admin = personaOf('administrator');
    for (const persona of [frontline, caseworker, admin])
      await ensureAlive(ctx, app, persona, world.personas);
    const [caseId = ''] = world.caseIds;
    for (const payload of SQL_PAYLOADS) {
      if (payload.includes('\u0000')) {
        // PostgreSQL text cannot hold NUL: it is refused as bad input, never stored or half-stored.
        const refused = await frontline.client?.post(
          '/api/referrals',
          validReferral({ concern: { date: '2026-07-01', region: '02' }, narrative: payload }),
        );
        expect(refused?.statusCode).toBe(400);
        expect(refused?.json()).toMatchObject({
          code: 'validation_failed',
          fields: [{ path: 'narrative', message: 'Must not contain the NUL character' }],
        });
        continue;
      }
      const submitted = await frontline.client?.post(
        '/api/referrals',
        validReferral(
          {
            concern: { date: '2026-07-01', region: '02' },
            narrative: payload,
            childViews: payload,
            referrer: { name: payload, role: payload },
          },
          { currentLocation: payload, aliases: [payload] },
        ),
      );
      expect(submitted?.statusCode, submitted?.body).toBe(201);
      const read = await frontline.client?.get(
        `/api/referrals/${submitted?.json<{ id: string }>().id ?? ''}`,
      );
      expect(read?.statusCode).toBe(200);
      const data = read?.json<ReferralDetail>().data as {
        narrative: string;
        childViews: string;
        referrer: { name: string; role: string };
        child: { currentLocation: string; aliases: string[] };
      };
      expect(data.narrative).toBe(payload);
      expect(data.childViews).toBe(payload);
      expect(data.referrer).toMatchObject({ name: payload, role: payload });
      expect(data.child.currentLocation).toBe(payload);
      expect(data.child.aliases).toEqual([payload]);

      const noted = await caseworker.client?.post(`/api/cases/${caseId}/notes`, { body: payload });
      expect(noted?.statusCode, noted?.body).toBe(201);
      const notes = (await caseworker.client?.get(`/api/cases/${caseId}`))?.json<{
        notes: { body: string }[];
      }>().notes;
      expect(notes?.map((n) => n.body)).toContain(payload);

      const organisation = await admin.client?.post('/api/organisations', {
        kind: 'ngo',
        name: `Org ${payload}`,
        regionsServed: ['02'],
      });
      expect(organisation?.statusCode, organisation?.body).toBe(201);
      const listed = (await admin.client?.get('/api/organisations'))?.json<{
        organisations: { name: string }[];
      }>();
      expect(listed?.organisations.map((o) => o.name)).toContain(`Org ${payload}`);
    }
    // A filter holding a payload matches nothing, rather than everything.
    const auditor = personaOf('auditor');
    await ensureAlive(ctx, app, auditor, world.personas);
    for (const payload of SQL_PAYLOADS) {
      const res = await auditor.client?.get(`/api/audit?action=${encode(payload.slice(0, 100))}`);
      expect(res?.statusCode, res?.body).toBe(payload.includes('\u0000') ? 400 : 200);
      if (res?.statusCode === 200) expect(res.json<{ events: unknown[] }>().events).toEqual([]);
    }
  });

  it('dropped no table and left every record in place', async () => {
    expect(await tables()).toEqual(tablesBefore);
    const [counts] = await ctx.database.owner.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM referral) AS referral, (SELECT count(*)::int FROM child) AS child,
         (SELECT count(*)::int FROM case_record) AS case_record, (SELECT count(*)::int FROM decision) AS decision,
         (SELECT count(*)::int FROM service_referral) AS service_referral,
         (SELECT count(*)::int FROM app_user WHERE NOT is_active AND id <> $1) AS inactive`,
      // The spare account may be deactivated on purpose: PATCH /api/users/:id is sent isActive false.
      [world.spare.id],
    );
    expect(counts?.referral).toBeGreaterThanOrEqual(4);
    expect(counts?.child).toBeGreaterThanOrEqual(4);
    expect(counts?.case_record).toBeGreaterThanOrEqual(2);
    expect(counts?.decision).toBeGreaterThanOrEqual(2);
    expect(counts?.service_referral).toBeGreaterThanOrEqual(1);
    expect(counts?.inactive).toBe(0);
  });

  it('serves a Content-Security-Policy that forbids inline script, and JSON that is never sniffed as HTML', async () => {
    for (const url of ['/healthz', '/api/session', '/api/no-such-route']) {
      const res = await app.inject({ method: 'GET', url });
      const policy = res.headers['content-security-policy'] ?? '';
      const directives = new Map(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((parts) => parts[0])
          .map(([name = '', ...values]) => [name, values] as const),
      );
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      expect(scriptSrc, `${url}: ${policy}`).toBeDefined();
      expect(scriptSrc).toContain("'self'");
      for (const unsafe of [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'unsafe-hashes'",
        'data:',
        '*',
        'http:',
        'https:',
      ])
        expect(scriptSrc, `${url} script-src`).not.toContain(unsafe);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
