import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DuplicateCandidate } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

/*
 * Issue 19, finding 1: a lead-agency triage officer on no case submitted a referral with a guessed
 * name, read another child's identity and case id from the duplicate candidates, attached the
 * referral to that case and so joined its team. Candidates now show identity only to whoever may
 * already see the case; attaching to any other case is refused as if it did not exist.
 */
describe.each(DRIVERS)('duplicate candidates on a case the officer cannot see, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('neither names the child nor lets the officer join the case through a guessed-name referral', async () => {
    // Mere's case, opened by another triage officer and led by the world's caseworker.
    const mere = await suite.world.openCase(
      {
        concern: { date: '2026-06-29', region: '02' },
        narrative: 'Synthetic narrative: Mere was seen outside a motel at night.',
      },
      { givenNames: 'Mere', familyName: 'Smith', dateOfBirth: '2012-03-14', aliases: [] },
    );
    const decisionMaker = await suite.world.decisionMaker();
    const attacker = await suite.world.person('triage-on-no-case', ['triage']);
    const guess = await suite.world.submitReferral(
      { concern: { date: '2026-07-02', region: '02' } },
      {
        givenNames: 'Mere',
        familyName: 'Smith',
        dateOfBirth: undefined,
        estimatedAge: 14,
        aliases: [],
        currentLocation: undefined,
      },
      attacker,
    );
    expect((await attacker.client.get(`/api/cases/${mere.caseId}`)).statusCode).toBe(404);

    const res = await attacker.client.get(`/api/triage/referrals/${guess.id}/candidates`);
    expect(res.statusCode).toBe(200);
    const candidates = res.json<{ candidates: DuplicateCandidate[] }>().candidates;
    expect(candidates.length).toBeGreaterThan(0);
    const match = candidates[0]!;
    // Still useful for triage: how likely, how the fields compare, age band, region, a case exists.
    expect(match).toMatchObject({
      withheld: true,
      caseId: null,
      caseReference: null,
      givenNames: null,
      familyName: null,
      dateOfBirth: null,
      aliases: [],
      gender: null,
      region: '02',
    });
    expect(match.score).toBeGreaterThan(0);
    expect(match.explanation.fields.map((f) => f.comparison)).toContain('given name');
    // Nothing that names the child or opens the case, anywhere in the answer.
    for (const secret of ['2012-03-14', mere.caseId, mere.reference, 'Ōtāhuhu'])
      expect(res.body).not.toContain(secret);

    // Attaching to the case, with its id learnt some other way, is refused as for an unknown case.
    const attach = await attacker.client.post(`/api/triage/referrals/${guess.id}/attach`, {
      caseId: mere.caseId,
      version: await suite.world.referralVersion(guess.id),
    });
    expect(attach.statusCode).toBe(404);
    const membership = await suite.ctx.db
      .selectFrom('case_member')
      .select('user_id')
      .where('case_id', '=', mere.caseId)
      .where('user_id', '=', attacker.user.id)
      .execute();
    expect(membership).toEqual([]);
    // Nor can they settle the match, or learn from the answer that this case has a suggestion:
    // the real case and a made-up one answer alike.
    const rejectReal = await attacker.client.post(`/api/triage/referrals/${guess.id}/candidates/reject`, {
      caseId: mere.caseId,
    });
    const rejectMadeUp = await attacker.client.post(`/api/triage/referrals/${guess.id}/candidates/reject`, {
      caseId: randomUUID(),
    });
    expect([rejectReal.statusCode, rejectMadeUp.statusCode]).toEqual([404, 404]);
    expect(rejectReal.json().message).toBe(rejectMadeUp.json().message);
    const links = await suite.ctx.db
      .selectFrom('child_link')
      .select('status')
      .where('status', '=', 'rejected')
      .execute();
    expect(links).toEqual([]);
    const caseRead = await attacker.client.get(`/api/cases/${mere.caseId}`);
    expect(caseRead.statusCode).toBe(404);
    expect(caseRead.body).not.toContain('motel');
    const referral = await suite.ctx.db
      .selectFrom('referral')
      .select(['status', 'case_id'])
      .where('id', '=', guess.id)
      .executeTakeFirstOrThrow();
    expect(referral.case_id).toBeNull();

    // The case's decision makers are told of the possible match (once), and the audit says so.
    const told = (await decisionMaker.client.get('/api/notifications')).json<{
      items: { kind: string; message: string; link: string | null }[];
    }>().items;
    const flags = told.filter((n) => n.kind === 'referral.possible_match');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.message).toContain(mere.reference);
    expect(flags[0]!.message).not.toContain('Mere');
    expect(flags[0]!.link).toBe(`/triage/${guess.id}`);
    const audited = await suite.ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'referral.duplicate_check')
      .where('subject_id', '=', guess.id)
      .executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({
      shownCaseIds: [],
      withheldCaseIds: [mere.caseId],
      flagged: true,
    });
    await attacker.client.get(`/api/triage/referrals/${guess.id}/candidates`);
    const again = (await decisionMaker.client.get('/api/notifications')).json<{ items: { kind: string }[] }>()
      .items;
    expect(again.filter((n) => n.kind === 'referral.possible_match')).toHaveLength(1);

    // The decision maker, who may see the case, sees who the child is and attaches the referral.
    const forDecisionMaker = (
      await decisionMaker.client.get(`/api/triage/referrals/${guess.id}/candidates`)
    ).json<{ candidates: DuplicateCandidate[] }>().candidates;
    expect(forDecisionMaker[0]).toMatchObject({
      withheld: false,
      caseId: mere.caseId,
      givenNames: 'Mere',
      familyName: 'Smith',
      dateOfBirth: '2012-03-14',
    });
    const attached = await decisionMaker.client.post(`/api/triage/referrals/${guess.id}/attach`, {
      caseId: mere.caseId,
      version: await suite.world.referralVersion(guess.id),
    });
    expect(attached.statusCode).toBe(200);
    expect((await attacker.client.get(`/api/cases/${mere.caseId}`)).statusCode).toBe(404);
  });

  it("lets the officer ask the case's lead instead: approved, the referral joins the case without the officer; rejected, the match is set aside", async () => {
    const hana = await suite.world.openCase(
      { concern: { date: '2026-06-30', region: '04' } },
      { givenNames: 'Hana', familyName: 'Tipene', dateOfBirth: '2011-08-02', aliases: [] },
    );
    const decisionMaker = await suite.world.decisionMaker();
    const leadCaseworker = await suite.world.caseworker();
    // The officer who opened the case is on its team, but does not lead it.
    const teamMember = await suite.world.triage();
    const officer = await suite.world.person('triage-asks', ['triage']);
    const guess = () =>
      suite.world.submitReferral(
        { concern: { date: '2026-07-02', region: '04' } },
        {
          givenNames: 'Hana',
          familyName: 'Tipene',
          dateOfBirth: undefined,
          estimatedAge: 14,
          aliases: [],
          currentLocation: undefined,
        },
        officer,
      );
    const withheldCandidate = async (referralId: string) => {
      const res = await officer.client.get(`/api/triage/referrals/${referralId}/candidates`);
      const found = res.json<{ candidates: DuplicateCandidate[] }>().candidates.find((c) => c.withheld);
      expect(found).toBeDefined();
      return found!.candidateId;
    };
    const first = await guess();
    const candidateId = await withheldCandidate(first.id);

    // Asking names neither the case nor the child; a made-up candidate answers 404; asking twice, 409.
    const madeUp = await officer.client.post(
      `/api/triage/referrals/${first.id}/candidates/${randomUUID()}/attach-request`,
    );
    expect(madeUp.statusCode).toBe(404);
    const asked = await officer.client.post(
      `/api/triage/referrals/${first.id}/candidates/${candidateId}/attach-request`,
    );
    expect(asked.statusCode).toBe(201);
    for (const secret of [hana.caseId, hana.reference, '2011-08-02', 'Tipene'])
      expect(asked.body).not.toContain(secret);
    const requestId = asked.json<{ id: string }>().id;
    const twice = await officer.client.post(
      `/api/triage/referrals/${first.id}/candidates/${candidateId}/attach-request`,
    );
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'already_requested']);

    // The case's lead is told and sees the request; the officer and a team member who does not lead see none.
    const told = (await decisionMaker.client.get('/api/notifications')).json<{
      items: { kind: string; message: string; link: string | null }[];
    }>().items;
    const ask = told.find((n) => n.kind === 'referral.attach_requested');
    expect(ask?.message).toContain(hana.reference);
    // The notification opens the list of requests waiting for the lead.
    expect(ask?.link).toBe('/attach-requests');
    expect(ask?.message).not.toContain('Hana');
    const listed = (await leadCaseworker.client.get('/api/triage/attach-requests')).json<{
      items: { id: string; caseId: string; referralId: string }[];
    }>().items;
    expect(listed.find((item) => item.id === requestId)).toMatchObject({
      caseId: hana.caseId,
      referralId: first.id,
      requestedBy: 'Test Person',
      requestedByOrganisation: expect.any(String),
    });
    for (const outsider of [officer, teamMember]) {
      const theirs = (await outsider.client.get('/api/triage/attach-requests')).json<{
        items: { id: string }[];
      }>();
      expect(theirs.items.map((item) => item.id)).not.toContain(requestId);
    }

    // Nobody decides without leading the case: the officer who asked (404: they cannot see it),
    // a team member who does not lead it (403).
    expect((await officer.client.post(`/api/triage/attach-requests/${requestId}/approve`)).statusCode).toBe(
      404,
    );
    expect(
      (await teamMember.client.post(`/api/triage/attach-requests/${requestId}/approve`)).statusCode,
    ).toBe(403);
    const stillWaiting = await suite.ctx.db
      .selectFrom('referral')
      .select(['status', 'case_id'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(stillWaiting.case_id).toBeNull();

    // The decision maker approves: the referral is on the case; the officer is not on its team.
    const approved = await decisionMaker.client.post(`/api/triage/attach-requests/${requestId}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', caseId: hana.caseId, referralId: first.id });
    const attached = await suite.ctx.db
      .selectFrom('referral')
      .select(['status', 'case_id'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(attached).toEqual({ status: 'attached', case_id: hana.caseId });
    const membership = await suite.ctx.db
      .selectFrom('case_member')
      .select('user_id')
      .where('case_id', '=', hana.caseId)
      .where('user_id', '=', officer.user.id)
      .execute();
    expect(membership).toEqual([]);
    expect((await officer.client.get(`/api/cases/${hana.caseId}`)).statusCode).toBe(404);
    expect(
      (await decisionMaker.client.post(`/api/triage/attach-requests/${requestId}/approve`)).statusCode,
    ).toBe(409);
    const officerTold = (await officer.client.get('/api/notifications')).json<{
      items: { kind: string; message: string }[];
    }>().items;
    const outcome = officerTold.find((n) => n.kind === 'referral.attach_approved');
    expect(outcome?.message).toContain(first.reference);
    expect(outcome?.message).not.toContain(hana.reference);
    const audit = await suite.ctx.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'details'])
      .where('action', 'in', ['referral.attach_requested', 'referral.attach_approved'])
      .where('subject_id', '=', first.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_user_id])).toEqual([
      ['referral.attach_requested', officer.user.id],
      ['referral.attach_approved', decisionMaker.user.id],
    ]);
    expect(audit[0]!.details).toMatchObject({ requestId, caseId: hana.caseId, flagged: true });

    // A second guess: the lead caseworker finds it is not the same child and rejects.
    const second = await guess();
    const secondCandidate = await withheldCandidate(second.id);
    const secondAsk = await officer.client.post(
      `/api/triage/referrals/${second.id}/candidates/${secondCandidate}/attach-request`,
    );
    expect(secondAsk.statusCode).toBe(201);
    const rejected = await leadCaseworker.client.post(
      `/api/triage/attach-requests/${secondAsk.json<{ id: string }>().id}/reject`,
    );
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    const left = await suite.ctx.db
      .selectFrom('referral')
      .select(['status', 'case_id'])
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(left.case_id).toBeNull();
    // The match is set aside: no longer offered, and it cannot be asked about again.
    const after = (await officer.client.get(`/api/triage/referrals/${second.id}/candidates`)).json<{
      candidates: DuplicateCandidate[];
    }>().candidates;
    expect(after.map((c) => c.candidateId)).not.toContain(secondCandidate);
    expect(
      (
        await officer.client.post(
          `/api/triage/referrals/${second.id}/candidates/${secondCandidate}/attach-request`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('shows names to a triage officer on the candidate’s case, who can still attach', async () => {
    const known = await suite.world.openCase(
      { concern: { date: '2026-07-01', region: '09' } },
      { givenNames: 'Aroha', familyName: 'Paewai', dateOfBirth: '2010-11-20', aliases: [] },
    );
    const again = await suite.world.submitReferral(
      { concern: { date: '2026-07-02', region: '09' } },
      { givenNames: 'Aroha', familyName: 'Paewai', dateOfBirth: '2010-11-20', aliases: [] },
    );
    // The world's triage officer opened the case, so is on its team.
    const onTheCase = await suite.world.triage();
    const res = await onTheCase.client.get(`/api/triage/referrals/${again.id}/candidates`);
    const candidates = res.json<{ candidates: DuplicateCandidate[] }>().candidates;
    expect(candidates[0]).toMatchObject({
      withheld: false,
      caseId: known.caseId,
      caseReference: known.reference,
      givenNames: 'Aroha',
      familyName: 'Paewai',
      dateOfBirth: '2010-11-20',
    });
    // The values compared stay out of the explanation: the fields above are the only identity shown.
    expect(JSON.stringify(candidates[0]!.explanation)).not.toContain('Aroha');
    const attached = await onTheCase.client.post(`/api/triage/referrals/${again.id}/attach`, {
      caseId: known.caseId,
      version: await suite.world.referralVersion(again.id),
    });
    expect(attached.statusCode).toBe(200);
    expect(attached.json()).toMatchObject({ caseId: known.caseId, reference: known.reference });
  });
});
