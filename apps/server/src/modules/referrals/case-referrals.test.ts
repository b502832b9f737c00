import { describe, expect, it } from 'vitest';
import type { CaseDetail, ReferralDetail } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';
import { verifyAuditChain } from '../audit/service.ts';

/*
 * Issue 14, the case record: every referral on a case, in full, for the case team (need to know,
 * through the one access gate), each read audited; nobody else learns anything. And the timeline
 * names who really did each thing: the referrer sent the referral, not the triage officer.
 */
describe.each(DRIVERS)('the case record: its referrals in full, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  const readsBy = (userId: string, referralId: string) =>
    suite.ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'referral.viewed')
      .where('subject_id', '=', referralId)
      .where('actor_user_id', '=', userId)
      .execute();

  it('gives the case team every referral in full, audits each read, and flags break-glass reads', async () => {
    const { world } = suite;
    const { caseId, reference, referralId } = await world.openCase(
      {
        concern: { date: '2026-07-01', region: '02' },
        narrative: 'Synthetic narrative: seen getting into cars near the station after school.',
        childViews: 'Synthetic view: says she is fine and wants her phone back.',
        contexts: ['family_member_involved'],
      },
      { givenNames: 'Aroha', familyName: 'Synthetic-Tane' },
    );
    const caseworker = await world.caseworker();
    const res = await caseworker.client.get(`/api/cases/${caseId}/referrals`);
    expect(res.statusCode, res.body).toBe(200);
    const { referrals } = res.json<{ referrals: ReferralDetail[] }>();
    expect(referrals).toHaveLength(1);
    const [referral] = referrals;
    expect(referral).toMatchObject({
      id: referralId,
      caseId,
      taxonomyVersion: expect.any(String) as string,
      data: {
        narrative: 'Synthetic narrative: seen getting into cars near the station after school.',
        childViews: 'Synthetic view: says she is fine and wants her phone back.',
        contexts: ['family_member_involved'],
        child: { givenNames: 'Aroha', familyName: 'Synthetic-Tane' },
        referrer: { name: expect.any(String) as string },
      },
    });
    expect(referral!.data.indicators.length).toBeGreaterThan(0);

    const reads = await readsBy(caseworker.user.id, referralId);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.details).toMatchObject({
      caseId,
      via: 'case_team',
      childId: expect.any(String) as string,
    });
    expect(reads[0]!.details).not.toHaveProperty('breakGlass');
    expect(JSON.stringify(reads)).not.toMatch(/Aroha|Synthetic/);

    // The decision maker decides on this evidence, so they read it too.
    const dm = await world.decisionMaker();
    expect((await dm.client.get(`/api/cases/${caseId}/referrals`)).statusCode).toBe(200);

    // The caseworker can open one referral of their case on its own as well.
    expect((await caseworker.client.get(`/api/referrals/${referralId}`)).statusCode).toBe(200);

    // Break-glass: readable, and every read flagged for the privacy officer's review.
    const supervisor = await world.supervisor();
    expect((await supervisor.client.get(`/api/cases/${caseId}/referrals`)).statusCode).toBe(404);
    const granted = await supervisor.client.post('/api/break-glass', {
      caseReference: reference,
      dateOfBirth: validReferral().child.dateOfBirth,
      reason: 'Urgent: child missing tonight, need the referrer to call back',
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect((await supervisor.client.get(`/api/cases/${caseId}/referrals`)).statusCode).toBe(200);
    const flagged = await readsBy(supervisor.user.id, referralId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.details).toMatchObject({ breakGlass: true, via: 'break_glass', caseId });
    expect((await verifyAuditChain(suite.ctx.db)).ok).toBe(true);
  });

  it('tells anyone without need to know that the case does not exist, and records no read', async () => {
    const { world } = suite;
    const { caseId, referralId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const before = await suite.ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'referral.viewed')
      .where('subject_id', '=', referralId)
      .execute();
    const outsiders = [
      // Same lead agency, reads cases, but not on this case's team.
      await world.person('other-caseworker', ['caseworker']),
      // Another organisation altogether.
      await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo'),
      // Submitted a referral, but this is not theirs to read through the case.
      await world.person('other-police', ['frontline'], 'other-police', 'police'),
      // An auditor reads the audit log, not children's records.
      await world.person('auditor', ['auditor']),
    ];
    for (const who of outsiders) {
      const res = await who.client.get(`/api/cases/${caseId}/referrals`);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toMatch(/narrative|Synthetic|referrer/i);
    }
    const unknown = await (
      await world.caseworker()
    ).client.get('/api/cases/00000000-0000-4000-8000-000000000000/referrals');
    expect(unknown.statusCode).toBe(404);
    const after = await suite.ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'referral.viewed')
      .where('subject_id', '=', referralId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  it('credits the referral to the referrer on the timeline, and adding it to a case to the officer', async () => {
    const { world } = suite;
    const frontline = await world.frontline();
    const triage = await world.triage();
    const { caseId, referralId } = await world.openCase(
      { concern: { date: '2026-07-01', region: '02' } },
      { givenNames: 'Manaia', familyName: 'Synthetic-Rapana', dateOfBirth: '2012-02-03' },
    );
    // A second referral about the same child, added to the case by the triage officer.
    const second = await world.submitReferral(
      { concern: { date: '2026-07-02', region: '02' } },
      { givenNames: 'Manaia', familyName: 'Synthetic-Rapana', dateOfBirth: '2012-02-03' },
    );
    const attached = await triage.client.post(`/api/triage/referrals/${second.id}/attach`, {
      caseId,
      version: await world.referralVersion(second.id),
    });
    expect(attached.statusCode, attached.body).toBe(200);

    const detail = (await (await world.caseworker()).client.get(`/api/cases/${caseId}`)).json<CaseDetail>();
    const received = detail.timeline.filter((e) => e.kind === 'referral.received');
    expect(received.map((e) => e.subjectId).sort()).toEqual([referralId, second.id].sort());
    for (const entry of received) {
      expect(entry.actor?.id).toBe(frontline.user.id);
      expect(entry.organisation?.id).toBe(frontline.user.organisationId);
    }
    const added = detail.timeline.find((e) => e.kind === 'referral.attached');
    expect(added?.subjectId).toBe(second.id);
    expect(added?.actor?.id).toBe(triage.user.id);
    const opened = detail.timeline.find((e) => e.kind === 'case.opened');
    expect(opened?.actor?.id).toBe(triage.user.id);
  });
});
