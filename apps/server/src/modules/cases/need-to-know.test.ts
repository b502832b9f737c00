import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail, ServiceReferral } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';

/** Words that appear only in the child's identity and the narrative: none may leak. */
const IDENTIFYING = ['Tāne', 'Kōrero-Testchild', 'T-Bone', '2011-03-14', 'Ōtāhuhu', 'Synthetic narrative'];

function expectNothingIdentifying(body: string): void {
  for (const word of IDENTIFYING) expect(body).not.toContain(word);
}

describe.each(DRIVERS)('need to know across the workflow on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let caseId: string;
  let referralId: string;
  let serviceReferralId: string;
  let providerA: Person;
  let providerB: Person;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    ({ caseId, referralId } = await world.openCase());
    providerA = await world.person('provider-a', ['service_provider'], 'shelter-a', 'ngo');
    providerB = await world.person('provider-b', ['service_provider'], 'shelter-b', 'ngo');
    const caseworker = await world.caseworker();
    const service = await providerA.client.post('/api/services', {
      providerOrganisationId: world.organisations.get('shelter-a'),
      name: 'Emergency beds',
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    expect(service.statusCode).toBe(201);
    const sent = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      serviceId: service.json().id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_ot_services',
      purpose: 'Emergency accommodation tonight',
      childConsulted: 'yes',
      needsSummary: 'Needs a safe bed tonight.',
    });
    expect(sent.statusCode).toBe(201);
    serviceReferralId = sent.json<ServiceReferral>().id;
    const accepted = await providerA.client.post(`/api/service-referrals/${serviceReferralId}/transition`, {
      to: 'accepted',
      version: sent.json<ServiceReferral>().version,
    });
    expect(accepted.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('lets the provider holding an accepted service referral see only the shared fields, never the case', async () => {
    const mine = await providerA.client.get(`/api/service-referrals/${serviceReferralId}`);
    expect(mine.statusCode).toBe(200);
    const referral = mine.json<ServiceReferral>();
    expect(referral.caseId).toBeNull();
    expect(referral.child).toMatchObject({ needsSummary: 'Needs a safe bed tonight.' });
    expect(referral.child?.givenNames).toBeUndefined();
    expectNothingIdentifying(mine.body);

    const theCase = await providerA.client.get(`/api/cases/${caseId}`);
    expect(theCase.statusCode).toBe(404);
    expectNothingIdentifying(theCase.body);
    expect((await providerA.client.get(`/api/referrals/${referralId}`)).statusCode).toBe(404);
  });

  it('shows another provider nothing: not the service referral, not its notes, not the case', async () => {
    await providerA.client.post(`/api/service-referrals/${serviceReferralId}/notes`, {
      body: 'Bed 4 allocated.',
    });
    for (const url of [
      `/api/service-referrals/${serviceReferralId}`,
      `/api/cases/${caseId}`,
      `/api/referrals/${referralId}`,
    ]) {
      const res = await providerB.client.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Bed 4');
      expectNothingIdentifying(res.body);
    }
    const note = await providerB.client.post(`/api/service-referrals/${serviceReferralId}/notes`, {
      body: 'Intrusion',
    });
    expect(note.statusCode).toBe(404);
    const inbox = await providerB.client.get('/api/service-referrals?view=provider');
    expect(inbox.body).not.toContain(serviceReferralId);
  });

  it('lets a frontline worker see their referral’s status but not a case they did not refer, nor anyone else’s', async () => {
    const mine = await world.frontline();
    const status = await mine.client.get(`/api/referrals/${referralId}/acknowledgement`);
    expect(status.statusCode).toBe(200);
    expect(status.json().status).toBe('case_opened');
    expect((await mine.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);

    const otherFrontline = await world.person('school-frontline', ['frontline'], 'school', 'school');
    for (const url of [
      `/api/referrals/${referralId}`,
      `/api/referrals/${referralId}/acknowledgement`,
      `/api/cases/${caseId}`,
    ]) {
      const res = await otherFrontline.client.get(url);
      expect(res.statusCode).toBe(404);
      expectNothingIdentifying(res.body);
    }
  });

  it('gives an analyst nothing identifying anywhere', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const reads = [
      `/api/cases/${caseId}`,
      `/api/referrals/${referralId}`,
      `/api/service-referrals/${serviceReferralId}`,
      `/api/triage/referrals/${referralId}/candidates`,
      '/api/triage/queue',
      '/api/cases',
      '/api/decisions/board',
      '/api/break-glass',
    ];
    for (const url of reads) {
      const res = await analyst.client.get(url);
      expect([403, 404]).toContain(res.statusCode);
      expectNothingIdentifying(res.body);
    }
  });

  it('shows a lead-agency caseworker only the cases they are on', async () => {
    const colleague = await world.person('lead-caseworker-2', ['caseworker']);
    const res = await colleague.client.get(`/api/cases/${caseId}`);
    expect(res.statusCode).toBe(404);
    expectNothingIdentifying(res.body);
    const listed = (await colleague.client.get('/api/cases?pageSize=100')).json<{
      items: { id: string }[];
    }>();
    expect(listed.items.map((c) => c.id)).not.toContain(caseId);

    // Once added to the team by the lead caseworker, they see it.
    const lead = await world.caseworker();
    const added = await lead.client.post(`/api/cases/${caseId}/team/members`, {
      userId: colleague.user.id,
      teamRole: 'caseworker',
    });
    expect(added.statusCode).toBe(201);
    expect((await colleague.client.get(`/api/cases/${caseId}`)).statusCode).toBe(200);
  });

  it('keeps administrators and auditors out of case content', async () => {
    const admin = await world.person('admin', ['administrator']);
    const auditor = await world.person('auditor', ['auditor']);
    for (const who of [admin, auditor]) {
      for (const url of [
        `/api/cases/${caseId}`,
        `/api/referrals/${referralId}`,
        `/api/service-referrals/${serviceReferralId}`,
      ]) {
        const res = await who.client.get(url);
        expect(res.statusCode).toBe(404);
        expectNothingIdentifying(res.body);
      }
    }
  });

  it('shows the case team everything, including the provider’s notes on the service referral', async () => {
    const caseworker = await world.caseworker();
    const detail = (await caseworker.client.get(`/api/cases/${caseId}`)).json<CaseDetail>();
    expect(detail.child.givenNames).toBe('Tāne');
    const referral = detail.serviceReferrals.find((s) => s.id === serviceReferralId)!;
    expect(referral.status).toBe('accepted');
    expect(referral.notes.map((n) => n.body)).toContain('Bed 4 allocated.');
    expect(detail.disclosures.some((d) => d.to.id === world.organisations.get('shelter-a'))).toBe(true);
  });
});
