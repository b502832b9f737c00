import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import spectralCore, { type RulesetDefinition } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { testEnv } from '../../test/harness.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { installAccessControl } from './access.ts';
import { todayFor } from '../runtime.ts';
import { KeyRing } from '../security/keyring.ts';
import { createPasswordHasher } from '../security/passwords.ts';

const { Spectral } = spectralCore;

/**
 * The document comes from the routes alone, so the app is built without a database (which
 * would take most of this test's time): any use of it fails the test.
 */
function contextWithoutDatabase(): AppContext {
  const config = loadConfig(testEnv());
  const absent = new Proxy(
    {},
    {
      get: (_target, property) => {
        throw new Error(`Building the API document used the database (${String(property)})`);
      },
    },
  ) as Database;
  return {
    config,
    database: absent,
    db: absent as unknown as Database['db'],
    keyring: new KeyRing(config.encryptionKeys, config.blindIndexKey),
    passwords: createPasswordHasher(config.argon2MemoryKib),
    today: todayFor(config),
  };
}

describe('the OpenAPI document agencies generate clients from', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let doc: {
    servers: { url: string }[];
    paths: Record<string, Record<string, { description: string; security: unknown[] }>>;
  };

  beforeAll(async () => {
    ctx = contextWithoutDatabase();
    app = await buildApp(ctx);
    doc = (await app.inject('/api/openapi.json')).json();
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives every operation a unique camelCase operationId, a one-line summary and what it does', () => {
    const documented = app.declaredRoutes.filter((route) => route.documentation);
    expect(documented.length).toBeGreaterThan(90);
    const missing: string[] = [];
    const problems: string[] = [];
    const operationIds = new Map<string, string>();
    for (const route of documented) {
      const name = `${route.method} ${route.url}`;
      const { operationId, summary, describes } = route.documentation ?? {};
      if (!operationId || !summary || !describes) {
        missing.push(name);
        continue;
      }
      if (!/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(operationId))
        problems.push(`${name}: operationId ${operationId} is not a camelCase verb phrase`);
      const other = operationIds.get(operationId);
      if (other) problems.push(`${name}: operationId ${operationId} already names ${other}`);
      operationIds.set(operationId, name);
      if (summary.includes('\n') || summary.length > 110)
        problems.push(`${name}: the summary is not one short line (${summary.length} characters)`);
    }
    expect(problems).toEqual([]);
    expect(missing, 'routes without an operationId, a summary or a description').toEqual([]);
  });

  it("passes Spectral's OpenAPI ruleset (spectral:oas) with no error or warning", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(oas as RulesetDefinition);
    const findings = await spectral.run(doc);
    const reported = findings.map((f) => `${String(f.code)} at ${f.path.join(' › ')}: ${f.message}`);
    expect(reported).toEqual([]);
  });

  it('says who may call each operation, from the access the route declares', () => {
    expect(doc.servers).toEqual([{ url: ctx.config.publicUrl, description: 'This installation' }]);
    const submit = doc.paths['/api/referrals']?.post;
    expect(submit?.description).toMatch(
      /Who may call it: .*"referrals\.create" \(frontline, triage, caseworker\)/,
    );
    expect(submit?.description).toContain('organisation systems with an API key');
    expect(submit?.security).toEqual([{ session: [], csrf: [] }, { apiKey: [] }]);
    const signIn = doc.paths['/api/auth/sign-in']?.post;
    expect(signIn?.description).toContain('Who may call it: anyone, signed in or not.');
    expect(signIn?.security).toEqual([]);
    expect(doc.paths['/api/users']?.get?.security).toEqual([{ session: [] }]);
    expect(doc.paths['/api/session']?.get?.description).toContain(
      'Who may call it: anyone with a session, at any stage of signing in.',
    );
    expect(doc.paths['/api/referrals/{id}']?.get?.description).toMatch(
      /Answers 404 .*\n\nWho may call it: anyone fully signed in, with any role\.$/s,
    );
  });

  it('refuses to start with a route without its name and words, or under a URL prefix with no tag', async () => {
    const bare = Fastify();
    installAccessControl(bare, ctx);
    const documented = { operationId: 'sayHello', summary: 'Says hello', description: 'Says hello.' };
    expect(() =>
      bare.get('/api/unheard-of', { config: { access: 'public' }, schema: documented }, () => 'hello'),
    ).toThrow(/has no API tag/);
    expect(() =>
      bare.get(
        '/api/referrals/hello',
        { config: { access: 'public' }, schema: { summary: 'Says hello' } },
        () => 'hi',
      ),
    ).toThrow(/has no operationId, summary or description/);
    await bare.close();
  });
});
