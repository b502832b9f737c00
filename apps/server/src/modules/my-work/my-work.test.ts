import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MyWork, ServiceReferral } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';
const CHILD = validReferral().child;
/** What a notification must never hold: the child's names, where they stay, what was written. */
const SECRETS = [
  CHILD.givenNames ?? '',
  CHILD.familyName ?? '',
  'T-Bone',
  'Ōtāhuhu',
  'Synthetic narrative',
  'getting into cars',
  'placement',
  'safe bed tonight',
];

interface Notification {
  kind: string;
  message: string;
  link: string | null;
  readAt: string | null;
  id: string;
}

describe.each(DRIVERS)('my work and assignment notifications on %s', (driver) => {
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

  const workOf = async (who: Person): Promise<MyWork> => {
    const res = await who.client.get('/api/my-work');
    expect(res.statusCode).toBe(200);
    return res.json<MyWork>();
  };
  const notificationsOf = async (who: Person): Promise<Notification[]> => {
    const res = await who.client.get('/api/notifications');
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Notification[] }>().items;
  };
  const versionOf = async (table: 'decision' | 'referral', id: string) =>
    (await ctx.db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  /** A shelter with one service of emergency beds, and its person who answers referrals. */
  const shelter = async (key: string) => {
    const provider = await world.person(`provider-${key}`, ['service_provider'], `shelter-${key}`, 'ngo');
    const res = await provider.client.post('/api/services', {
      providerOrganisationId: await world.organisation(`shelter-${key}`, 'ngo'),
      name: `Emergency beds ${key}`,
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    expect(res.statusCode).toBe(201);
    return { provider, serviceId: res.json<{ id: string }>().id };
  };

  it('tells a triage officer of a referral assigned to them and lists it as their work, naming no child', async () => {
    const triage = await world.triage();
    const officer = await world.person('triage-2', ['triage']);
    const ack = await world.submitReferral();
    const other = await world.submitReferral();
    const res = await triage.client.post('/api/triage/assign', {
      referralIds: [ack.id],
      assigneeId: officer.user.id,
    });
    expect(res.statusCode).toBe(200);

    const work = await workOf(officer);
    const mine = work.items.filter((i) => i.kind === 'referral_to_triage');
    expect(mine.map((i) => i.reference)).toEqual([ack.reference]);
    expect(mine[0]).toMatchObject({ link: `/triage/${ack.id}`, dueOn: expect.any(String) as string });
    expect(JSON.stringify(work)).not.toContain(other.reference);
    // The one who assigned it has none of it.
    expect((await workOf(triage)).items.map((i) => i.id)).not.toContain(ack.id);

    const told = (await notificationsOf(officer)).filter((n) => n.kind === 'referral.assigned');
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toContain(ack.reference);
    expect(told[0]?.link).toBe(`/triage/${ack.id}`);
    expect((await notificationsOf(triage)).filter((n) => n.kind === 'referral.assigned')).toEqual([]);
  });

  it("counts for triage the queue's referrals no one has taken, urgent ones apart; nobody else gets a count", async () => {
    const triage = await world.triage();
    const before = (await workOf(triage)).unassignedReferrals ?? { total: -1, urgent: -1 };
    expect(before.total).toBeGreaterThanOrEqual(0);
    const plain = await world.submitReferral();
    await world.submitReferral({ immediateRisk: true });
    expect((await workOf(triage)).unassignedReferrals).toEqual({
      total: before.total + 2,
      urgent: before.urgent + 1,
    });
    // Taking one out of the queue's unassigned: the count goes down.
    const res = await triage.client.post('/api/triage/assign', {
      referralIds: [plain.id],
      assigneeId: triage.user.id,
    });
    expect(res.statusCode).toBe(200);
    expect((await workOf(triage)).unassignedReferrals?.total).toBe(before.total + 1);
    const caseworker = await world.person('caseworker-count', ['caseworker']);
    expect((await workOf(caseworker)).unassignedReferrals).toBe(null);
  });

  it("marks all of a person's reminders read at once, and no one else's", async () => {
    const officer = await world.person('triage-read-all', ['triage']);
    const other = await world.person('triage-read-all-2', ['triage']);
    const triage = await world.triage();
    for (const who of [officer, other]) {
      const ack = await world.submitReferral();
      const res = await triage.client.post('/api/triage/assign', {
        referralIds: [ack.id],
        assigneeId: who.user.id,
      });
      expect(res.statusCode).toBe(200);
    }
    const unread = async (who: Person) => (await notificationsOf(who)).filter((n) => !n.readAt).length;
    expect(await unread(officer)).toBeGreaterThan(0);
    const res = await officer.client.post('/api/notifications/read-all', {});
    expect(res.statusCode).toBe(200);
    expect(res.json<{ marked: number }>().marked).toBeGreaterThan(0);
    expect(await unread(officer)).toBe(0);
    expect((await workOf(officer)).unreadReminders).toBe(0);
    expect(await unread(other)).toBeGreaterThan(0);
    // Again: nothing left to mark.
    const again = await officer.client.post('/api/notifications/read-all', {});
    expect(again.json<{ marked: number }>().marked).toBe(0);
  });

  it('tells a caseworker of a case allocated to them and lists overdue goals first', async () => {
    const caseworker = await world.caseworker();
    const opened = await world.openCase();
    const told = (await notificationsOf(caseworker)).filter(
      (n) => n.kind === 'case.allocated' && n.link === `/cases/${opened.caseId}`,
    );
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toContain(opened.reference);

    for (const [description, dueOn] of [
      ['Safe place to stay', '2026-07-20'],
      ['School enrolment', '2026-07-01'],
    ] as const) {
      const res = await caseworker.client.post(`/api/cases/${opened.caseId}/goals`, { description, dueOn });
      expect(res.statusCode).toBe(201);
    }
    const work = await workOf(caseworker);
    expect(work.today).toBe('2026-07-03');
    const goals = work.items.filter((i) => i.kind === 'goal_due' && i.reference === opened.reference);
    expect(goals.map((g) => [g.dueOn, g.overdue])).toEqual([
      ['2026-07-01', true],
      ['2026-07-20', false],
    ]);
    expect(work.items[0]?.overdue).toBe(true);
    // Goals name no words of the goal itself, only the case.
    expect(JSON.stringify(work)).not.toContain('Safe place');

    // Someone added to the team later hears of it too.
    const colleague = await world.person('caseworker-2', ['caseworker']);
    const added = await caseworker.client.post(`/api/cases/${opened.caseId}/team/members`, {
      userId: colleague.user.id,
      teamRole: 'caseworker',
    });
    expect(added.statusCode).toBe(201);
    expect((await notificationsOf(colleague)).map((n) => n.kind)).toContain('case.allocated');
  });

  it('tells a decision maker of a decision assigned to them and keeps it off everyone else’s list', async () => {
    const assigner = await world.decisionMaker();
    const decider = await world.secondDecisionMaker();
    const opened = await world.openCase();
    const decision = await ctx.db
      .selectFrom('decision')
      .select(['id', 'due_on'])
      .where('case_id', '=', opened.caseId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const before = (await workOf(assigner)).unassignedDecisions ?? 0;
    expect(before).toBeGreaterThan(0);
    const res = await assigner.client.post(`/api/decisions/${decision.id}/assign`, {
      assigneeId: decider.user.id,
      version: await versionOf('decision', decision.id),
    });
    expect(res.statusCode).toBe(200);

    const work = await workOf(decider);
    expect(work.items.filter((i) => i.kind === 'decision_due')).toEqual([
      expect.objectContaining({
        id: decision.id,
        reference: opened.reference,
        detail: 'reasonable_grounds',
        dueOn: decision.due_on,
        link: `/cases/${opened.caseId}`,
      }),
    ]);
    const assignerWork = await workOf(assigner);
    expect(assignerWork.items.map((i) => i.id)).not.toContain(decision.id);
    expect(assignerWork.unassignedDecisions).toBe(before - 1);

    const told = (await notificationsOf(decider)).filter((n) => n.kind === 'decision.assigned');
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toContain(opened.reference);
    expect(told[0]?.message).toContain(decision.due_on);
    expect((await notificationsOf(assigner)).filter((n) => n.kind === 'decision.assigned')).toEqual([]);
  });

  it('tells a provider of a service referral sent to them, urgent first, by its own reference', async () => {
    const caseworker = await world.caseworker();
    const { provider, serviceId } = await shelter('a');
    const opened = await world.openCase();
    const send = async (urgency: 'urgent' | 'routine', sendNow = true) => {
      const res = await caseworker.client.post(`/api/cases/${opened.caseId}/service-referrals`, {
        serviceId,
        needType: 'emergency_accommodation',
        sharedFields: ['age_band', 'needs_summary'],
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Emergency accommodation tonight',
        childConsulted: 'yes',
        needsSummary: 'Needs a safe bed tonight.',
        urgency,
        send: sendNow,
      });
      expect(res.statusCode).toBe(201);
      return res.json<ServiceReferral>();
    };
    const routine = await send('routine');
    const urgent = await send('urgent');
    const proposal = await send('routine', false);

    const inbox = (await workOf(provider)).items.filter((i) => i.kind === 'service_referral_to_answer');
    expect(inbox.map((i) => [i.id, i.urgent])).toEqual([
      [urgent.id, true],
      [routine.id, false],
    ]);
    // The provider never learns the case reference.
    expect(inbox.map((i) => i.reference)).toEqual([urgent.reference, routine.reference]);
    expect(JSON.stringify(await workOf(provider))).not.toContain(opened.reference);

    let told = (await notificationsOf(provider)).filter((n) => n.kind === 'service_referral.received');
    expect(told.map((n) => n.link).sort()).toEqual(
      [`/service-referrals/${urgent.id}`, `/service-referrals/${routine.id}`].sort(),
    );
    expect(told.find((n) => n.link?.endsWith(urgent.id))?.message).toMatch(/^An urgent service referral/);
    expect(told.map((n) => n.message).join(' ')).not.toContain(opened.reference);

    // Sending the proposal later tells them then.
    const sent = await caseworker.client.post(`/api/service-referrals/${proposal.id}/transition`, {
      to: 'sent',
      version: proposal.version,
    });
    expect(sent.statusCode).toBe(200);
    told = (await notificationsOf(provider)).filter((n) => n.kind === 'service_referral.received');
    expect(told).toHaveLength(3);

    // The caseworker waits for the answers.
    const waiting = (await workOf(caseworker)).items.filter((i) => i.kind === 'service_referral_awaiting');
    expect(waiting.map((i) => i.id)).toEqual(expect.arrayContaining([urgent.id, routine.id, proposal.id]));

    // Marking read: the unread count follows.
    const unread = (await workOf(provider)).unreadReminders;
    const first = told[0];
    if (!first) throw new Error('no notification');
    expect((await provider.client.post(`/api/notifications/${first.id}/read`, {})).statusCode).toBe(200);
    expect((await workOf(provider)).unreadReminders).toBe(unread - 1);
  });

  it('never shows another organisation’s work', async () => {
    const caseworker = await world.caseworker();
    const { serviceId } = await shelter('a');
    const opened = await world.openCase();
    const res = await caseworker.client.post(`/api/cases/${opened.caseId}/service-referrals`, {
      serviceId,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band'],
      lawfulBasis: LAWFUL_BASIS,
      purpose: 'Emergency accommodation tonight',
      childConsulted: 'yes',
    });
    expect(res.statusCode).toBe(201);
    const sentId = res.json<ServiceReferral>().id;

    const otherProvider = await world.person('provider-b', ['service_provider'], 'shelter-b', 'ngo');
    const otherDecider = await world.person('decision-maker-b', ['decision_maker'], 'lead-b', 'lead_agency');
    const otherCaseworker = await world.person('caseworker-b', ['caseworker'], 'lead-b', 'lead_agency');
    for (const who of [otherProvider, otherDecider, otherCaseworker]) {
      const work = await workOf(who);
      expect(work.items).toEqual([]);
      expect(JSON.stringify(work)).not.toContain(opened.reference);
      expect(JSON.stringify(work)).not.toContain(sentId);
    }
    expect((await workOf(otherDecider)).unassignedDecisions).toBe(0);
  });

  it('answers an empty list, not an error, to someone with nothing to do', async () => {
    for (const who of [
      await world.person('analyst', ['analyst'], 'research', 'other'),
      await world.person('frontline-quiet', ['frontline'], 'police-quiet', 'police'),
      await world.person('caseworker-quiet', ['caseworker']),
    ]) {
      const work = await workOf(who);
      expect(work).toMatchObject({ items: [], truncated: false, unreadReminders: 0 });
    }
    expect(
      (await workOf(await world.person('analyst', ['analyst'], 'research', 'other'))).unassignedDecisions,
    ).toBe(null);
    expect((await app.inject({ method: 'GET', url: '/api/my-work' })).statusCode).toBe(401);
  });

  it('never names a child or repeats what was written about them in any notification', async () => {
    const rows = await ctx.db.selectFrom('notification').select(['kind', 'message']).execute();
    const kinds = new Set(rows.map((r) => r.kind));
    for (const kind of [
      'referral.assigned',
      'case.allocated',
      'decision.assigned',
      'service_referral.received',
    ])
      expect(kinds).toContain(kind);
    const leaks = rows.flatMap((r) =>
      SECRETS.filter((secret) => secret && r.message.includes(secret)).map((s) => `${r.kind}: ${s}`),
    );
    expect(leaks).toEqual([]);
  });
});
