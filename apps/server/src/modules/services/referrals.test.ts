import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Page, ServiceReferral, Service } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { serviceReferralsForCase, unmetNeedsForCase } from './service.ts';

/** Words only the child's identity, the needs summary or the notes hold: none may leak. */
const SECRETS = ['Tāne', 'Kōrero-Testchild', 'Ōtāhuhu', 'safe bed tonight', 'Karakia before sessions'];

const leaks = (res: LightMyRequestResponse) => SECRETS.filter((secret) => res.body.includes(secret));

describe.each(DRIVERS)('service referrals on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let caseworker: Person;
  let providerA: Person;
  let providerB: Person;
  let shelter: Service;
  let counselling: Service;

  beforeAll(async () => {
    // Friday 3 July 2026: five working days skip Matariki (Friday 10 July).
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    caseworker = await world.caseworker();
    providerA = await world.person('provider-a', ['service_provider'], 'shelter', 'ngo');
    providerB = await world.person('provider-b', ['service_provider'], 'counselling', 'ngo');
    const add = async (by: Person, name: string, needTypes: string[]) => {
      const res = await by.client.post('/api/services', {
        providerOrganisationId: by.user.organisationId,
        name,
        needTypes,
        regions: ['02'],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Service>();
    };
    shelter = await add(providerA, 'Whare Haumaru', ['emergency_accommodation', 'counselling']);
    counselling = await add(providerB, 'Kōrero counselling', ['counselling']);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const openCase = () => world.openCase({ concern: { date: '2026-07-01', region: '02' } });

  async function refer(caseId: string, overrides: Record<string, unknown> = {}): Promise<ServiceReferral> {
    const res = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      serviceId: shelter.id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_support_plan',
      purpose: 'Find emergency accommodation',
      childConsulted: 'yes',
      childView: 'Wants to stay near school',
      needsSummary: 'Needs a safe bed tonight',
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ServiceReferral>();
  }

  const step = (by: Person, referral: { id: string }, body: Record<string, unknown>) =>
    by.client.post(`/api/service-referrals/${referral.id}/transition`, body);

  /** Takes a step that must succeed, returning the referral as the actor now sees it. */
  async function move(
    by: Person,
    referral: ServiceReferral,
    to: string,
    extra: Record<string, unknown> = {},
  ) {
    const res = await step(by, referral, { to, version: referral.version, ...extra });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ServiceReferral>();
  }

  it('runs sent → accepted → engaged → completed, each step by its owner, stamped and on the timeline', async () => {
    // Stamped during this test, however long a busy machine takes over it.
    const startedAt = Date.now();
    const { caseId, reference } = await openCase();
    const sent = await refer(caseId);
    expect(sent).toMatchObject({
      caseId,
      caseReference: reference,
      status: 'sent',
      respondBy: '2026-07-13',
      overdue: false,
      needType: 'emergency_accommodation',
      provider: { id: providerA.user.organisationId },
      referrer: { id: caseworker.user.organisationId },
      lawfulBasis: 'ota_66c_support_plan',
      child: { ageBand: 'age_12_15', needsSummary: 'Needs a safe bed tonight' },
      nextSteps: ['withdrawn'],
    });
    const disclosure = await ctx.db
      .selectFrom('service_referral as sr')
      .innerJoin('disclosure as d', 'd.id', 'sr.disclosure_id')
      .select([
        'd.fields',
        'd.to_organisation_id',
        'd.lawful_basis',
        'd.child_consulted',
        'sr.needs_summary_enc',
      ])
      .where('sr.id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(disclosure).toMatchObject({
      fields: ['age_band', 'needs_summary'],
      to_organisation_id: providerA.user.organisationId,
      lawful_basis: 'ota_66c_support_plan',
      child_consulted: 'yes',
    });
    expect(disclosure.needs_summary_enc).not.toContain('safe bed');

    // Before accepting, the provider sees the facts it needs to decide, and no child.
    const inbox = await providerA.client.get('/api/service-referrals?view=provider');
    expect(inbox.statusCode).toBe(200);
    const listed = inbox.json<{ items: ServiceReferral[] }>().items.find((r) => r.id === sent.id);
    expect(listed).toMatchObject({
      caseId: null,
      child: null,
      status: 'sent',
      ageBand: 'age_12_15',
      region: '02',
    });
    expect(listed?.caseReference).not.toBe(reference);
    expect(leaks(inbox)).toEqual([]);
    expect(inbox.body).not.toContain(reference);
    const early = await providerA.client.get(`/api/service-referrals/${sent.id}`);
    expect(early.json()).toMatchObject({ child: null, caseId: null, nextSteps: ['accepted', 'declined'] });
    expect(leaks(early)).toEqual([]);

    const accepted = await move(providerA, sent, 'accepted');
    // Only what was shared: the age band and the needs summary, not the name.
    expect(accepted.child).toEqual({ ageBand: 'age_12_15', needsSummary: 'Needs a safe bed tonight' });
    expect(accepted.caseId).toBeNull();
    expect(JSON.stringify(accepted)).not.toMatch(/givenNames|familyName|Tāne|Ōtāhuhu/);
    const viewed = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'service_referral.viewed')
      .where('subject_id', '=', sent.id)
      .execute();
    expect(viewed).toContainEqual({
      actor_user_id: providerA.user.id,
      details: { caseId, view: 'provider', fields: ['age_band', 'needs_summary'] },
    });

    const engaged = await move(providerA, accepted, 'engaged');
    const completed = await move(providerA, engaged, 'completed', { detail: 'Housed with whānau support' });
    expect(completed).toMatchObject({
      status: 'completed',
      outcome: 'Housed with whānau support',
      nextSteps: [],
    });
    const stored = await ctx.db
      .selectFrom('service_referral')
      .select(['status', 'outcome_enc', 'version'])
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'completed', version: 4 });
    expect(stored.outcome_enc).not.toContain('Housed');

    expect(completed.events.map((e) => [e.from, e.to, e.by?.id, e.organisation?.id])).toEqual([
      [null, 'sent', caseworker.user.id, caseworker.user.organisationId],
      ['sent', 'accepted', providerA.user.id, providerA.user.organisationId],
      ['accepted', 'engaged', providerA.user.id, providerA.user.organisationId],
      ['engaged', 'completed', providerA.user.id, providerA.user.organisationId],
    ]);
    for (const e of completed.events) expect(Date.parse(e.at)).toBeGreaterThanOrEqual(startedAt);

    const timeline = await ctx.db
      .selectFrom('case_event')
      .select(['kind', 'subject_id', 'actor_user_id', 'details'])
      .where('case_id', '=', caseId)
      .where('kind', 'like', 'service_referral.%')
      .orderBy('id')
      .execute();
    expect(timeline.map((t) => [t.kind, t.subject_id, t.actor_user_id])).toEqual([
      ['service_referral.sent', sent.id, caseworker.user.id],
      ['service_referral.accepted', sent.id, providerA.user.id],
      ['service_referral.engaged', sent.id, providerA.user.id],
      ['service_referral.completed', sent.id, providerA.user.id],
    ]);
    expect(timeline[1]?.details).toEqual({
      needType: 'emergency_accommodation',
      serviceId: shelter.id,
      providerOrganisationId: providerA.user.organisationId,
    });
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', sent.id)
      .where('action', 'in', [
        'service_referral.sent',
        'service_referral.accepted',
        'service_referral.completed',
      ])
      .execute();
    expect(audited).toHaveLength(3);

    // The case page gets the case team's full view.
    const forCase = await serviceReferralsForCase(ctx, caseId);
    expect(forCase).toHaveLength(1);
    expect(forCase[0]).toMatchObject({
      caseId,
      caseReference: reference,
      outcome: 'Housed with whānau support',
    });
    expect(forCase[0]?.events).toHaveLength(4);
  });

  it('shares the name only when chosen, and never the fields that were not', async () => {
    const { caseId } = await openCase();
    const sent = await refer(caseId, { sharedFields: ['name', 'languages'], needsSummary: undefined });
    const accepted = await move(providerA, sent, 'accepted');
    expect(accepted.child).toEqual({
      givenNames: 'Tāne',
      familyName: 'Kōrero-Testchild',
      languages: ['English', 'te reo Māori'],
    });
    const res = await providerA.client.get(`/api/service-referrals/${sent.id}`);
    expect(res.body).not.toMatch(/dateOfBirth|2011-03-14|Ōtāhuhu|needsSummary/);
    // The age band is a fact the provider had before accepting; it is not part of the shared child.
    expect(res.json().ageBand).toBe('age_12_15');
    expect(Object.keys(res.json().child).sort()).toEqual(['familyName', 'givenNames', 'languages']);
  });

  it('keeps other providers, frontline workers and analysts out, and notes with their own referral', async () => {
    const { caseId } = await openCase();
    const toA = await refer(caseId, {
      needType: 'counselling',
      sharedFields: ['name'],
      needsSummary: undefined,
    });
    const toB = await refer(caseId, {
      serviceId: counselling.id,
      needType: 'counselling',
      sharedFields: ['age_band'],
      needsSummary: undefined,
    });
    await move(providerA, toA, 'accepted');
    await move(providerB, toB, 'accepted');
    const noteA = await providerA.client.post(`/api/service-referrals/${toA.id}/notes`, {
      body: 'Karakia before sessions helps',
    });
    expect(noteA.statusCode, noteA.body).toBe(201);
    expect(noteA.json()).toMatchObject({
      body: 'Karakia before sessions helps',
      author: { id: providerA.user.id },
      organisation: { id: providerA.user.organisationId },
    });
    expect(
      (await caseworker.client.post(`/api/service-referrals/${toA.id}/notes`, { body: 'Thank you' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await providerB.client.post(`/api/service-referrals/${toB.id}/notes`, { body: 'Booked in' }))
        .statusCode,
    ).toBe(201);
    const stored = await ctx.db
      .selectFrom('service_referral_note')
      .select('body_enc')
      .where('service_referral_id', '=', toA.id)
      .execute();
    expect(stored.map((n) => n.body_enc).join()).not.toContain('Karakia');

    // Provider B: not its referral, so it does not exist; its own shows only its own note.
    for (const res of [
      await providerB.client.get(`/api/service-referrals/${toA.id}`),
      await providerB.client.post(`/api/service-referrals/${toA.id}/notes`, { body: 'Hello' }),
      await step(providerB, toA, { to: 'engaged', version: 2 }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(leaks(res)).toEqual([]);
    }
    const inboxB = await providerB.client.get('/api/service-referrals?view=provider');
    expect(inboxB.json<{ items: ServiceReferral[] }>().items.map((r) => r.id)).toEqual([toB.id]);
    const ownB = (await providerB.client.get(`/api/service-referrals/${toB.id}`)).json<ServiceReferral>();
    expect(ownB.notes.map((n) => n.body)).toEqual(['Booked in']);
    const ownA = (await providerA.client.get(`/api/service-referrals/${toA.id}`)).json<ServiceReferral>();
    expect(ownA.notes.map((n) => n.body)).toEqual(['Karakia before sessions helps', 'Thank you']);

    // The case team sees both referrals and every note.
    const team = (await caseworker.client.get(`/api/service-referrals/${toB.id}`)).json<ServiceReferral>();
    expect(team).toMatchObject({ caseId, notes: [{ body: 'Booked in' }] });

    const frontline = await world.frontline();
    const analyst = await world.person('analyst', ['analyst'], 'ministry', 'other');
    for (const outsider of [frontline, analyst]) {
      const detail = await outsider.client.get(`/api/service-referrals/${toA.id}`);
      expect(detail.statusCode).toBe(404);
      expect(leaks(detail)).toEqual([]);
      expect((await outsider.client.get('/api/service-referrals?view=provider')).statusCode).toBe(403);
      expect((await outsider.client.get('/api/service-referrals?view=overdue')).statusCode).toBe(403);
      expect(
        (await outsider.client.post(`/api/service-referrals/${toA.id}/notes`, { body: 'x' })).statusCode,
      ).toBe(404);
    }
  });

  it('refuses a step to the wrong party, out of order or on a stale version; of two at once one wins', async () => {
    const { caseId } = await openCase();
    const sent = await refer(caseId);

    const byTeam = await step(caseworker, sent, { to: 'accepted', version: 1 });
    expect(byTeam.statusCode).toBe(409);
    expect(byTeam.json()).toMatchObject({
      code: 'step_not_allowed',
      message: expect.stringMatching(/provider/),
    });
    const byProvider = await step(providerA, sent, { to: 'withdrawn', version: 1 });
    expect(byProvider.json()).toMatchObject({
      code: 'step_not_allowed',
      message: expect.stringMatching(/case team/),
    });
    const skip = await step(providerA, sent, { to: 'completed', version: 1 });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().message).toMatch(/cannot become completed.*accepted, declined/);
    expect((await step(providerA, sent, { to: 'declined', version: 1 })).statusCode).toBe(400);
    expect((await step(providerA, sent, { to: 'accepted', detail: 'x', version: 1 })).statusCode).toBe(400);
    // A note waits until the provider holds the referral.
    expect(
      (await providerA.client.post(`/api/service-referrals/${sent.id}/notes`, { body: 'Hi' })).json().code,
    ).toBe('note_not_allowed');
    // None of the refusals moved it.
    expect((await caseworker.client.get(`/api/service-referrals/${sent.id}`)).json()).toMatchObject({
      status: 'sent',
      version: 1,
    });

    const accepted = await move(providerA, sent, 'accepted');
    const stale = await step(providerA, sent, { to: 'engaged', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: accepted.version });

    const race = await refer(caseId);
    const [a, b] = await Promise.all([
      step(providerA, race, { to: 'accepted', version: race.version }),
      step(providerA, race, { to: 'declined', declineReason: 'not_eligible', version: race.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = await ctx.db
      .selectFrom('service_referral_event')
      .select('to_status')
      .where('service_referral_id', '=', race.id)
      .execute();
    expect(events).toHaveLength(2);
  });

  it('records an unmet need when declined for lack of capacity, met once another service accepts', async () => {
    const { caseId } = await openCase();
    const toB = await refer(caseId, {
      serviceId: counselling.id,
      needType: 'counselling',
      sharedFields: ['age_band'],
      needsSummary: undefined,
    });
    const declined = await move(providerB, toB, 'declined', {
      declineReason: 'no_capacity',
      detail: 'No counsellor free until September',
    });
    expect(declined).toMatchObject({
      status: 'declined',
      declineReason: 'no_capacity',
      declineDetail: 'No counsellor free until September',
      child: null,
    });
    expect(declined.events.at(-1)).toMatchObject({ from: 'sent', to: 'declined', reason: 'no_capacity' });
    const row = await ctx.db
      .selectFrom('service_referral')
      .select('decline_detail_enc')
      .where('id', '=', toB.id)
      .executeTakeFirstOrThrow();
    expect(row.decline_detail_enc).not.toContain('September');
    const needs = await unmetNeedsForCase(ctx, caseId);
    expect(needs).toEqual([
      expect.objectContaining({
        needType: 'counselling',
        reason: 'declined_no_capacity',
        region: '02',
        metAt: null,
      }),
    ]);
    const ledger = await ctx.db
      .selectFrom('unmet_need')
      .select('service_referral_id')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(ledger.service_referral_id).toBe(toB.id);
    const event = await ctx.db
      .selectFrom('case_event')
      .select('details')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'service_referral.declined')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ declineReason: 'no_capacity', serviceId: counselling.id });

    const toA = await refer(caseId, {
      needType: 'counselling',
      sharedFields: ['age_band'],
      needsSummary: undefined,
    });
    await move(providerA, toA, 'accepted');
    const after = await unmetNeedsForCase(ctx, caseId);
    expect(after[0]?.metAt).not.toBeNull();
  });

  it('shortens the provider’s deadline for an urgent need and shows the urgency to the provider', async () => {
    const { caseId } = await openCase();
    // Friday 3 July 2026. Routine: five working days (Matariki on the 10th) → Monday 13 July.
    const routine = await refer(caseId);
    expect(routine).toMatchObject({ urgency: 'routine', respondBy: '2026-07-13' });
    // Urgent (a safe bed tonight): the provider answers today.
    const urgent = await refer(caseId, { urgency: 'urgent' });
    expect(urgent).toMatchObject({ urgency: 'urgent', respondBy: '2026-07-03' });
    // Soon (this week): two working days → Tuesday 7 July.
    const soon = await refer(caseId, { urgency: 'soon' });
    expect(soon).toMatchObject({ urgency: 'soon', respondBy: '2026-07-07' });
    // A later date chosen by hand cannot stretch an urgent need; a sooner one is kept.
    const stretched = await refer(caseId, { urgency: 'soon', respondBy: '2026-07-20' });
    expect(stretched.respondBy).toBe('2026-07-07');
    const sooner = await refer(caseId, { urgency: 'routine', respondBy: '2026-07-06' });
    expect(sooner.respondBy).toBe('2026-07-06');

    // The provider sees the urgency in its inbox and on the referral.
    const inbox = await providerA.client.get('/api/service-referrals?view=provider');
    const listed = inbox.json<{ items: ServiceReferral[] }>().items;
    expect(listed.find((r) => r.id === urgent.id)).toMatchObject({
      urgency: 'urgent',
      respondBy: '2026-07-03',
    });
    // Waiting for an answer and urgent first, then soon, then the rest: here the urgent one was
    // made first of the four, so newest-first alone would put it last.
    const ours = listed.filter((r) => [urgent.id, soon.id, stretched.id, sooner.id].includes(r.id));
    expect(ours.map((r) => r.urgency)).toEqual(['urgent', 'soon', 'soon', 'routine']);
    expect(ours[0]?.id).toBe(urgent.id);
    const read = await providerA.client.get(`/api/service-referrals/${urgent.id}`);
    expect(read.json()).toMatchObject({ urgency: 'urgent' });

    // An unknown urgency is refused; nothing is made.
    const before = await ctx.db
      .selectFrom('service_referral')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    const bad = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      serviceId: shelter.id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band'],
      lawfulBasis: 'ota_66c_support_plan',
      purpose: 'Find emergency accommodation',
      childConsulted: 'yes',
      urgency: 'whenever',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toContain('urgency');
    const after = await ctx.db
      .selectFrom('service_referral')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  it('keeps a proposal from the provider until it is sent, and lets the case team withdraw', async () => {
    const { caseId } = await openCase();
    const proposed = await refer(caseId, { send: false });
    expect(proposed.status).toBe('proposed');
    expect((await providerA.client.get(`/api/service-referrals/${proposed.id}`)).statusCode).toBe(404);
    const inbox = await providerA.client.get('/api/service-referrals?view=provider');
    expect(inbox.json<{ items: ServiceReferral[] }>().items.map((r) => r.id)).not.toContain(proposed.id);
    expect((await step(providerA, proposed, { to: 'accepted', version: 1 })).statusCode).toBe(404);

    const sent = await move(caseworker, proposed, 'sent');
    expect(sent.status).toBe('sent');
    expect((await providerA.client.get(`/api/service-referrals/${proposed.id}`)).statusCode).toBe(200);
    const accepted = await move(providerA, sent, 'accepted');
    const withdrawn = await move(caseworker, accepted, 'withdrawn', {
      detail: 'The child moved to Ōtautahi',
    });
    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      outcome: 'The child moved to Ōtautahi',
      nextSteps: [],
    });
    expect(withdrawn.events.at(-1)).toMatchObject({ to: 'withdrawn', by: { id: caseworker.user.id } });

    // Once withdrawn, the provider no longer holds it: no child, no notes, no reason.
    const after = await providerA.client.get(`/api/service-referrals/${proposed.id}`);
    expect(after.json()).toMatchObject({ status: 'withdrawn', child: null, notes: [], outcome: null });
    expect(after.body).not.toContain('Ōtautahi');
    expect(leaks(after)).toEqual([]);
  });

  it('lists sent referrals past their respond-by date on the cases the caller may read', async () => {
    const { caseId } = await openCase();
    const late = await refer(caseId, { respondBy: '2026-06-30' });
    const onTime = await refer(caseId);
    expect(late.overdue).toBe(true);
    expect(onTime.overdue).toBe(false);

    const res = await caseworker.client.get('/api/service-referrals?view=overdue');
    expect(res.statusCode).toBe(200);
    const overdue = res.json<{ items: ServiceReferral[] }>().items;
    expect(overdue.map((r) => r.id)).toContain(late.id);
    expect(overdue.map((r) => r.id)).not.toContain(onTime.id);
    expect(overdue.find((r) => r.id === late.id)).toMatchObject({ caseId, overdue: true, child: null });
    expect(leaks(res)).toEqual([]);

    const outsider = await world.person('outside-caseworker', ['caseworker'], 'other-lead', 'lead_agency');
    const theirs = (await outsider.client.get('/api/service-referrals?view=overdue')).json<{
      items: ServiceReferral[];
    }>();
    expect(theirs.items.map((r) => r.id)).not.toContain(late.id);
    expect((await providerA.client.get('/api/service-referrals?view=overdue')).statusCode).toBe(403);
    // Answered, it is no longer overdue.
    await move(providerA, late, 'declined', { declineReason: 'not_eligible' });
    const again = (await caseworker.client.get('/api/service-referrals?view=overdue')).json<{
      items: ServiceReferral[];
    }>();
    expect(again.items.map((r) => r.id)).not.toContain(late.id);
  });

  it('pages, sorts and filters a provider’s inbox on the server, never another provider’s referrals', async () => {
    const { caseId } = await openCase();
    // Three to provider A (one past its answer date, one due this week, one later), one to provider B.
    const late = await refer(caseId, { respondBy: '2026-06-30' });
    const thisWeek = await refer(caseId, { respondBy: '2026-07-05' });
    const later = await refer(caseId, { respondBy: '2026-07-31' });
    const toB = await refer(caseId, { serviceId: counselling.id, needType: 'counselling' });
    type Inbox = Page<ServiceReferral>;
    const inbox = async (query: string) => {
      const res = await providerA.client.get(`/api/service-referrals?view=provider&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Inbox>();
    };
    const all = await inbox('pageSize=100');
    const mine = all.items.map((r) => r.id);
    expect(mine).toEqual(expect.arrayContaining([late.id, thisWeek.id, later.id]));
    expect(mine).not.toContain(toB.id);
    expect(all.total).toBe(mine.length);
    // One row a page: every referral once, and never provider B's.
    const seen: string[] = [];
    for (let page = 1; page <= all.total + 1; page += 1) {
      const one = await inbox(`pageSize=1&page=${page}`);
      expect(one).toMatchObject({ total: all.total, page, pageSize: 1 });
      seen.push(...one.items.map((r) => r.id));
    }
    expect(seen).toHaveLength(all.total);
    expect(new Set(seen)).toEqual(new Set(mine));
    // Sorted by answer deadline, either way.
    const byDue = (await inbox('sort=respondBy&dir=asc&pageSize=100')).items.map((r) => r.respondBy);
    expect(byDue).toEqual([...byDue].sort());
    const byDueDesc = (await inbox('sort=respondBy&dir=desc&pageSize=100')).items.map((r) => r.respondBy);
    expect(byDueDesc).toEqual([...byDue].reverse());
    // Overdue and due this week (Friday 3 July: the week ends Sunday 5 July).
    const overdue = (await inbox('overdue=true&pageSize=100')).items;
    expect(overdue.map((r) => r.id)).toContain(late.id);
    expect(overdue.every((r) => r.overdue)).toBe(true);
    const week = (await inbox('dueThisWeek=true&pageSize=100')).items;
    expect(week.map((r) => r.id)).toContain(thisWeek.id);
    expect(week.map((r) => r.id)).not.toContain(later.id);
    expect(week.every((r) => r.respondBy >= '2026-07-03' && r.respondBy <= '2026-07-05')).toBe(true);
    // Provider B's inbox, however filtered, holds none of provider A's.
    for (const query of ['', 'overdue=true', 'sort=service&dir=desc', 'status=sent']) {
      const theirs = await providerB.client.get(`/api/service-referrals?view=provider&${query}`);
      expect(theirs.statusCode).toBe(200);
      const ids = theirs.json<Inbox>().items.map((r) => r.id);
      for (const id of [late.id, thisWeek.id, later.id]) expect(ids).not.toContain(id);
    }
  });

  it('refuses a bad inbox query with a clear message, and changes nothing', async () => {
    const audited = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await audited();
    for (const [query, message] of [
      ['page=0', 'The page is a whole number from 1'],
      ['pageSize=500', 'Ask for 1 to 100 rows a page'],
      ['sort=child', 'Sort by one of: urgency, sent, respondBy, status, service'],
      ['dir=up', 'Sort direction is asc or desc'],
      ['overdue=maybe', 'Use true or false'],
      ['status=lost', 'Not a service referral status'],
    ] as const) {
      const res = await providerA.client.get(`/api/service-referrals?view=provider&${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.body, query).toContain(message);
    }
    expect((await providerA.client.get('/api/service-referrals?view=provider&child=x')).statusCode).toBe(400);
    expect(await audited()).toBe(before);
  });

  it('refuses a referral on a closed case, to an inactive service, or by someone off the case team', async () => {
    const { caseId } = await openCase();
    const body = {
      serviceId: shelter.id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band'],
      lawfulBasis: 'ota_66c_support_plan',
      purpose: 'Find emergency accommodation',
      childConsulted: 'yes',
    };
    const outsider = await world.person('outside-caseworker', ['caseworker'], 'other-lead', 'lead_agency');
    expect((await outsider.client.post(`/api/cases/${caseId}/service-referrals`, body)).statusCode).toBe(404);
    expect((await providerA.client.post(`/api/cases/${caseId}/service-referrals`, body)).statusCode).toBe(
      403,
    );
    const wrongNeed = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      ...body,
      needType: 'legal_advocacy',
    });
    expect(wrongNeed.json()).toMatchObject({ code: 'validation_failed', fields: [{ path: 'needType' }] });
    const noSummary = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      ...body,
      sharedFields: ['needs_summary'],
    });
    expect(noSummary.json()).toMatchObject({ fields: [{ path: 'needsSummary' }] });

    const retired = await providerA.client.post('/api/services', {
      providerOrganisationId: providerA.user.organisationId,
      name: 'Retired',
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    await providerA.client.request('PUT', `/api/services/${retired.json().id}`, {
      isActive: false,
      version: 1,
    });
    const inactive = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      ...body,
      serviceId: retired.json().id,
    });
    expect(inactive.json().code).toBe('service_inactive');

    await ctx.db.updateTable('case_record').set({ status: 'closed' }).where('id', '=', caseId).execute();
    const closed = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, body);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('case_closed');
    const made = await ctx.db
      .selectFrom('service_referral')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(made).toHaveLength(0);
    const disclosed = await ctx.db
      .selectFrom('disclosure')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(disclosed).toHaveLength(0);
  });
});
