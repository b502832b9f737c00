import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApp,
  Client,
  createOrganisation,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../../test/harness.ts';
import { validReferral } from '../../../test/referrals.ts';

describe.each(DRIVERS)('organisation API keys on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    admin = new Client(app);
    await admin.signInFully(await createUser(ctx, ['administrator']));
    orgId = (await createOrganisation(ctx, 'oranga_tamariki')).id;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const submit = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/referrals',
      headers: { authorization: `Bearer ${key}`, ...headers },
      payload: body as object,
    });

  it('issues a key shown once and stored hashed; a system submits referrals with it, idempotently', async () => {
    const res = await admin.post(`/api/organisations/${orgId}/api-keys`, {
      name: 'Case system',
      scopes: ['referrals.create'],
    });
    expect(res.statusCode).toBe(201);
    const { key, apiKey } = res.json<{ key: string; apiKey: { id: string; prefix: string } }>();
    expect(key).toMatch(/^tk_[0-9a-f]{12}_/);
    const stored = await ctx.database.owner.query<{ row: string }>(
      'SELECT row_to_json(k)::text AS row FROM api_key k',
    );
    expect(stored.map((r) => r.row).join()).not.toContain(key.split('_').slice(2).join('_'));
    expect((await admin.get(`/api/organisations/${orgId}/api-keys`)).json().apiKeys[0]).toMatchObject({
      prefix: apiKey.prefix,
      lastUsedAt: null,
    });

    const first = await submit(key, validReferral(), { 'idempotency-key': 'sys-1' });
    expect(first.statusCode).toBe(201);
    const again = await submit(key, validReferral(), { 'idempotency-key': 'sys-1' });
    expect(again.json().reference).toBe(first.json().reference);
    const row = await ctx.db
      .selectFrom('referral')
      .select(['organisation_id', 'submitted_by_api_key_id', 'submitted_by_user_id'])
      .where('id', '=', first.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      organisation_id: orgId,
      submitted_by_api_key_id: apiKey.id,
      submitted_by_user_id: null,
    });
  });

  it('a key reaches nothing but referral submission, and a revoked or wrong key reaches nothing', async () => {
    const { key, apiKey } = (
      await admin.post(`/api/organisations/${orgId}/api-keys`, { name: 'Limited' })
    ).json<{
      key: string;
      apiKey: { id: string };
    }>();
    for (const url of ['/api/referrals/mine', '/api/users', '/api/session']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode, url).toBe(403);
    }
    expect((await submit(`${key.slice(0, -1)}x`, validReferral())).json().code).toBe('invalid_api_key');
    expect((await submit('tk_nonsense', validReferral())).statusCode).toBe(401);
    expect((await admin.post(`/api/api-keys/${apiKey.id}/revoke`)).json().revokedAt).not.toBeNull();
    const revoked = await submit(key, validReferral());
    expect(revoked.statusCode).toBe(401);
    const actions = (
      await ctx.db.selectFrom('audit_event').select('action').where('subject_id', '=', apiKey.id).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('only administrators manage keys', async () => {
    const frontline = new Client(app);
    await frontline.signInFully(await createUser(ctx, ['frontline'], { organisationId: orgId }));
    expect((await frontline.post(`/api/organisations/${orgId}/api-keys`, { name: 'Mine' })).statusCode).toBe(
      403,
    );
  });
});
