import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, Client, createTestContext, createUser, type TestContext } from '../../test/harness.ts';

describe('bad input', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Client;
  const countOrgs = async () => (await ctx.db.selectFrom('organisation').select('id').execute()).length;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    app = await buildTestApp(ctx);
    admin = new Client(app);
    await admin.signInFully(await createUser(ctx, ['administrator']));
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const post = (payload: string, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: {
        'content-type': contentType,
        cookie: `tiaki_session=${admin.cookie}`,
        'x-csrf-token': admin.csrfToken ?? '',
      },
      payload,
    });

  function expectNoStack(body: string) {
    expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(body).not.toContain('stack');
  }

  it('malformed JSON: 400 malformed_json, nothing written', async () => {
    const before = await countOrgs();
    const res = await post('{"kind": "ngo", "name": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'malformed_json', message: expect.any(String) });
    expectNoStack(res.body);
    expect(await countOrgs()).toBe(before);
  });

  it('unknown fields and wrong types: 400 listing every failing field', async () => {
    const before = await countOrgs();
    const res = await post(
      JSON.stringify({ kind: 'bakery', name: 42, regionsServed: ['77'], colour: 'red' }),
    );
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; fields: { path: string; message: string }[] }>();
    expect(body.code).toBe('validation_failed');
    const paths = body.fields.map((f) => f.path).sort();
    expect(paths).toEqual(['colour', 'kind', 'name', 'regionsServed.0']);
    expect(body.fields.find((f) => f.path === 'colour')?.message).toMatch(/Unknown field/);
    expect(body.fields.find((f) => f.path === 'regionsServed.0')?.message).toBe('Unknown region code');
    expect(await countOrgs()).toBe(before);
  });

  it('oversized bodies: 400 body_too_large, nothing written', async () => {
    const before = await countOrgs();
    const res = await post(JSON.stringify({ kind: 'ngo', name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('body_too_large');
    expect(await countOrgs()).toBe(before);
  });

  it('bodies that are not JSON are refused', async () => {
    const res = await post('kind=ngo&name=x', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('bad path parameters and query strings: 400 with the field', async () => {
    const res = await admin.patch('/api/organisations/not-a-uuid', { version: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].path).toBe('id');
  });

  it('unknown routes: JSON 404 without a stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().code).toBe('route_not_found');
    expectNoStack(res.body);
  });
});
