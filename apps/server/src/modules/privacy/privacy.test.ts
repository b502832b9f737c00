import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { verifyAuditChain } from '../audit/service.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';

describe.each(DRIVERS)('privacy requests (IPP 6) on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let officer: Person;
  let mine: { caseId: string; reference: string; referralId: string; referralReference: string };
  let otherReference: string;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    officer = await world.person('privacy', ['privacy_officer']);
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

  it('exports every record about the child, and nothing about another child', async () => {
    const res = await officer.client.post('/api/privacy-requests', { reference: mine.reference });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
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
      'reasonable_grounds',
      'case.viewed',
      '<h2>Identity</h2>',
      '<h2>Disclosures log</h2>',
    ]) {
      expect(html, expected).toContain(expected);
    }
    for (const foreign of ['Wiremu', 'Synthetic-Tamatea', 'Wiri', 'skate park', otherReference]) {
      expect(html, foreign).not.toContain(foreign);
    }
  });

  it('finds the same child from the referral reference, and audits each export without names', async () => {
    const before = await ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'privacy.export')
      .execute();
    const res = await officer.client.post('/api/privacy-requests', { reference: mine.referralReference });
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
    expect(JSON.stringify(entries)).not.toMatch(/Mereana|Hōhepa|Manurewa|motel/);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it('refuses everyone else, and answers 404 for an unknown reference', async () => {
    for (const who of [
      await world.caseworker(),
      await world.triage(),
      await world.person('auditor', ['auditor']),
    ]) {
      const res = await who.client.post('/api/privacy-requests', { reference: mine.reference });
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Mereana');
    }
    expect(
      (await officer.client.post('/api/privacy-requests', { reference: 'CASE-1999-000001' })).statusCode,
    ).toBe(404);
    expect((await officer.client.post('/api/privacy-requests', { reference: '' })).statusCode).toBe(400);
  });
});
