import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail, CaseSummary, DeadlineItem, Decision } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';

describe.each(DRIVERS)('cases and identification decisions on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const readCase = async (who: Person, id: string) => {
    const res = await who.client.get(`/api/cases/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json<CaseDetail>();
  };
  const pending = (detail: CaseDetail, kind: Decision['kind']) =>
    detail.decisions.find((d) => d.kind === kind && d.status === 'pending')!;
  const decideBody = (outcome: 'positive' | 'negative', version: number) => ({
    outcome,
    rationale: 'Synthetic rationale: objective indicators of exploitation in prostitution were reported.',
    evidence: 'Police file P0123456789; school attendance record.',
    version,
  });
  const withToday = async <T>(today: string, fn: () => Promise<T>): Promise<T> => {
    const original = ctx.today;
    ctx.today = () => today;
    try {
      return await fn();
    } finally {
      ctx.today = original;
    }
  };

  it('opens a case with a reasonable-grounds decision due in 5 working days, the holiday shown', async () => {
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const detail = await readCase(await world.decisionMaker(), caseId);
    const rg = pending(detail, 'reasonable_grounds');
    expect(rg).toMatchObject({ startsOn: '2026-07-03', dueOn: '2026-07-13' });
    expect(rg.holidaysInPeriod).toEqual([{ date: '2026-07-10', name: 'Matariki' }]);
    expect(detail.child.givenNames).toBe('Tāne');
    expect(detail.identification).toBe('awaiting_reasonable_grounds');
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.viewed')
      .where('subject_id', '=', caseId)
      .execute();
    expect(audited.length).toBeGreaterThan(0);
  });

  it('lets one of two decision makers decide at once; the other is told and nothing is lost', async () => {
    const { caseId } = await world.openCase();
    const one = await world.decisionMaker();
    const two = await world.secondDecisionMaker();
    const rg = pending(await readCase(one, caseId), 'reasonable_grounds');
    const [a, b] = await Promise.all([
      one.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', rg.version)),
      two.client.post(`/api/decisions/${rg.id}/decide`, decideBody('negative', rg.version)),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toMatch(/version_conflict|already_decided/);
    const after = await readCase(one, caseId);
    const made = after.decisions.filter((d) => d.kind === 'reasonable_grounds');
    expect(made).toHaveLength(1);
    expect(made[0]!.outcome).toBe(a.statusCode === 200 ? 'positive' : 'negative');
    expect(made[0]!.rationale).toMatch(/Synthetic rationale/);
  });

  it('starts the recovery period after a positive reasonable-grounds decision and refuses an early conclusive decision', async () => {
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const rg = pending(await readCase(dm, caseId), 'reasonable_grounds');
    expect(
      (await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', rg.version))).statusCode,
    ).toBe(200);
    const detail = await readCase(dm, caseId);
    expect(detail.identification).toBe('reasonable_grounds');
    const cg = pending(detail, 'conclusive_grounds');
    expect(cg.earliestOn).toBe('2026-08-02');
    const early = await dm.client.post(`/api/decisions/${cg.id}/decide`, decideBody('positive', cg.version));
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'too_early' });
    expect(early.json().message).toContain('2026-08-02');

    await withToday('2026-08-03', async () => {
      const ok = await dm.client.post(`/api/decisions/${cg.id}/decide`, decideBody('positive', cg.version));
      expect(ok.statusCode).toBe(200);
    });
    expect((await readCase(dm, caseId)).identification).toBe('conclusive_grounds');
  });

  it('reconsiders a negative decision only within 30 days, by someone else', async () => {
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    const rg = pending(await readCase(dm, caseId), 'reasonable_grounds');
    await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('negative', rg.version));
    const negative = (await readCase(dm, caseId)).decisions.find((d) => d.id === rg.id)!;
    expect(negative.reconsiderationOpenUntil).toBe('2026-08-02');

    const late = await withToday('2026-08-03', () =>
      caseworker.client.post(`/api/decisions/${rg.id}/reconsideration`, {
        grounds: 'New information from the school.',
      }),
    );
    expect(late.statusCode).toBe(422);
    expect(late.json().code).toBe('reconsideration_window_closed');

    const requested = await caseworker.client.post(`/api/decisions/${rg.id}/reconsideration`, {
      grounds: 'New information from the school.',
    });
    expect(requested.statusCode).toBe(201);
    const again = await caseworker.client.post(`/api/decisions/${rg.id}/reconsideration`, {
      grounds: 'Twice.',
    });
    expect(again.statusCode).toBe(409);

    const reconsideration = pending(await readCase(dm, caseId), 'reconsideration');
    const same = await dm.client.post(
      `/api/decisions/${reconsideration.id}/decide`,
      decideBody('positive', reconsideration.version),
    );
    expect(same.statusCode).toBe(422);
    expect(same.json().code).toBe('same_decision_maker');
    const other = await world.secondDecisionMaker();
    const overturned = await other.client.post(
      `/api/decisions/${reconsideration.id}/decide`,
      decideBody('positive', reconsideration.version),
    );
    expect(overturned.statusCode).toBe(200);
    const detail = await readCase(dm, caseId);
    expect(detail.identification).toBe('reasonable_grounds');
    expect(pending(detail, 'conclusive_grounds')).toBeDefined();
  });

  it('lets a multi-agency panel decide: members record views, the decision records who took part', async () => {
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    const police = await world.person('police-panel', ['caseworker'], 'police', 'police');
    const health = await world.person('health-panel', ['caseworker'], 'health', 'health');
    const rg = pending(await readCase(dm, caseId), 'reasonable_grounds');

    const tooSoon = await dm.client.post(`/api/decisions/${rg.id}/panel`, {
      memberIds: [police.user.id, health.user.id],
      version: rg.version,
    });
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.json().code).toBe('invalid_panel');

    for (const org of ['police', 'health']) {
      const added = await caseworker.client.post(`/api/cases/${caseId}/team/organisations`, {
        organisationId: world.organisations.get(org),
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Multi-agency identification panel',
        fields: ['name', 'date_of_birth', 'needs_summary'],
        childConsulted: 'no_not_practicable',
      });
      expect(added.statusCode).toBe(201);
    }
    const convened = await dm.client.post(`/api/decisions/${rg.id}/panel`, {
      memberIds: [police.user.id, health.user.id],
      version: rg.version,
    });
    expect(convened.statusCode).toBe(200);
    const current = pending(await readCase(dm, caseId), 'reasonable_grounds');
    const incomplete = await dm.client.post(
      `/api/decisions/${rg.id}/decide`,
      decideBody('positive', current.version),
    );
    expect(incomplete.json().code).toBe('panel_incomplete');

    for (const member of [police, health]) {
      const view = await member.client.post(`/api/decisions/${rg.id}/views`, {
        view: 'positive',
        comment: 'Agree.',
      });
      expect(view.statusCode).toBe(200);
    }
    // Someone not on the panel cannot record a view.
    expect(
      (await caseworker.client.post(`/api/decisions/${rg.id}/views`, { view: 'negative', comment: 'x' }))
        .statusCode,
    ).toBe(404);

    expect(
      (await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', current.version)))
        .statusCode,
    ).toBe(200);
    const detail = await readCase(dm, caseId);
    const decided = detail.decisions.find((d) => d.id === rg.id)!;
    expect(decided.byPanel).toBe(true);
    expect(decided.panel.map((m) => m.user.id).sort()).toEqual([police.user.id, health.user.id].sort());
    const disclosures = detail.disclosures.map((d) => d.to.id);
    expect(disclosures).toEqual(
      expect.arrayContaining([world.organisations.get('police'), world.organisations.get('health')]),
    );
    expect(detail.disclosures[0]).toMatchObject({
      lawfulBasis: LAWFUL_BASIS,
      purpose: 'Multi-agency identification panel',
    });
    // The Police panel member now sees the case: their organisation is on the team.
    expect((await police.client.get(`/api/cases/${caseId}`)).statusCode).toBe(200);
  });

  it('answers 404 to everyone without need to know, and shows them nothing', async () => {
    const { caseId } = await world.openCase();
    const frontline = await world.frontline();
    const analyst = await world.person('analyst', ['analyst']);
    const otherCaseworker = await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo');
    for (const who of [frontline, otherCaseworker, analyst]) {
      const res = await who.client.get(`/api/cases/${caseId}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Tāne');
    }
    expect((await analyst.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    const listed = (await otherCaseworker.client.get('/api/cases')).json<{ cases: CaseSummary[] }>();
    expect(listed.cases.map((c) => c.id)).not.toContain(caseId);
    // The referring frontline worker still sees their own referral's status, never the case.
    expect((await frontline.client.get('/api/referrals/mine')).statusCode).toBe(200);
    const note = await otherCaseworker.client.post(`/api/cases/${caseId}/notes`, { body: 'Trying to write' });
    expect(note.statusCode).toBe(404);
  });

  it('gives a supervisor read-only break-glass access with a reason, flagged for a privacy officer to review', async () => {
    const { caseId, reference } = await world.openCase();
    const supervisor = await world.person('ngo-supervisor', ['supervisor'], 'ngo', 'ngo');
    expect(
      (
        await supervisor.client.post(`/api/cases/${caseId}/break-glass`, {
          reason: 'Urgent: child missing tonight, need whānau contacts',
        })
      ).statusCode,
    ).toBe(403);

    // A lead-agency supervisor on another case's team: here the case owner is the lead agency too.
    const leadSupervisor = await world.supervisor();
    const short = await leadSupervisor.client.post(`/api/cases/${caseId}/break-glass`, { reason: 'urgent' });
    expect(short.statusCode).toBe(400);
    expect((await leadSupervisor.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    const unknown = await leadSupervisor.client.post('/api/break-glass', {
      caseReference: 'CASE-1999-000001',
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(unknown.statusCode).toBe(404);
    const granted = await leadSupervisor.client.post('/api/break-glass', {
      caseReference: reference.toLowerCase(),
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json().caseId).toBe(caseId);
    const seen = await leadSupervisor.client.get(`/api/cases/${caseId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().access.via).toBe('break_glass');
    expect(seen.json().permissions.manage).toBe(false);
    const write = await leadSupervisor.client.post(`/api/cases/${caseId}/notes`, { body: 'x' });
    expect(write.statusCode).toBe(403);
    const flagged = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.viewed')
      .where('subject_id', '=', caseId)
      .execute();
    expect(flagged.some((e) => (e.details as { breakGlass?: boolean }).breakGlass === true)).toBe(true);

    const privacy = await world.person('privacy', ['privacy_officer']);
    const queue = (await privacy.client.get('/api/break-glass')).json<{
      entries: { id: string; caseId: string; reason: string }[];
    }>();
    const entry = queue.entries.find((e) => e.caseId === caseId)!;
    expect(entry.reason).toMatch(/child missing/);
    expect(
      (await privacy.client.post(`/api/break-glass/${entry.id}/review`, { outcome: 'justified' })).statusCode,
    ).toBe(200);
    expect(
      (await privacy.client.post(`/api/break-glass/${entry.id}/review`, { outcome: 'justified' })).statusCode,
    ).toBe(404);
    expect((await privacy.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('runs the case: team, plan, notes, conference with actions, closure with a reason, reopening, in one timeline', async () => {
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

    let detail = await readCase(caseworker, caseId);
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

    detail = await readCase(caseworker, caseId);
    expect(detail).toMatchObject({ status: 'closed', closureReason: 'needs_met' });
    const reopened = await caseworker.client.post(`/api/cases/${caseId}/reopen`, {
      reason: 'New referral from school',
      version: detail.version,
    });
    expect(reopened.statusCode).toBe(200);
    detail = await readCase(caseworker, caseId);
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

  it('shows the deadline board: overdue first, due soon, by decision maker', async () => {
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const rg = pending(await readCase(dm, caseId), 'reasonable_grounds');
    const assign = await dm.client.post(`/api/decisions/${rg.id}/assign`, {
      assigneeId: dm.user.id,
      version: rg.version,
    });
    expect(assign.statusCode).toBe(200);
    const board = async (query: string) =>
      (await dm.client.get(`/api/decisions/board${query}`)).json<{ decisions: DeadlineItem[] }>().decisions;
    const mine = await board('?assignee=me');
    expect(mine.map((d) => d.decisionId)).toContain(rg.id);
    expect(mine.find((d) => d.decisionId === rg.id)).toMatchObject({ state: 'on_track', workingDaysLeft: 5 });
    // Thursday 9 and Monday 13 are left: Friday 10 July is Matariki.
    await withToday('2026-07-08', async () => {
      expect((await board('?view=due_soon')).find((d) => d.decisionId === rg.id)).toMatchObject({
        workingDaysLeft: 2,
      });
    });
    await withToday('2026-07-14', async () => {
      const overdue = await board('?view=overdue');
      expect(overdue.find((d) => d.decisionId === rg.id)).toMatchObject({
        state: 'overdue',
        workingDaysLeft: -1,
      });
    });
  });

  it('offers only colleagues of my organisation, and team candidates only to those who may see the case', async () => {
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const other = await world.secondDecisionMaker();
    const outsider = await world.person('ngo-dm', ['decision_maker'], 'ngo', 'ngo');
    const colleagues = (await dm.client.get('/api/colleagues?permission=decisions.make')).json<{
      people: { id: string }[];
    }>().people;
    expect(colleagues.map((p) => p.id)).toEqual(expect.arrayContaining([dm.user.id, other.user.id]));
    expect(colleagues.map((p) => p.id)).not.toContain(outsider.user.id);
    expect((await dm.client.get('/api/colleagues?permission=users.manage')).statusCode).toBe(400);

    const candidates = await dm.client.get(`/api/cases/${caseId}/team/candidates`);
    expect(candidates.statusCode).toBe(200);
    expect(candidates.json<{ people: { id: string }[] }>().people.map((p) => p.id)).toContain(other.user.id);
    expect((await outsider.client.get(`/api/cases/${caseId}/team/candidates`)).statusCode).toBe(404);
  });
});
