import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor, readCaseAs } from '../../../test/cases.ts';

describe.each(DRIVERS)('the case team at work on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('runs the case: team, plan, notes, conference with actions, closure with a reason, reopening, in one timeline', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const goal = await caseworker.client.post(`/api/cases/${caseId}/goals`, {
      description: 'Safe place to stay',
      dueOn: '2026-08-01',
    });
    expect(goal.statusCode).toBe(201);
    expect(
      (await caseworker.client.post(`/api/cases/${caseId}/notes`, { body: 'Met with whānau.' })).statusCode,
    ).toBe(201);
    const leadOrg = world.organisations.get('lead')!;
    const policeOrg = await world.organisation('police', 'police');
    const future = await caseworker.client.post(`/api/cases/${caseId}/conferences`, {
      heldOn: '2026-12-01',
      attendees: [{ organisationId: leadOrg }, { organisationId: policeOrg }],
      decisions: 'x',
    });
    expect(future.statusCode).toBe(400);
    const conference = await caseworker.client.post(`/api/cases/${caseId}/conferences`, {
      heldOn: '2026-07-02',
      attendees: [
        { organisationId: leadOrg, userId: caseworker.user.id, role: 'Chair' },
        { organisationId: policeOrg, role: 'Youth Aid' },
      ],
      decisions: 'Safety plan agreed; shelter placement to be sought.',
      actions: [
        {
          description: 'Refer to shelter',
          ownerOrganisationId: leadOrg,
          ownerUserId: caseworker.user.id,
          dueOn: '2026-07-06',
        },
      ],
    });
    expect(conference.statusCode).toBe(201);

    let detail = await readCaseAs(caseworker, caseId);
    expect(detail.goals[0]).toMatchObject({ description: 'Safe place to stay', status: 'open' });
    expect(detail.notes[0]!.body).toBe('Met with whānau.');
    expect(detail.conferences[0]!.actions[0]).toMatchObject({
      description: 'Refer to shelter',
      status: 'open',
    });
    const stale = await caseworker.client.post(`/api/cases/${caseId}/close`, {
      reason: 'needs_met',
      version: detail.version + 5,
    });
    expect(stale.statusCode).toBe(409);
    const badReason = await caseworker.client.post(`/api/cases/${caseId}/close`, {
      reason: 'she chose it',
      version: detail.version,
    });
    expect(badReason.statusCode).toBe(400);
    const closed = await caseworker.client.post(`/api/cases/${caseId}/close`, {
      reason: 'needs_met',
      detail: 'Settled with whānau; school attending.',
      version: detail.version,
    });
    expect(closed.statusCode).toBe(200);
    expect(
      (await caseworker.client.post(`/api/cases/${caseId}/goals`, { description: 'Late goal' })).statusCode,
    ).toBe(409);

    detail = await readCaseAs(caseworker, caseId);
    expect(detail).toMatchObject({ status: 'closed', closureReason: 'needs_met' });
    const reopened = await caseworker.client.post(`/api/cases/${caseId}/reopen`, {
      reason: 'New referral from school',
      version: detail.version,
    });
    expect(reopened.statusCode).toBe(200);
    detail = await readCaseAs(caseworker, caseId);
    expect(detail.status).toBe('open');
    const kinds = detail.timeline.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'referral.received',
        'case.opened',
        'decision.due',
        'conference.held',
        'case.closed',
        'case.reopened',
      ]),
    );
    const times = detail.timeline.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(JSON.stringify(detail.timeline)).not.toContain('Tāne');
  });

  it('offers team candidates only to those who may see the case', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const other = await world.secondDecisionMaker();
    const outsider = await world.person('ngo-dm', ['decision_maker'], 'ngo', 'ngo');

    const candidates = await dm.client.get(`/api/cases/${caseId}/team/candidates`);
    expect(candidates.statusCode).toBe(200);
    expect(candidates.json<{ people: { id: string }[] }>().people.map((p) => p.id)).toContain(other.user.id);
    expect((await outsider.client.get(`/api/cases/${caseId}/team/candidates`)).statusCode).toBe(404);
  });
});
