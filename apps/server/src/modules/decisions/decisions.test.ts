import { describe, expect, it } from 'vitest';
import type { DeadlineItem } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor, readCaseAs, pendingDecision, decideBody, withToday } from '../../../test/cases.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';

describe.each(DRIVERS)('identification decisions on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('opens a case with a reasonable-grounds decision due in 5 working days, the holiday shown', async () => {
    const { world, ctx } = suite;
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const detail = await readCaseAs(await world.decisionMaker(), caseId);
    const rg = pendingDecision(detail, 'reasonable_grounds');
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
    const { world } = suite;
    const { caseId } = await world.openCase();
    const one = await world.decisionMaker();
    const two = await world.secondDecisionMaker();
    const rg = pendingDecision(await readCaseAs(one, caseId), 'reasonable_grounds');
    const [a, b] = await Promise.all([
      one.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', rg.version)),
      two.client.post(`/api/decisions/${rg.id}/decide`, decideBody('negative', rg.version)),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toMatch(/version_conflict|already_decided/);
    const after = await readCaseAs(one, caseId);
    const made = after.decisions.filter((d) => d.kind === 'reasonable_grounds');
    expect(made).toHaveLength(1);
    expect(made[0]!.outcome).toBe(a.statusCode === 200 ? 'positive' : 'negative');
    expect(made[0]!.rationale).toMatch(/Synthetic rationale/);
  });

  it('starts the recovery period after a positive reasonable-grounds decision and refuses an early conclusive decision', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const rg = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');
    expect(
      (await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', rg.version))).statusCode,
    ).toBe(200);
    const detail = await readCaseAs(dm, caseId);
    expect(detail.identification).toBe('reasonable_grounds');
    const cg = pendingDecision(detail, 'conclusive_grounds');
    expect(cg.earliestOn).toBe('2026-08-02');
    const early = await dm.client.post(`/api/decisions/${cg.id}/decide`, decideBody('positive', cg.version));
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'too_early' });
    expect(early.json().message).toContain('2026-08-02');

    await withToday(suite.ctx, '2026-08-03', async () => {
      const ok = await dm.client.post(`/api/decisions/${cg.id}/decide`, decideBody('positive', cg.version));
      expect(ok.statusCode).toBe(200);
    });
    expect((await readCaseAs(dm, caseId)).identification).toBe('conclusive_grounds');
  });

  it('reconsiders a negative decision only within 30 days, by someone else', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    const rg = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');
    await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('negative', rg.version));
    const negative = (await readCaseAs(dm, caseId)).decisions.find((d) => d.id === rg.id)!;
    expect(negative.reconsiderationOpenUntil).toBe('2026-08-02');

    const late = await withToday(suite.ctx, '2026-08-03', () =>
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

    const reconsideration = pendingDecision(await readCaseAs(dm, caseId), 'reconsideration');
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
    const detail = await readCaseAs(dm, caseId);
    expect(detail.identification).toBe('reasonable_grounds');
    expect(pendingDecision(detail, 'conclusive_grounds')).toBeDefined();
  });

  it('lets a multi-agency panel decide: members record views, the decision records who took part', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    const police = await world.person('police-panel', ['caseworker'], 'police', 'police');
    const health = await world.person('health-panel', ['caseworker'], 'health', 'health');
    const rg = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');

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
    const current = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');
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
    const detail = await readCaseAs(dm, caseId);
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

  it('shows the deadline board: overdue first, due soon, by decision maker', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const dm = await world.decisionMaker();
    const rg = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');
    const assign = await dm.client.post(`/api/decisions/${rg.id}/assign`, {
      assigneeId: dm.user.id,
      version: rg.version,
    });
    expect(assign.statusCode).toBe(200);
    const board = async (query: string) =>
      (await dm.client.get(`/api/decisions/board${query}`)).json<{ items: DeadlineItem[] }>().items;
    const mine = await board('?assignee=me');
    expect(mine.map((d) => d.decisionId)).toContain(rg.id);
    expect(mine.find((d) => d.decisionId === rg.id)).toMatchObject({ state: 'on_track', workingDaysLeft: 5 });
    // Thursday 9 and Monday 13 are left: Friday 10 July is Matariki.
    await withToday(suite.ctx, '2026-07-08', async () => {
      expect((await board('?view=due_soon')).find((d) => d.decisionId === rg.id)).toMatchObject({
        workingDaysLeft: 2,
      });
    });
    await withToday(suite.ctx, '2026-07-14', async () => {
      const overdue = await board('?view=overdue');
      expect(overdue.find((d) => d.decisionId === rg.id)).toMatchObject({
        state: 'overdue',
        workingDaysLeft: -1,
      });
    });
  });
});
