import { describe, expect, it } from 'vitest';
import type { Service, ServiceReferral } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';

/*
 * Issue 19, a low finding: reads of a referral or a service referral made under break-glass were
 * audited as ordinary reads, so the privacy officer's review of break-glass use missed them. They
 * now carry `breakGlass: true`, as case reads do; the case team's own reads do not.
 */
describe.each(DRIVERS)('break-glass reads of referrals on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  const auditOf = (action: string, subjectId: string, userId: string) =>
    suite.ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', action)
      .where('subject_id', '=', subjectId)
      .where('actor_user_id', '=', userId)
      .execute();

  it('flags reads of the referral and the service referral made under break-glass, and only those', async () => {
    const { caseId, reference, referralId } = await suite.world.openCase({
      concern: { date: '2026-07-01', region: '02' },
    });
    const caseworker = await suite.world.caseworker();
    const provider = await suite.world.person('provider', ['service_provider'], 'shelter', 'ngo');
    const service = (
      await provider.client.post('/api/services', {
        providerOrganisationId: provider.user.organisationId,
        name: 'Whare Haumaru',
        needTypes: ['emergency_accommodation'],
        regions: ['02'],
      })
    ).json<Service>();
    const sent = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      serviceId: service.id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_support_plan',
      purpose: 'Find emergency accommodation',
      childConsulted: 'yes',
      childView: 'Wants to stay near school',
      needsSummary: 'Needs a safe bed tonight',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const serviceReferralId = sent.json<ServiceReferral>().id;

    // The case team's own reads are ordinary.
    expect((await caseworker.client.get(`/api/referrals/${referralId}`)).statusCode).toBe(200);
    expect((await caseworker.client.get(`/api/service-referrals/${serviceReferralId}`)).statusCode).toBe(200);
    for (const [action, id] of [
      ['referral.viewed', referralId],
      ['service_referral.viewed', serviceReferralId],
    ] as const) {
      const entries = await auditOf(action, id, caseworker.user.id);
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(e.details).not.toHaveProperty('breakGlass');
    }

    // A supervisor not on the team sees nothing until they break the glass.
    const supervisor = await suite.world.supervisor();
    expect((await supervisor.client.get(`/api/referrals/${referralId}`)).statusCode).toBe(404);
    const granted = await supervisor.client.post('/api/break-glass', {
      caseReference: reference,
      dateOfBirth: validReferral().child.dateOfBirth,
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect((await supervisor.client.get(`/api/referrals/${referralId}`)).statusCode).toBe(200);
    expect((await supervisor.client.get(`/api/service-referrals/${serviceReferralId}`)).statusCode).toBe(200);

    const referralReads = await auditOf('referral.viewed', referralId, supervisor.user.id);
    expect(referralReads).toHaveLength(1);
    expect(referralReads[0]!.details).toMatchObject({ breakGlass: true });
    const serviceReads = await auditOf('service_referral.viewed', serviceReferralId, supervisor.user.id);
    expect(serviceReads).toHaveLength(1);
    expect(serviceReads[0]!.details).toMatchObject({ breakGlass: true, caseId });
  });
});
