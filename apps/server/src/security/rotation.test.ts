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
import { ENCRYPTED_COLUMNS, rotateKeys } from './rotation.ts';
import { sql } from 'kysely';
import { CaseWorld } from '../../test/cases.ts';
import type { CaseDetail } from '@tiaki/domain';

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

describe('key rotation of workflow text', () => {
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

  it('re-encrypts the workflow’s free text too: a case reads whole with only the new key', async () => {
    const world = new CaseWorld(ctx, app);
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const dm = await world.decisionMaker();
    await caseworker.client.post(`/api/cases/${caseId}/notes`, { body: 'Note to keep secret.' });
    await caseworker.client.post(`/api/cases/${caseId}/goals`, { description: 'Goal to keep secret.' });
    const before = (await dm.client.get(`/api/cases/${caseId}`)).json<CaseDetail>();
    const rg = before.decisions[0]!;
    await dm.client.post(`/api/decisions/${rg.id}/decide`, {
      outcome: 'negative',
      rationale: 'Rationale to keep secret.',
      evidence: 'Evidence reference.',
      version: rg.version,
    });
    await caseworker.client.post(`/api/decisions/${rg.id}/reconsideration`, {
      grounds: 'Grounds to keep secret.',
    });

    const fresh = { id: 'wf', key: randomBytes(32) };
    const rotated = new KeyRing([fresh, ...ctx.config.encryptionKeys], ctx.config.blindIndexKey);
    await rotateKeys(ctx.db, rotated);
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      const left = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL AND left(${sql.ref(column)}, 6) <> 'v1.wf.'`.execute(ctx.db);
      expect(left.rows[0]?.n, `${table}.${column}`).toBe(0);
    }
    const onlyNew = await buildTestApp({ ...ctx, keyring: new KeyRing([fresh], ctx.config.blindIndexKey) });
    try {
      const reader = new Client(onlyNew);
      reader.cookie = dm.client.cookie;
      reader.csrfToken = dm.client.csrfToken;
      const detail = (await reader.get(`/api/cases/${caseId}`)).json<CaseDetail>();
      expect(detail.notes[0]?.body).toBe('Note to keep secret.');
      expect(detail.goals[0]?.description).toBe('Goal to keep secret.');
      expect(detail.decisions.find((d) => d.id === rg.id)?.rationale).toBe('Rationale to keep secret.');
      expect(detail.decisions.find((d) => d.kind === 'reconsideration')?.grounds).toBe(
        'Grounds to keep secret.',
      );
    } finally {
      await onlyNew.close();
    }
  });
});

describe('key rotation of reviewers’ labelled pairs', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('re-encrypts a label under the context of its pair key, so it still reads with only the new key', async () => {
    const pairKey = randomBytes(16).toString('hex');
    const vector = JSON.stringify({ given: 3, family: 2 });
    const context = `linkage_label.vector_enc:${pairKey}`;
    await sql`INSERT INTO linkage_label (pair_key, label, vector_enc, decided_at)
      VALUES (${pairKey}, 'match', ${ctx.keyring.encrypt(vector, context)}, now())`.execute(ctx.db);
    const fresh = { id: 'next', key: randomBytes(32) };
    const report = await rotateKeys(
      ctx.db,
      new KeyRing([fresh, ...ctx.config.encryptionKeys], ctx.config.blindIndexKey),
    );
    expect(report.reencrypted['linkage_label.vector_enc']).toBe(1);
    const stored = await sql<{
      vector_enc: string;
    }>`SELECT vector_enc FROM linkage_label WHERE pair_key = ${pairKey}`.execute(ctx.db);
    const onlyNew = new KeyRing([fresh], ctx.config.blindIndexKey);
    expect(onlyNew.decrypt(stored.rows[0]?.vector_enc ?? '', context)).toBe(vector);
  });
});
