import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CURRENT_TAXONOMY, type ReferralAcknowledgement, type ReferralDetail } from '@tiaki/domain';
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
import { nameIndexes } from './service.ts';

describe.each(DRIVERS)('referral intake on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let police: Client;
  let policeOrg: string;

  const counts = async () => ({
    referrals: (await ctx.db.selectFrom('referral').select('id').execute()).length,
    children: (await ctx.db.selectFrom('child').select('id').execute()).length,
  });
  const auditCount = async (action: string, subjectId: string) =>
    (
      await ctx.db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', action)
        .where('subject_id', '=', subjectId)
        .execute()
    ).length;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    policeOrg = (await createOrganisation(ctx, 'police')).id;
    police = new Client(app);
    await police.signInFully(await createUser(ctx, ['frontline'], { organisationId: policeOrg }));
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('accepts a referral, gives it a reference, and lists it in "my referrals"', async () => {
    const res = await police.post('/api/referrals', validReferral());
    expect(res.statusCode).toBe(201);
    const ack = res.json<ReferralAcknowledgement>();
    expect(ack.reference).toMatch(/^TKI-\d{4}-\d{6}$/);
    expect(ack).toMatchObject({
      status: 'submitted',
      urgent: false,
      urgentActions: [],
      taxonomyVersion: CURRENT_TAXONOMY.version,
    });
    expect(['possible', 'clear']).toContain(ack.screen.level);
    expect(ack.screen.reasons.length).toBeGreaterThan(0);
    const mine = (await police.get('/api/referrals/mine')).json<{ referrals: { reference: string }[] }>()
      .referrals;
    expect(mine.map((r) => r.reference)).toContain(ack.reference);
    expect(JSON.stringify(mine)).not.toContain('Tāne');
  });

  it('marks a child at immediate risk urgent and says what to do now', async () => {
    const ack = (
      await police.post('/api/referrals', validReferral({ immediateRisk: true }))
    ).json<ReferralAcknowledgement>();
    expect(ack.urgent).toBe(true);
    expect(ack.urgentActions[0]).toBe('call_111');
  });

  it('keeps names, narrative and contact details out of the database in plain text', async () => {
    const ack = (await police.post('/api/referrals', validReferral())).json<ReferralAcknowledgement>();
    const dump = async (table: string) =>
      (await ctx.database.owner.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`))
        .map((r) => r.row)
        .join('\n');
    const everything = [
      await dump('child'),
      await dump('referral'),
      await dump('audit_event'),
      await dump('referral_draft'),
    ].join('\n');
    expect(everything).toContain(ack.reference);
    for (const secret of [
      'Tāne',
      'Tane',
      'Kōrero-Testchild',
      'T-Bone',
      '2011-03-14',
      'Ōtāhuhu',
      'getting into cars',
      'Constable Test',
      'P0123456789',
      '555 0101',
    ]) {
      expect(everything, secret).not.toContain(secret);
    }
  });

  it('shows the referring organisation the child’s details and audits every read', async () => {
    const ack = (await police.post('/api/referrals', validReferral())).json<ReferralAcknowledgement>();
    const res = await police.get(`/api/referrals/${ack.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<ReferralDetail>();
    expect(detail.data).toMatchObject({ child: { givenNames: 'Tāne', familyName: 'Kōrero-Testchild' } });
    expect(detail.data).toMatchObject({ narrative: expect.stringContaining('getting into cars') });
    await police.get(`/api/referrals/${ack.id}`);
    expect(await auditCount('referral.viewed', ack.id)).toBe(2);
    // The acknowledgement alone carries no identity, so reading it again is not an identity read.
    const again = await police.get(`/api/referrals/${ack.id}/acknowledgement`);
    expect(again.json()).toMatchObject({ reference: ack.reference });
    expect(again.body).not.toContain('Tāne');
    expect(await auditCount('referral.viewed', ack.id)).toBe(2);
  });

  it('answers 404 to anyone without need to know, and audits nothing for them', async () => {
    const ack = (await police.post('/api/referrals', validReferral())).json<ReferralAcknowledgement>();
    const otherOrg = new Client(app);
    await otherOrg.signInFully(await createUser(ctx, ['frontline']));
    const analyst = new Client(app);
    await analyst.signInFully(await createUser(ctx, ['analyst'], { organisationId: policeOrg }));
    const ngoTriage = new Client(app);
    await ngoTriage.signInFully(
      await createUser(ctx, ['triage'], { organisationId: (await createOrganisation(ctx, 'ngo')).id }),
    );
    for (const client of [otherOrg, analyst, ngoTriage]) {
      expect((await client.get(`/api/referrals/${ack.id}/acknowledgement`)).statusCode).toBe(404);
      const res = await client.get(`/api/referrals/${ack.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Tāne');
    }
    expect(await auditCount('referral.viewed', ack.id)).toBe(0);
    const leadTriage = new Client(app);
    await leadTriage.signInFully(await createUser(ctx, ['triage']));
    expect((await leadTriage.get(`/api/referrals/${ack.id}`)).statusCode).toBe(200);
    expect((await analyst.post('/api/referrals', validReferral())).statusCode).toBe(403);
  });

  it('refuses bad referrals, naming the field and the rule, and saves nothing', async () => {
    const before = await counts();
    const cases: [unknown, string, RegExp][] = [
      [validReferral({ manifestations: [] }), 'manifestations', /at least one form of exploitation/],
      [validReferral({}, { dateOfBirth: '2999-01-01' }), 'child.dateOfBirth', /future/],
      [validReferral({ contexts: ['no-such-context'] }), 'contexts.0', /Unknown context/],
      [validReferral({ narrative: 'x'.repeat(20_001) }), 'narrative', /At most 20,000/],
      [validReferral({}, { gender: 'robot' }), 'child.gender', /Unknown gender/],
      [validReferral({ concern: { date: '2026-02-30', region: '02' } }), 'concern.date', /YYYY-MM-DD/],
      [{ ...validReferral(), attachment: 'photo.jpg' }, 'attachment', /Unknown field/],
      [
        validReferral({ evidenceReferences: [{ agency: 'facebook' as 'police', reference: 'abc123' }] }),
        'evidenceReferences.0.agency',
        /Police or DIA/,
      ],
    ];
    for (const [body, path, message] of cases) {
      const res = await police.post('/api/referrals', body);
      expect(res.statusCode, path).toBe(400);
      const field = res
        .json<{ fields: { path: string; message: string }[] }>()
        .fields.find((f) => f.path === path);
      expect(field?.message, path).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('records a child who is not identified yet, without identifying details, and still counts them', async () => {
    const withName = await police.post(
      '/api/referrals',
      validReferral({}, { identified: false, dateOfBirth: undefined, estimatedAge: 15 }),
    );
    expect(withName.statusCode).toBe(400);
    expect(withName.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toContain(
      'child.givenNames',
    );
    const anonymous = validReferral(
      {},
      {
        identified: false,
        givenNames: undefined,
        familyName: undefined,
        aliases: [],
        dateOfBirth: undefined,
        currentLocation: undefined,
        estimatedAge: 15,
      },
    );
    const res = await police.post('/api/referrals', anonymous);
    expect(res.statusCode).toBe(201);
    const child = await ctx.db
      .selectFrom('child')
      .innerJoin('referral', 'referral.child_id', 'child.id')
      .select(['child.identified', 'child.name_index', 'child.age_band'])
      .where('referral.id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(child.identified).toBe(false);
    expect(child.name_index).toEqual([]);
    expect(child.age_band).not.toBeNull();
  });

  it('honours Idempotency-Key: a retry returns the first answer and makes no duplicate', async () => {
    const before = await counts();
    const body = validReferral();
    const send = (b: unknown, key: string) =>
      police.request('POST', '/api/referrals', b, { headers: { 'idempotency-key': key } });
    const firstAnswer = await send(body, 'retry-1');
    const retry = await send(body, 'retry-1');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().reference).toBe(firstAnswer.json().reference);
    expect(await counts()).toEqual({ referrals: before.referrals + 1, children: before.children + 1 });
    const reused = await send(validReferral({ narrative: 'A different referral altogether.' }), 'retry-1');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual({ referrals: before.referrals + 1, children: before.children + 1 });
  });

  it('indexes names for exact look-up without storing them: macrons and case do not matter', async () => {
    const ack = (await police.post('/api/referrals', validReferral())).json<ReferralAcknowledgement>();
    const [fullName] = nameIndexes(ctx.keyring, {
      givenNames: 'TANE',
      familyName: 'korero testchild',
      aliases: [],
    });
    const found = await ctx.db
      .selectFrom('child')
      .innerJoin('referral', 'referral.child_id', 'child.id')
      .select('referral.id')
      .where((eb) => eb(eb.val(fullName), '=', eb.fn.any('child.name_index')))
      .execute();
    expect(found.map((r) => r.id)).toContain(ack.id);
  });

  it('saves drafts for their author only, encrypted, and removes the draft on submission', async () => {
    const created = await police.post('/api/referral-drafts', {
      step: 1,
      content: { child: { givenNames: 'Mere' } },
    });
    expect(created.statusCode).toBe(201);
    const draftId: string = created.json().id;
    const saved = await police.request('PUT', `/api/referral-drafts/${draftId}`, {
      step: 2,
      content: { child: { givenNames: 'Mere' }, narrative: 'draft' },
      version: 1,
    });
    expect(saved.json()).toMatchObject({ step: 2, version: 2 });
    const stale = await police.request('PUT', `/api/referral-drafts/${draftId}`, {
      step: 3,
      content: {},
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const raw = await ctx.database.owner.query<{ row: string }>(
      'SELECT row_to_json(t)::text AS row FROM referral_draft t',
    );
    expect(raw.map((r) => r.row).join()).not.toContain('Mere');
    const colleague = new Client(app);
    await colleague.signInFully(await createUser(ctx, ['frontline'], { organisationId: policeOrg }));
    expect((await colleague.get('/api/referral-drafts')).json().drafts).toEqual([]);
    expect(
      (await colleague.request('PUT', `/api/referral-drafts/${draftId}`, { step: 1, content: {} }))
        .statusCode,
    ).toBe(404);
    const submitted = await police.post(`/api/referrals?draftId=${draftId}`, validReferral());
    expect(submitted.statusCode).toBe(201);
    expect((await police.get('/api/referral-drafts')).json().drafts).toEqual([]);
  });

  it('serves the taxonomy and checks terminology', async () => {
    const reference = (await police.get('/api/reference')).json();
    expect(reference.taxonomy.version).toBe(CURRENT_TAXONOMY.version);
    expect(reference.taxonomy.manifestations.length).toBeGreaterThanOrEqual(6);
    expect((await police.get(`/api/reference/${CURRENT_TAXONOMY.version}`)).statusCode).toBe(200);
    expect((await police.get('/api/reference/1999.1')).statusCode).toBe(404);
    const check = await police.post('/api/terminology/check', {
      text: 'Police found child pornography.\nShe chose to go with the men.',
    });
    const findings = check.json().findings as { kind: string; text: string }[];
    expect(findings.map((f) => f.kind)).toEqual(['avoid_term', 'implies_consent']);
    expect(findings[0]?.text).toBe('child pornography');
  });
});
