import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../test/harness.ts';
import { MAX_BODY_DEPTH } from './errors.ts';

/** Nests a value `levels` deep in objects: {a:{a:{...}}}. */
function nested(levels: number, leaf: unknown = 'Mere'): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** The same as JSON text, built without recursion (JSON.stringify would overflow the test's own stack). */
const deepJson = (levels: number, around: (inner: string) => string) =>
  around(`${'{"a":'.repeat(levels)}"Mere"${'}'.repeat(levels)}`);

/** Sends raw JSON text as the client would, with its session cookie and CSRF token. */
const sendRaw = (app: FastifyInstance, client: Client, url: string, payload: string) =>
  app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      'content-type': 'application/json',
      ...(client.cookie ? { cookie: `tiaki_session=${client.cookie}` } : {}),
      ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
    },
  });

const PUBLIC = ['/api/openapi.json', '/api/reference', '/api/docs'];

describe.each(DRIVERS)('what every API answer promises, on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Client;
  let frontline: Client;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    admin = new Client(app);
    await admin.signInFully(await createUser(ctx, ['administrator']));
    frontline = new Client(app);
    await frontline.signInFully(await createUser(ctx, ['frontline']));
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('tells browsers and proxies not to store any answer but the public reference ones', async () => {
    const spec = (await admin.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const paths = Object.entries(spec.paths)
      .filter(([path, operations]) => path.startsWith('/api/') && 'get' in operations)
      .map(([path]) => path.replace(/\{[^}]+\}/g, randomUUID()));
    expect(paths.length).toBeGreaterThan(30);
    const kept: string[] = [];
    for (const path of paths) {
      if (PUBLIC.some((p) => path === p || path.startsWith(`${p}/`))) continue;
      for (const client of [admin, frontline, new Client(app)]) {
        const res = await client.get(path);
        if (res.headers['cache-control'] !== 'no-store') kept.push(`${path} ${res.statusCode}`);
      }
    }
    expect(kept).toEqual([]);
    // Answers naming a person, signed in or not, and errors too.
    const session = await admin.get('/api/session');
    expect(session.json()).toHaveProperty('user.email');
    expect(session.headers['cache-control']).toBe('no-store');
    expect(
      (await new Client(app).post('/api/auth/sign-in', { email: 'x@example.test', password: 'y' })).headers[
        'cache-control'
      ],
    ).toBe('no-store');
    expect((await admin.get('/api/no-such-thing')).headers['cache-control']).toBe('no-store');
    // Reference data is public and the same for everyone: it may be cached.
    expect((await new Client(app).get('/api/reference')).headers['cache-control']).not.toBe('no-store');
  });

  it('refuses a body nested 5,000 levels deep with 400 and the usual error shape, not a 500', async () => {
    const res = await sendRaw(
      app,
      frontline,
      '/api/referral-drafts',
      deepJson(5000, (inner) => `{"step":1,"content":${inner}}`),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'too_deeply_nested',
      message: expect.stringMatching(/more than 64 levels deep/),
      requestId: expect.any(String),
    });
    expect((await frontline.get('/api/referral-drafts')).json<{ drafts: unknown[] }>().drafts).toHaveLength(
      0,
    );
    // Before sign-in checks too: an anonymous deep body is refused the same way.
    const anonymous = await sendRaw(
      app,
      new Client(app),
      '/api/auth/sign-in',
      deepJson(5000, (inner) => inner),
    );
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().code).toBe('too_deeply_nested');
  });

  it('still takes a draft nested as deep as the limit allows', async () => {
    // The body itself is one level; its content the rest.
    const res = await frontline.post('/api/referral-drafts', {
      step: 1,
      content: nested(MAX_BODY_DEPTH - 1),
    });
    expect(res.statusCode).toBe(201);
    const over = await frontline.post('/api/referral-drafts', {
      step: 1,
      content: nested(MAX_BODY_DEPTH),
    });
    expect(over.statusCode).toBe(400);
  });
});
