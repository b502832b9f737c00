import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { PERMISSIONS } from '@tiaki/domain';
import { buildTestApp, Client, createTestContext, createUser, type TestContext } from '../../test/harness.ts';
import { installAccessControl } from './access.ts';

describe('route access declarations', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    app = await buildTestApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('every API route declares who may call it, and validates what it is sent', () => {
    const apiRoutes = app.declaredRoutes.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
    );
    expect(apiRoutes.length).toBeGreaterThan(10);
    for (const route of apiRoutes) {
      const validAccess = ['public', 'signing-in', 'signed-in', ...PERMISSIONS].includes(route.access);
      expect(validAccess, `${route.method} ${route.url}`).toBe(true);
      if (['POST', 'PATCH', 'PUT'].includes(route.method)) {
        expect(route.hasBodySchema, `${route.method} ${route.url} has a body schema`).toBe(true);
      }
      if (route.url !== '/api/openapi.json')
        expect(route.hasResponseSchema, `${route.method} ${route.url}`).toBe(true);
    }
  });

  it('snapshot of who may call what, so any change shows in review', () => {
    const table = app.declaredRoutes
      .filter((r) => !r.url.startsWith('/api/docs') && r.url !== '/*')
      .map(
        (r) => `${r.method.padEnd(6)} ${r.url.padEnd(40)} ${r.access}${r.acceptsApiKeys ? ' +api-keys' : ''}`,
      )
      .sort();
    expect(table).toMatchSnapshot();
  });

  it('refuses to start with a route that declares no access', async () => {
    const bare = Fastify();
    installAccessControl(bare, ctx);
    expect(() => bare.get('/api/forgotten', () => 'hello')).toThrow(/does not declare its access/);
    await bare.close();
  });

  it('answers 401 on every non-public route to a caller with no session', async () => {
    const anonymous = new Client(app);
    const guarded = app.declaredRoutes.filter((r) => r.access !== 'public' && r.url.startsWith('/api/'));
    for (const route of guarded) {
      const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000');
      const res = await anonymous.request(
        route.method as 'GET',
        url,
        route.method === 'GET' ? undefined : {},
      );
      expect(res.statusCode, `${route.method} ${url}`).toBe(401);
      expect(res.json().code).toBe('not_signed_in');
    }
  });

  it('denies a role the permissions it does not hold', async () => {
    const frontline = new Client(app);
    await frontline.signInFully(await createUser(ctx, ['frontline']));
    for (const url of ['/api/users', '/api/organisations', '/api/audit', '/api/audit/verify']) {
      const res = await frontline.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    const analyst = new Client(app);
    await analyst.signInFully(await createUser(ctx, ['analyst']));
    const attempt = await analyst.post('/api/organisations', {
      kind: 'ngo',
      name: 'Should not exist',
      regionsServed: [],
    });
    expect(attempt.statusCode).toBe(403);
    const count = await ctx.db
      .selectFrom('organisation')
      .select('id')
      .where('name', '=', 'Should not exist')
      .execute();
    expect(count).toHaveLength(0);
  });

  it('gives an administrator no route to audit content, and an auditor none to accounts', async () => {
    const admin = new Client(app);
    await admin.signInFully(await createUser(ctx, ['administrator']));
    expect((await admin.get('/api/audit')).statusCode).toBe(403);
    const auditor = new Client(app);
    await auditor.signInFully(await createUser(ctx, ['auditor']));
    expect((await auditor.get('/api/users')).statusCode).toBe(403);
    expect((await auditor.get('/api/audit')).statusCode).toBe(200);
  });
});
