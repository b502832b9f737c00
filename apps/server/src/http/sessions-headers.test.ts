import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../app.ts';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../test/harness.ts';

/**
 * Sessions, CSRF, security headers and sign-in throttling, proved over HTTP (docs/security.md,
 * "Controls and their tests").
 */

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVIL_ORIGIN = 'https://evil.example';

/** A fingerprint of every table's whole content: equal fingerprints mean nothing was written. */
async function databaseFingerprint(ctx: TestContext): Promise<Record<string, string>> {
  const tables = await ctx.database.owner.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const out: Record<string, string> = {};
  for (const { table_name: name } of tables) {
    const rows = await ctx.database.owner.query<{ n: string; digest: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
    );
    out[name] = `${rows[0]?.n}:${rows[0]?.digest ?? ''}`;
  }
  return out;
}

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  const csp = res.headers['content-security-policy'] ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values] as const;
      }),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  // No inline script, no eval: script-src is exactly 'self'.
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  // No CORS: another origin's script cannot read any answer.
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
}

describe.each(DRIVERS)('sessions, CSRF, headers and throttling on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext(driver, {
      PUBLIC_URL: 'https://tiaki.example.nz',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_IP_LIMIT_PER_15_MINUTES: '1000',
    });
    app = await buildTestApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  describe('session cookie', () => {
    it('is HttpOnly, SameSite=Strict, Secure behind https, Path=/, host-only, and reissued at each stage', async () => {
      const user = await createUser(ctx, ['caseworker']);
      const client = new Client(app);
      const signIn = await client.signIn(user.email, user.password);
      expect(signIn.statusCode).toBe(200);
      const raw = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []);
      const line = raw.find((c) => c.startsWith('tiaki_session='));
      expect(line).toBeDefined();
      const attributes = line!
        .split(';')
        .slice(1)
        .map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=strict');
      expect(attributes).toContain('secure');
      expect(attributes).toContain('path=/');
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
      expect(attributes).toContain(`max-age=${12 * 3600}`);
      // The token itself is long and random, not an id.
      expect(client.cookie!.length).toBeGreaterThanOrEqual(43);

      // The MFA steps issue the cookie again with the same flags.
      await client.signInFully(user);
      expect(client.session?.stage).toBe('active');
    });

    it('is not Secure when PUBLIC_URL is plain http (local development)', async () => {
      const plain = await createTestContext(driver, { PUBLIC_URL: 'http://localhost:8080' });
      const plainApp = await buildTestApp(plain);
      try {
        const user = await createUser(plain, ['analyst']);
        const res = await new Client(plainApp).signIn(user.email, user.password);
        const cookie = res.cookies.find((c) => c.name === 'tiaki_session');
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
        expect(cookie?.secure).toBeFalsy();
        expect(cookie?.domain).toBeUndefined();
      } finally {
        await plainApp.close();
        await plain.close();
      }
    });

    it('sign-out clears the cookie on the same path', async () => {
      const user = await createUser(ctx, ['analyst']);
      const client = new Client(app);
      await client.signIn(user.email, user.password);
      const out = await client.post('/api/auth/sign-out');
      expect(out.statusCode).toBe(200);
      const cleared = out.cookies.find((c) => c.name === 'tiaki_session');
      expect(cleared?.value).toBe('');
      expect(cleared?.path).toBe('/');
    });
  });

  describe('CSRF', () => {
    it('refuses every state-changing route to a cross-site request without the token, and nothing changes', async () => {
      const routes = app.declaredRoutes.filter((r) => STATE_CHANGING.has(r.method) && r.access !== 'public');
      expect(routes.length).toBeGreaterThan(40);
      // A fully signed-in person holding every role whose route it might be.
      const user = await createUser(ctx, ['administrator', 'caseworker', 'supervisor', 'triage']);
      const victim = new Client(app);
      await victim.signInFully(user);
      expect(victim.session?.stage).toBe('active');

      const before = await databaseFingerprint(ctx);
      const refused: string[] = [];
      for (const route of routes) {
        const url = route.url.replace(/:[A-Za-z]+/g, () => randomUUID());
        for (const token of [undefined, 'forged-token', '']) {
          const headers: Record<string, string> = { origin: EVIL_ORIGIN, 'sec-fetch-site': 'cross-site' };
          if (token !== undefined) headers['x-csrf-token'] = token;
          const res = await victim.request(route.method as 'POST', url, {}, { csrf: false, headers });
          expect(res.statusCode, `${route.method} ${route.url} (${String(token)})`).toBe(403);
          expect(res.json<{ code: string }>().code).toBe('csrf_failed');
        }
        refused.push(`${route.method} ${route.url}`);
      }
      expect(refused).toHaveLength(routes.length);
      expect(await databaseFingerprint(ctx)).toEqual(before);
      // The victim's session still works and, with its own token, the same request succeeds.
      expect((await victim.get('/api/session')).statusCode).toBe(200);
      expect((await victim.post('/api/auth/sign-out')).statusCode).toBe(200);
    });

    it("refuses a request carrying another session's token", async () => {
      const a = new Client(app);
      const b = new Client(app);
      const userA = await createUser(ctx, ['analyst']);
      const userB = await createUser(ctx, ['analyst']);
      await a.signIn(userA.email, userA.password);
      await b.signIn(userB.email, userB.password);
      const res = await a.request(
        'POST',
        '/api/auth/sign-out',
        {},
        { csrf: false, headers: { 'x-csrf-token': b.csrfToken! } },
      );
      expect(res.statusCode).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('csrf_failed');
      expect((await a.get('/api/session')).statusCode).toBe(200);
    });

    it('accepts only JSON at sign-in, so a cross-site HTML form cannot sign someone in', async () => {
      const user = await createUser(ctx, ['analyst']);
      for (const [type, payload] of [
        ['application/x-www-form-urlencoded', `email=${encodeURIComponent(user.email)}&password=x`],
        ['text/plain', JSON.stringify({ email: user.email, password: user.password })],
        [
          'multipart/form-data; boundary=x',
          `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--`,
        ],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          headers: { 'content-type': type, origin: EVIL_ORIGIN },
          payload,
        });
        expect(res.statusCode, type).toBe(415);
        expect(res.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
      }
    });
  });

  describe('security headers', () => {
    it('sends CSP without inline script, frame-ancestors none, DENY, nosniff, no-referrer and HSTS on API answers', async () => {
      const user = await createUser(ctx, ['analyst']);
      const client = new Client(app);
      await client.signIn(user.email, user.password);
      const answers = [
        await app.inject({ method: 'GET', url: '/healthz' }),
        await app.inject({ method: 'GET', url: '/api/session' }), // 401
        await app.inject({ method: 'GET', url: '/api/no-such-route' }), // 404
        await client.get('/api/session'),
        await client.get('/api/reference'),
        await client.post('/api/auth/sign-out', {}, { csrf: false }), // 403
      ];
      expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404, 200, 200, 403]);
      for (const res of answers) {
        expectSecurityHeaders(res);
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      }
    });

    it('sends the same headers on the web app’s HTML pages', async () => {
      const webDist = mkdtempSync(join(tmpdir(), 'tiaki-web-'));
      writeFileSync(
        join(webDist, 'index.html'),
        '<!doctype html><html><head><script type="module" src="/app.js"></script></head></html>',
      );
      const webApp = await buildApp(ctx, { webDist });
      await webApp.ready();
      try {
        // The web app's pages, a client-side route, and the API documentation (Swagger UI).
        for (const url of ['/', '/cases/some-client-route', '/api/docs']) {
          const res = await webApp.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
          expect(res.statusCode, url).toBe(200);
          expect(String(res.headers['content-type'])).toContain('text/html');
          expectSecurityHeaders(res);
          expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        }
      } finally {
        await webApp.close();
      }
    });

    it('sends the web app compressed, its hashed files cached for a year and its page checked every time', async () => {
      const webDist = mkdtempSync(join(tmpdir(), 'tiaki-web-'));
      mkdirSync(join(webDist, 'assets'));
      writeFileSync(join(webDist, 'index.html'), '<!doctype html><html><body>Tiaki</body></html>');
      const script = `export const words = ${JSON.stringify('kia ora '.repeat(500))};`;
      writeFileSync(join(webDist, 'assets', 'index-abc123.js'), script);
      writeFileSync(join(webDist, 'assets', 'index-abc123.js.br'), brotliCompressSync(script));
      const webApp = await buildApp(ctx, { webDist });
      await webApp.ready();
      try {
        const compressed = await webApp.inject({
          method: 'GET',
          url: '/assets/index-abc123.js',
          headers: { 'accept-encoding': 'gzip, deflate, br' },
        });
        expect(compressed.statusCode).toBe(200);
        expect(compressed.headers['content-encoding']).toBe('br');
        expect(compressed.rawPayload.length).toBeLessThan(script.length / 10);
        expect(brotliDecompressSync(compressed.rawPayload).toString()).toBe(script);
        expect(compressed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        // A browser that takes no brotli gets the file as it is.
        const plain = await webApp.inject({ method: 'GET', url: '/assets/index-abc123.js' });
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body).toBe(script);
        for (const url of ['/', '/cases/some-client-route']) {
          const page = await webApp.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
          expect(page.statusCode, url).toBe(200);
          expect(page.headers['cache-control'], url).toBe('no-cache');
        }
      } finally {
        await webApp.close();
      }
    });

    it('sends no HSTS and no upgrade-insecure-requests over plain http', async () => {
      const plain = await createTestContext(driver, { PUBLIC_URL: 'http://localhost:8080' });
      const plainApp = await buildTestApp(plain);
      try {
        for (const url of ['/healthz', '/api/session']) {
          const res = await plainApp.inject({ method: 'GET', url });
          expectSecurityHeaders(res);
          expect(res.headers['strict-transport-security']).toBeUndefined();
          expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
        }
      } finally {
        await plainApp.close();
        await plain.close();
      }
    });
  });

  describe('sign-in throttling', () => {
    it('locks an account after LOGIN_MAX_FAILURES, whichever client tries, and refuses the right password', async () => {
      const user = await createUser(ctx, ['analyst']);
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          remoteAddress: `10.1.0.${i + 1}`,
          payload: { email: user.email, password: `wrong ${i}` },
        });
        codes.push(res.json<{ code: string }>().code);
      }
      // Locked or wrong: one answer, so a stranger cannot learn that the account exists.
      expect(codes).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials']);
      const right = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress: '10.1.0.99',
        payload: { email: user.email, password: user.password },
      });
      expect(right.statusCode).toBe(401);
      expect(right.json<{ code: string }>().code).toBe('invalid_credentials');
      expect(right.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
    });

    it('limits each client to LOGIN_IP_LIMIT_PER_15_MINUTES attempts; a spoofed X-Forwarded-For does not escape it', async () => {
      const limited = await createTestContext(driver, { LOGIN_IP_LIMIT_PER_15_MINUTES: '3' });
      const limitedApp = await buildTestApp(limited);
      try {
        const user = await createUser(limited, ['analyst']);
        const attempt = (remoteAddress: string, password: string, forwarded?: string) =>
          limitedApp.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            remoteAddress,
            headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
            payload: { email: user.email, password },
          });
        // Attempts against unknown and real accounts alike count (not enough to lock the account).
        expect((await attempt('10.2.0.1', 'wrong')).statusCode).toBe(401);
        expect((await attempt('10.2.0.1', 'wrong')).statusCode).toBe(401);
        expect((await attempt('10.2.0.1', user.password)).statusCode).toBe(200);
        const over = await attempt('10.2.0.1', user.password);
        expect(over.statusCode).toBe(429);
        expect(over.json<{ code: string }>().code).toBe('too_many_attempts');
        expect(over.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
        // TRUST_PROXY is off: a forged header is not a new client.
        expect((await attempt('10.2.0.1', user.password, '203.0.113.7')).statusCode).toBe(429);
        // Another client is unaffected.
        expect((await attempt('10.2.0.2', user.password)).statusCode).toBe(200);
      } finally {
        await limitedApp.close();
        await limited.close();
      }
    });

    it('fails closed: when the throttle store cannot be read, sign-in is refused and no session is issued', async () => {
      const broken = await createTestContext(driver);
      const brokenApp = await buildTestApp(broken);
      try {
        const user = await createUser(broken, ['analyst']);
        await broken.database.owner.exec('ALTER TABLE sign_in_attempt RENAME TO sign_in_attempt_unavailable');
        const res = await new Client(brokenApp).signIn(user.email, user.password);
        expect(res.statusCode).toBe(500);
        expect(res.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
        expect(res.body).not.toContain('sign_in_attempt');
        const sessions = await broken.db.selectFrom('session').select('id').execute();
        expect(sessions).toHaveLength(0);
        // Store back: the same sign-in works, so the refusal was the throttle's doing.
        await broken.database.owner.exec('ALTER TABLE sign_in_attempt_unavailable RENAME TO sign_in_attempt');
        expect((await new Client(brokenApp).signIn(user.email, user.password)).statusCode).toBe(200);
      } finally {
        await brokenApp.close();
        await broken.close();
      }
    });
  });
});
