import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { sql } from 'kysely';
import type { PrivacyRequest } from '@tiaki/domain';
import { verifyAuditChain } from '../audit/service.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';

describe.each(DRIVERS)('privacy requests (IPP 6) on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let officer: Person;
  let secondOfficer: Person;
  let auditor: Person;
  let mine: { caseId: string; reference: string; referralId: string; referralReference: string };
  let otherReference: string;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    officer = await world.person('privacy', ['privacy_officer']);
    secondOfficer = await world.person('privacy-2', ['privacy_officer']);
    auditor = await world.person('auditor', ['auditor']);
    const opened = await world.openCase(
      {
        concern: { date: '2026-07-01', region: '09' },
        narrative: 'Synthetic narrative: Mereana was seen near the motel on Great South Road.',
        childViews: 'Synthetic view: wants to stay at kura.',
      },
      { givenNames: 'Mereana', familyName: 'Synthetic-Hōhepa', currentLocation: 'With a cousin in Manurewa' },
    );
    const caseworker = await world.caseworker();
    expect(
      (
        await caseworker.client.post(`/api/cases/${opened.caseId}/notes`, {
          body: 'Synthetic note: met Mereana at the library.',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await caseworker.client.post(`/api/cases/${opened.caseId}/team/organisations`, {
          organisationId: await world.organisation('partner', 'ngo'),
          lawfulBasis: LAWFUL_BASIS,
          purpose: 'Synthetic purpose: sexual health clinic appointment',
          fields: ['age_band'],
          childConsulted: 'yes',
        })
      ).statusCode,
    ).toBe(201);
    // Viewed once, so the audit section has a view to show.
    expect((await caseworker.client.get(`/api/cases/${opened.caseId}`)).statusCode).toBe(200);
    const referral = await ctx.db
      .selectFrom('referral')
      .select('reference')
      .where('id', '=', opened.referralId)
      .executeTakeFirstOrThrow();
    mine = { ...opened, referralReference: referral.reference };

    const other = await world.openCase(
      {
        concern: { date: '2026-07-01', region: '09' },
        narrative: 'Synthetic narrative: Wiremu was approached online.',
        childViews: 'Synthetic view: Wiremu wants his phone back.',
      },
      { givenNames: 'Wiremu', familyName: 'Synthetic-Tamatea', aliases: ['Wiri'], dateOfBirth: '2012-05-06' },
    );
    await caseworker.client.post(`/api/cases/${other.caseId}/notes`, {
      body: 'Synthetic note: Wiremu at the skate park.',
    });
    otherReference = other.reference;
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const REASON = 'Synthetic request: the child’s whānau asked in writing on 1 July';

  /** Asks, has a second privacy officer approve, and downloads: the whole lawful path. */
  async function exportApproved(reference: string, confirm: Record<string, string>) {
    const asked = await officer.client.post('/api/privacy-requests', {
      reference,
      reason: REASON,
      ...confirm,
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const { id } = asked.json<PrivacyRequest>();
    expect((await secondOfficer.client.post(`/api/privacy-requests/${id}/approve`)).statusCode).toBe(200);
    return { id, res: await officer.client.get(`/api/privacy-requests/${id}/file`) };
  }

  it('exports every record about the child, and nothing about another child', async () => {
    const { res } = await exportApproved(mine.reference, { familyName: 'synthetic-hōhepa' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    for (const expected of [
      'Mereana',
      'Synthetic-Hōhepa',
      'With a cousin in Manurewa',
      'Synthetic narrative: Mereana was seen near the motel on Great South Road.',
      'Synthetic view: wants to stay at kura.',
      'Synthetic note: met Mereana at the library.',
      'Synthetic purpose: sexual health clinic appointment',
      mine.reference,
      mine.referralReference,
      'Reasonable-grounds decision (the first decision)',
      'Looked at the case',
      '<h2>Identity</h2>',
      '<h2>Disclosures log</h2>',
    ]) {
      expect(html, expected).toContain(expected);
    }
    for (const foreign of ['Wiremu', 'Synthetic-Tamatea', 'Wiri', 'skate park', otherReference]) {
      expect(html, foreign).not.toContain(foreign);
    }
  });

  it('is written in plain words a child or whānau can read: labels not codes, New Zealand times', async () => {
    const { res } = await exportApproved(mine.reference, { familyName: 'Synthetic-Hōhepa' });
    expect(res.statusCode).toBe(200);
    const values = [...res.body.matchAll(/<dd>([^<]*)<\/dd>/g)].map((m) => m[1] ?? '');
    expect(values.length).toBeGreaterThan(20);
    // No stored code (age_12_15, case.viewed, reasonable_grounds), no bare iwi or region number,
    // no empty list shown as [], no id, and no UTC time.
    const codes = values.filter((v) => /\b[a-z]+(?:[._][a-z0-9]+)+\b/.test(v) && !/@/.test(v));
    expect(codes, codes.join(' | ')).toEqual([]);
    for (const value of values) {
      expect(value).not.toMatch(/^\d{2,4}$/);
      expect(value).not.toMatch(/\[\]|UTC|^\d{4}-\d{2}-\d{2}/);
      expect(value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
    const html = res.body;
    expect(html).toContain('<dt>Region</dt><dd>Wellington</dd>');
    expect(html).not.toMatch(/Ota 66c|Unknown organisation/);
    expect(html).toMatch(/<dt>Age group<\/dt><dd>(Under 12 years|\d+ to \d+ years)<\/dd>/);
    expect(html).toContain('<dt>What</dt><dd>Looked at the case</dd>');
    expect(html).toContain('(New Zealand time)');
    expect(html).toMatch(/<dt>Evidence references<\/dt><dd>Police: [^<]+<\/dd>/);
  });

  it('finds the same child from the referral reference, and audits each export without names', async () => {
    const before = await ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'privacy.export')
      .execute();
    const { id, res } = await exportApproved(mine.referralReference, { familyName: 'Synthetic-Hōhepa' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Synthetic note: met Mereana at the library.');
    const entries = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'subject_type', 'details'])
      .where('action', '=', 'privacy.export')
      .orderBy('id')
      .execute();
    expect(entries).toHaveLength(before.length + 1);
    const last = entries.at(-1)!;
    expect(last.actor_user_id).toBe(officer.user.id);
    expect(last.subject_type).toBe('child');
    expect(last.details.caseIds).toEqual([mine.caseId]);
    expect(last.details).toMatchObject({ requestId: id, approvedBy: secondOfficer.user.id });
    expect(JSON.stringify(entries)).not.toMatch(/Mereana|Hōhepa|Manurewa|motel/);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it('refuses everyone else, and answers 404 for an unknown reference', async () => {
    for (const who of [await world.caseworker(), await world.triage(), auditor]) {
      const res = await who.client.post('/api/privacy-requests', {
        reference: mine.reference,
        familyName: 'Synthetic-Hōhepa',
        reason: REASON,
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Mereana');
    }
    expect(
      (
        await officer.client.post('/api/privacy-requests', {
          reference: 'CASE-1999-000001',
          familyName: 'Synthetic-Hōhepa',
          reason: REASON,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await officer.client.post('/api/privacy-requests', { reference: '', reason: REASON })).statusCode,
    ).toBe(400);
  });

  it('needs a reason and more than a guessable reference (issue 19, finding 2)', async () => {
    const count = async () => (await ctx.db.selectFrom('privacy_request').select('id').execute()).length;
    const before = await count();
    // The attack as found: a reference alone, no reason, answered with the child's whole file.
    const bare = await officer.client.post('/api/privacy-requests', { reference: otherReference });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).not.toContain('Wiremu');
    const noReason = await officer.client.post('/api/privacy-requests', {
      reference: otherReference,
      dateOfBirth: '2012-05-06',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'reason' })]),
    );
    const onlyReference = await officer.client.post('/api/privacy-requests', {
      reference: otherReference,
      reason: REASON,
    });
    expect(onlyReference.statusCode).toBe(400);
    // A real reference with a guessed date of birth answers as an unknown reference does.
    const guessed = await officer.client.post('/api/privacy-requests', {
      reference: otherReference,
      dateOfBirth: '2012-05-07',
      reason: REASON,
    });
    const unknown = await officer.client.post('/api/privacy-requests', {
      reference: 'CASE-1999-000001',
      dateOfBirth: '2012-05-07',
      reason: REASON,
    });
    expect(guessed.statusCode).toBe(404);
    expect(guessed.json().message).toBe(unknown.json().message);
    expect(guessed.body).not.toContain('Wiremu');
    expect(await count()).toBe(before);
    const misses = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'privacy_request.not_matched')
      .where('actor_user_id', '=', officer.user.id)
      .execute();
    expect(misses.length).toBeGreaterThanOrEqual(2);
  });

  it('cannot be downloaded until a second privacy officer or an auditor approves; nobody approves their own', async () => {
    const asked = await officer.client.post('/api/privacy-requests', {
      reference: otherReference,
      dateOfBirth: '2012-05-06',
      reason: REASON,
    });
    expect(asked.statusCode).toBe(201);
    const request = asked.json<PrivacyRequest>();
    expect(request).toMatchObject({
      status: 'pending',
      reason: REASON,
      requestedBy: { id: officer.user.id },
    });
    expect(asked.body).not.toContain('Wiremu');

    const early = await officer.client.get(`/api/privacy-requests/${request.id}/file`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('not_approved');
    expect(early.body).not.toContain('Wiremu');
    const own = await officer.client.post(`/api/privacy-requests/${request.id}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('own_request');
    expect((await officer.client.get(`/api/privacy-requests/${request.id}/file`)).statusCode).toBe(409);

    // The reviewers see what is asked and why, and no child's name.
    const listed = await auditor.client.get('/api/privacy-requests');
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json<{ requests: PrivacyRequest[] }>().requests.find((r) => r.id === request.id),
    ).toMatchObject({
      status: 'pending',
      reason: REASON,
    });
    expect(listed.body).not.toContain('Wiremu');

    const approved = await auditor.client.post(`/api/privacy-requests/${request.id}/approve`);
    expect(approved.json<PrivacyRequest>()).toMatchObject({
      status: 'approved',
      decidedBy: { id: auditor.user.id },
    });
    // Only the officer who asked downloads it.
    expect((await secondOfficer.client.get(`/api/privacy-requests/${request.id}/file`)).statusCode).toBe(404);
    const file = await officer.client.get(`/api/privacy-requests/${request.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('Synthetic note: Wiremu at the skate park.');

    const actions = (
      await ctx.db
        .selectFrom('audit_event')
        .select('action')
        .where(sql<boolean>`details->>'requestId' = ${request.id}`)
        .orderBy('id')
        .execute()
    ).map((a) => a.action);
    expect(actions).toEqual(['privacy_request.requested', 'privacy_request.approved', 'privacy.export']);
  });

  it('a rejected or expired request gives no file', async () => {
    const ask = async () =>
      (
        await officer.client.post('/api/privacy-requests', {
          reference: otherReference,
          familyName: 'Synthetic-Tamatea',
          reason: REASON,
        })
      ).json<PrivacyRequest>().id;
    const rejected = await ask();
    expect((await secondOfficer.client.post(`/api/privacy-requests/${rejected}/reject`)).statusCode).toBe(
      200,
    );
    const after = await officer.client.get(`/api/privacy-requests/${rejected}/file`);
    expect(after.statusCode).toBe(409);
    expect(after.body).not.toContain('Wiremu');

    const expired = await ask();
    await ctx.db
      .updateTable('privacy_request')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', expired)
      .execute();
    const late = await secondOfficer.client.post(`/api/privacy-requests/${expired}/approve`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('request_expired');
    expect((await officer.client.get(`/api/privacy-requests/${expired}/file`)).statusCode).toBe(409);
  });
});
