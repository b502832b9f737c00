import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { buildApp, loggerOptions } from '../../app.ts';
import { Client, createTestContext, createUser, type TestContext } from '../../../test/harness.ts';

describe('health, API documentation and logs', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const logLines: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    const logger = { ...(loggerOptions('info') as object), stream };
    app = await buildApp(ctx, { logger });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('reports health and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready', database: 'pglite' });
  });

  it('publishes an OpenAPI 3.1 document generated from the schemas, and browsable docs', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/sign-in', '/api/users', '/api/audit/verify']),
    );
    const signIn = doc.paths['/api/auth/sign-in'].post;
    expect(signIn.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    expect(Object.keys(signIn.responses)).toEqual(expect.arrayContaining(['200', '401', '429']));
    const docs = await app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('logs request ids and route patterns, never emails, passwords, cookies or query strings', async () => {
    const user = await createUser(ctx, ['auditor']);
    const client = new Client(app);
    await client.signInFully(user);
    await client.get(`/api/audit?subjectId=${encodeURIComponent('Aroha Ngata')}`);
    await new Client(app).signIn(user.email, 'the wrong password');
    const logs = logLines.join('');
    expect(logs).toContain('"route":"/api/auth/sign-in"');
    expect(logs).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    for (const secret of [
      user.email,
      user.password,
      'the wrong password',
      'Aroha',
      client.cookie ?? 'no-cookie',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
