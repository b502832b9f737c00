import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Service } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { possibleAges, unmetNeedReasonOf } from './directory.ts';

describe.each(DRIVERS)('services directory and needs checks on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let providerA: Person;
  let providerB: Person;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    providerA = await world.person('provider-a', ['service_provider'], 'shelter', 'ngo');
    providerB = await world.person('provider-b', ['service_provider'], 'counselling', 'ngo');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const entry = (providerOrganisationId: string, overrides: Record<string, unknown> = {}) => ({
    providerOrganisationId,
    name: 'Whare Haumaru emergency beds',
    description: 'Emergency accommodation for rangatahi',
    needTypes: ['emergency_accommodation'],
    regions: ['02'],
    minAge: 12,
    maxAge: 17,
    capacity: 'accepting',
    contact: '0800 000 000',
    ...overrides,
  });

  async function addService(by: Person, overrides: Record<string, unknown> = {}): Promise<Service> {
    const res = await by.client.post('/api/services', entry(by.user.organisationId, overrides));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Service>();
  }

  const servicesOf = async (organisationId: string) =>
    ctx.db
      .selectFrom('service')
      .select('id')
      .where('provider_organisation_id', '=', organisationId)
      .execute();

  it('lets a provider list its own services, filters the directory, and hides inactive entries from others', async () => {
    const beds = await addService(providerA);
    const talk = await addService(providerB, {
      name: 'Kōrero counselling',
      needTypes: ['counselling', 'kaupapa_maori'],
      regions: ['13', '12'],
      minAge: 10,
      maxAge: 15,
    });
    expect(beds).toMatchObject({
      provider: { id: providerA.user.organisationId, kind: 'ngo' },
      needTypes: ['emergency_accommodation'],
      isActive: true,
      version: 1,
    });
    const created = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'service.created')
      .where('subject_id', '=', beds.id)
      .executeTakeFirstOrThrow();
    expect(created.actor_user_id).toBe(providerA.user.id);

    const caseworker = await world.caseworker();
    const ids = async (query: string) =>
      (await caseworker.client.get(`/api/services${query}`))
        .json<{ services: Service[] }>()
        .services.map((s) => s.id)
        .filter((id) => id === beds.id || id === talk.id);
    expect(await ids('')).toEqual([talk.id, beds.id]);
    expect(await ids('?needType=counselling')).toEqual([talk.id]);
    expect(await ids('?region=02')).toEqual([beds.id]);
    expect(await ids('?age=11')).toEqual([talk.id]);
    expect(await ids('?age=16&region=13')).toEqual([]);
    expect(await ids(`?providerOrganisationId=${providerA.user.organisationId}`)).toEqual([beds.id]);
    expect((await caseworker.client.get('/api/services?region=77')).statusCode).toBe(400);

    const off = await providerA.client.request('PUT', `/api/services/${beds.id}`, {
      isActive: false,
      version: 1,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ isActive: false, version: 2 });
    expect(await ids('')).toEqual([talk.id]);
    expect((await caseworker.client.get(`/api/services/${beds.id}`)).statusCode).toBe(404);
    expect((await providerB.client.get(`/api/services/${beds.id}`)).statusCode).toBe(404);
    // Its own provider still sees it, to switch it back on.
    const own = (await providerA.client.get('/api/services')).json<{ services: Service[] }>().services;
    expect(own.find((s) => s.id === beds.id)).toMatchObject({ isActive: false });
    expect((await providerA.client.get(`/api/services/${beds.id}`)).statusCode).toBe(200);
  });

  it('refuses a provider adding a service for another organisation, and bad input, creating nothing', async () => {
    const before = (await servicesOf(providerA.user.organisationId)).length;
    const foreign = await providerB.client.post('/api/services', entry(providerA.user.organisationId));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('forbidden');

    const bad = await providerA.client.post(
      '/api/services',
      entry(providerA.user.organisationId, { needTypes: [], regions: ['77'], name: ' ' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    const paths = bad.json<{ fields: { path: string }[] }>().fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['needTypes', 'name']));
    expect(paths.some((p) => p.startsWith('regions'))).toBe(true);

    const ages = await providerA.client.post(
      '/api/services',
      entry(providerA.user.organisationId, { minAge: 15, maxAge: 12 }),
    );
    expect(ages.statusCode).toBe(400);
    expect(ages.json().fields).toEqual([expect.objectContaining({ path: 'maxAge' })]);

    const frontline = await world.frontline();
    expect(
      (await frontline.client.post('/api/services', entry(providerA.user.organisationId))).statusCode,
    ).toBe(403);
    expect(await servicesOf(providerA.user.organisationId)).toHaveLength(before);

    // An administrator keeps the directory for every provider, but only of organisations that exist.
    const admin = await world.person('admin', ['administrator'], 'ministry', 'other');
    const added = await admin.client.post(
      '/api/services',
      entry(providerA.user.organisationId, { name: 'Added' }),
    );
    expect(added.statusCode, added.body).toBe(201);
    const ghost = await admin.client.post('/api/services', entry('00000000-0000-4000-8000-000000000000'));
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json()).toMatchObject({
      code: 'unknown_organisation',
      fields: [{ path: 'providerOrganisationId', message: 'No such organisation' }],
    });
    expect(await servicesOf(providerA.user.organisationId)).toHaveLength(before + 1);
  });

  it('changes a service with optimistic locking; another provider may not change it', async () => {
    const service = await addService(providerA, { name: 'Locking test' });
    const put = (by: Person, body: Record<string, unknown>) =>
      by.client.request('PUT', `/api/services/${service.id}`, body);
    const full = await put(providerA, { capacity: 'full', version: 1 });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ capacity: 'full', version: 2 });

    const stale = await put(providerA, { capacity: 'accepting', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    expect((await put(providerB, { capacity: 'accepting', version: 2 })).statusCode).toBe(403);
    const badAges = await put(providerA, { minAge: 18, version: 2 });
    expect(badAges.statusCode).toBe(400);

    const stored = await ctx.db
      .selectFrom('service')
      .select(['capacity', 'version', 'min_age'])
      .where('id', '=', service.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ capacity: 'full', version: 2, min_age: 12 });
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'service.updated')
      .where('subject_id', '=', service.id)
      .execute();
    expect(audited.map((a) => a.details)).toEqual([{ fields: ['capacity'], capacity: 'full' }]);
  });

  it('finds services for a need in the child’s region and age, accepting first; looking records nothing', async () => {
    // Born 2011: 14 or 15 in 2026, in the 12–15 band; the case is in Auckland (02).
    const { caseId } = await world.openCase(
      { concern: { date: '2026-07-01', region: '02' } },
      { dateOfBirth: '2011-03-14' },
    );
    const full = await addService(providerA, { name: 'C full', needTypes: ['health'], capacity: 'full' });
    const waitlist = await addService(providerB, {
      name: 'B waitlist',
      needTypes: ['health'],
      capacity: 'waitlist',
    });
    const open = await addService(providerB, { name: 'A accepting', needTypes: ['health'] });
    await addService(providerB, { name: 'Too young', needTypes: ['health'], minAge: 5, maxAge: 11 });
    await addService(providerB, { name: 'Canterbury', needTypes: ['health'], regions: ['13'] });
    const closed = await addService(providerB, { name: 'Closed', needTypes: ['health'] });
    await providerB.client.request('PUT', `/api/services/${closed.id}`, { isActive: false, version: 1 });

    const caseworker = await world.caseworker();
    const check = (needType: string) => caseworker.client.post(`/api/cases/${caseId}/needs`, { needType });
    const health = await check('health');
    expect(health.statusCode, health.body).toBe(200);
    expect(health.json<{ services: Service[] }>().services.map((s) => s.id)).toEqual([
      open.id,
      waitlist.id,
      full.id,
    ]);
    expect(health.json().noneAvailable).toBe(false);

    // No service anywhere removes harmful images online: the caseworker is told, nothing is written.
    const auditBefore = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'unmet_need.recorded')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 2; i++) {
      const none = await check('online_harm_removal');
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({ services: [], noneAvailable: true });
    }
    // Services exist, but none can take the child now.
    await addService(providerA, { name: 'Only full', needTypes: ['youth_housing'], capacity: 'full' });
    const housing = await check('youth_housing');
    expect(housing.json()).toMatchObject({ noneAvailable: true, services: [{ capacity: 'full' }] });

    const needs = await ctx.db.selectFrom('unmet_need').select('id').where('case_id', '=', caseId).execute();
    expect(needs).toEqual([]);
    const timeline = await ctx.db
      .selectFrom('case_event')
      .select('kind')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'unmet_need.recorded')
      .execute();
    expect(timeline).toEqual([]);
    const auditAfter = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'unmet_need.recorded')
      .executeTakeFirstOrThrow();
    expect(auditAfter.n).toBe(auditBefore.n);
  });

  it('records an unmet need when the caseworker says so, with a note, on the timeline and audited, once', async () => {
    const { caseId } = await world.openCase(
      { concern: { date: '2026-07-01', region: '02' } },
      { dateOfBirth: '2011-03-14' },
    );
    const caseworker = await world.caseworker();
    const record = (body: Record<string, unknown>) =>
      caseworker.client.post(`/api/cases/${caseId}/unmet-needs`, body);

    const res = await record({
      needType: 'emergency_accommodation',
      note: 'Rang both youth shelters in Auckland: no bed tonight.',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      caseId,
      needType: 'emergency_accommodation',
      region: '02',
      ageBand: 'age_12_15',
      reason: 'no_suitable_service',
      metAt: null,
      note: 'Rang both youth shelters in Auckland: no bed tonight.',
    });
    const id = res.json<{ id: string }>().id;

    // The note is stored encrypted, never in the clear.
    const row = await ctx.db
      .selectFrom('unmet_need')
      .select(['note_enc', 'recorded_by_user_id', 'reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.note_enc).not.toContain('shelters');
    expect(row).toMatchObject({ recorded_by_user_id: caseworker.user.id, reason: 'no_suitable_service' });

    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'unmet_need.recorded')
      .where('subject_id', '=', caseId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBe(caseworker.user.id);
    expect(JSON.stringify(audit[0]?.details)).not.toContain('shelters');
    const timeline = await ctx.db
      .selectFrom('case_event')
      .select('kind')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'unmet_need.recorded')
      .execute();
    expect(timeline).toHaveLength(1);

    // The same open need again: refused, nothing more written.
    const again = await record({ needType: 'emergency_accommodation', note: 'Still no bed.' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'already_recorded' });

    // The case read shows it, with the note, to the case team.
    const read = await caseworker.client.get(`/api/cases/${caseId}`);
    expect(read.json<{ unmetNeeds: { id: string; note: string | null }[] }>().unmetNeeds).toEqual([
      expect.objectContaining({ id, note: 'Rang both youth shelters in Auckland: no bed tonight.' }),
    ]);

    // A note is required; an unknown need is refused; wording about the child is checked.
    expect((await record({ needType: 'counselling' })).statusCode).toBe(400);
    expect((await record({ needType: 'astrology', note: 'x' })).statusCode).toBe(400);
    const worded = await record({
      needType: 'counselling',
      note: 'She chose this lifestyle, so no service fits.',
    });
    expect(worded.statusCode).toBe(400);
    expect(worded.json()).toMatchObject({ code: 'wording_check', fields: [{ path: 'note' }] });

    // Only the case team's caseworkers may record one.
    const outsider = await world.person('outsider-u', ['caseworker'], 'other-lead-u', 'lead_agency');
    const denied = await outsider.client.post(`/api/cases/${caseId}/unmet-needs`, {
      needType: 'counselling',
      note: 'No service.',
    });
    expect(denied.statusCode).toBe(404);
    const frontline = await world.frontline();
    const refused = await frontline.client.post(`/api/cases/${caseId}/unmet-needs`, {
      needType: 'counselling',
      note: 'No service.',
    });
    expect(refused.statusCode).toBe(403);
    const all = await ctx.db.selectFrom('unmet_need').select('id').where('case_id', '=', caseId).execute();
    expect(all).toHaveLength(1);
  });

  it('keeps needs checks to the case team’s caseworkers', async () => {
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const frontline = await world.frontline();
    expect(
      (await frontline.client.post(`/api/cases/${caseId}/needs`, { needType: 'health' })).statusCode,
    ).toBe(403);
    const outsider = await world.person('outsider', ['caseworker'], 'other-lead', 'lead_agency');
    expect(
      (await outsider.client.post(`/api/cases/${caseId}/needs`, { needType: 'health' })).statusCode,
    ).toBe(404);
    const caseworker = await world.caseworker();
    const bad = await caseworker.client.post(`/api/cases/${caseId}/needs`, { needType: 'astrology' });
    expect(bad.statusCode).toBe(400);
    const recorded = await ctx.db
      .selectFrom('unmet_need')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(recorded).toHaveLength(0);
  });

  it('works out the child’s possible ages and which unmet need a check reveals', () => {
    expect(possibleAges('age_12_15', 2011, '2026-07-03')).toEqual({ min: 14, max: 15 });
    expect(possibleAges('age_12_15', null, '2026-07-03')).toEqual({ min: 12, max: 15 });
    expect(possibleAges(null, 2011, '2026-07-03')).toEqual({ min: 14, max: 15 });
    expect(possibleAges(null, null, '2026-07-03')).toBeNull();
    expect(unmetNeedReasonOf([])).toBe('no_service_in_region');
    expect(unmetNeedReasonOf([{ capacity: 'full' }, { capacity: 'waitlist' }])).toBe('waitlist');
    expect(unmetNeedReasonOf([{ capacity: 'full' }, { capacity: 'accepting' }])).toBeNull();
  });
});
