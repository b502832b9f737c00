import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApp,
  Client,
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
} from '../../test/harness.ts';
import { validReferral } from '../../test/referrals.ts';
import { KeyRing } from './keyring.ts';
import { rotateKeys } from './rotation.ts';

describe('key rotation', () => {
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

  it('re-encrypts every value under the new key; the old key can then be dropped', async () => {
    const org = await createOrganisation(ctx, 'police');
    const client = new Client(app);
    await client.signInFully(await createUser(ctx, ['frontline'], { organisationId: org.id }));
    const id: string = (await client.post('/api/referrals', validReferral())).json().id;
    await client.post('/api/referral-drafts', { step: 0, content: { note: 'draft' } });

    const old = ctx.config.encryptionKeys;
    const fresh = { id: 'next', key: randomBytes(32) };
    const rotated = new KeyRing([fresh, ...old], ctx.config.blindIndexKey);
    const report = await rotateKeys(ctx.db, rotated);
    expect(report.reencrypted['child.identity_enc']).toBeGreaterThanOrEqual(1);
    expect(report.reencrypted['referral.protected_enc']).toBeGreaterThanOrEqual(1);
    expect(report.reencrypted['referral_draft.content_enc']).toBe(1);
    expect(report.reencrypted['app_user.mfa_secret_enc']).toBeGreaterThanOrEqual(1);
    expect((await rotateKeys(ctx.db, rotated)).reencrypted['child.identity_enc']).toBe(0);

    // A server with only the new key reads everything.
    const onlyNew = await buildTestApp({ ...ctx, keyring: new KeyRing([fresh], ctx.config.blindIndexKey) });
    try {
      const reader = new Client(onlyNew);
      reader.cookie = client.cookie;
      reader.csrfToken = client.csrfToken;
      const detail = await reader.get(`/api/referrals/${id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().data.child.givenNames).toBe('Tāne');
    } finally {
      await onlyNew.close();
    }
  });
});
