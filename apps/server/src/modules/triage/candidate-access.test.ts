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
      notifications: { kind: string; message: string; link: string | null }[];
    }>().notifications;
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
    const again = (await decisionMaker.client.get('/api/notifications')).json<{
      notifications: { kind: string }[];
    }>().notifications;
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
