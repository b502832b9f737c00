import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Service, ServiceReferral } from '@tiaki/domain';
import { DRIVERS } from '../../test/harness.ts';
import { caseWorldFor, type Person } from '../../test/cases.ts';
import { wordingProblems } from './wording.ts';

/** The writer's own words: the guard refuses them. */
const FLAGGED = 'She consented to it and chose this lifestyle with the older men.';
/** The same words as the child said them, in quotation marks: the record of what was said. */
const QUOTED = 'Aroha said "I consented to it, I chose this" when we met; she is 14.';

function refusedForWording(res: LightMyRequestResponse, path: string): void {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ code: string; message: string; fields: { path: string; message: string }[] }>();
  expect(body.code).toBe('wording_check');
  expect(body.message).toMatch(/Nothing was saved/);
  expect(body.fields.map((f) => f.path)).toContain(path);
  const field = body.fields.find((f) => f.path === path);
  expect(field?.message).toMatch(/consented to it|chose this lifestyle/);
  expect(field?.message).toMatch(/quotation marks/);
}

describe('wordingProblems', () => {
  it('reads nested fields and lists, and says what to use instead', () => {
    const problems = wordingProblems(
      { decisions: 'Plan agreed.', actions: [{ description: 'Fine' }, { description: FLAGGED }] },
      ['decisions', 'actions.*.description'],
    );
    expect(problems.map((p) => p.path)).toEqual(['actions.1.description']);
    expect(problems[0]?.message).toMatch(/Say instead/);
    expect(wordingProblems({ body: QUOTED }, ['body'])).toEqual([]);
    expect(wordingProblems({ body: 42 }, ['body', 'missing.*.x'])).toEqual([]);
  });
});

describe.each(DRIVERS)('words about children on every free-text route, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  const count = async (table: 'case_note' | 'case_goal' | 'conference' | 'unmet_need', caseId: string) =>
    (await suite.ctx.db.selectFrom(table).select('id').where('case_id', '=', caseId).execute()).length;

  it('refuses flagged case notes, goals, conference notes and closing detail, saving nothing; quoted words are saved', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const caseworker = await world.caseworker();
    const post = (path: string, body: Record<string, unknown>) =>
      caseworker.client.post(`/api/cases/${caseId}${path}`, body);

    refusedForWording(await post('/notes', { body: FLAGGED }), 'body');
    expect(await count('case_note', caseId)).toBe(0);
    expect((await post('/notes', { body: QUOTED })).statusCode).toBe(201);
    expect(await count('case_note', caseId)).toBe(1);
    // Read the guidance and keep the words: saved as written.
    expect((await post('/notes', { body: FLAGGED, keepWording: true })).statusCode).toBe(201);
    expect(await count('case_note', caseId)).toBe(2);

    refusedForWording(await post('/goals', { description: FLAGGED }), 'description');
    expect(await count('case_goal', caseId)).toBe(0);

    const lead = caseworker.user.organisationId;
    const police = await world.organisation('police', 'police');
    const conference = (decisions: string, action: string) =>
      post('/conferences', {
        heldOn: '2026-07-02',
        attendees: [{ organisationId: lead }, { organisationId: police }],
        decisions,
        actions: [{ description: action, ownerOrganisationId: lead, dueOn: '2026-07-10' }],
      });
    refusedForWording(await conference(FLAGGED, 'Find a placement'), 'decisions');
    refusedForWording(await conference('Safety plan made.', FLAGGED), 'actions.0.description');
    expect(await count('conference', caseId)).toBe(0);
    expect((await conference('Safety plan made.', 'Find a placement')).statusCode).toBe(201);

    const version = async () =>
      (
        await suite.ctx.db
          .selectFrom('case_record')
          .select('version')
          .where('id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).version;
    refusedForWording(
      await post('/close', { reason: 'needs_met', detail: FLAGGED, version: await version() }),
      'detail',
    );
    const stillOpen = await suite.ctx.db
      .selectFrom('case_record')
      .select('status')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(stillOpen.status).toBe('open');
  });

  it('refuses a flagged decision rationale: the decision stays pending', async () => {
    const { world, ctx } = suite;
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const decisionMaker = await world.decisionMaker();
    const pending = await ctx.db
      .selectFrom('decision')
      .select(['id', 'version'])
      .where('case_id', '=', caseId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const decide = (rationale: string) =>
      decisionMaker.client.post(`/api/decisions/${pending.id}/decide`, {
        outcome: 'positive',
        rationale,
        evidence: 'Police file P0123456789.',
        version: pending.version,
      });
    refusedForWording(await decide(FLAGGED), 'rationale');
    const after = await ctx.db
      .selectFrom('decision')
      .select(['status', 'version'])
      .where('id', '=', pending.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'pending', version: pending.version });
    expect((await decide(`Objective indicators were reported. ${QUOTED}`)).statusCode).toBe(200);
  });

  it('refuses flagged words sent to a provider, a provider’s notes and decline detail, and unmet-need notes', async () => {
    const { world, ctx } = suite;
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const caseworker = await world.caseworker();
    const provider: Person = await world.person('provider-w', ['service_provider'], 'shelter-w', 'ngo');
    const added = await provider.client.post('/api/services', {
      providerOrganisationId: provider.user.organisationId,
      name: 'Whare Haumaru',
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    const service = added.json<Service>();
    const refer = (needsSummary: string) =>
      caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
        serviceId: service.id,
        needType: 'emergency_accommodation',
        sharedFields: ['age_band', 'needs_summary'],
        lawfulBasis: 'ota_66c_support_plan',
        purpose: 'Find emergency accommodation',
        childConsulted: 'yes',
        needsSummary,
      });
    refusedForWording(await refer(FLAGGED), 'needsSummary');
    const none = await ctx.db
      .selectFrom('service_referral')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(none).toEqual([]);
    const sent = await refer('Needs a safe bed tonight.');
    expect(sent.statusCode, sent.body).toBe(201);
    const referral = sent.json<ServiceReferral>();

    refusedForWording(
      await provider.client.post(`/api/service-referrals/${referral.id}/notes`, { body: FLAGGED }),
      'body',
    );
    const notes = await ctx.db
      .selectFrom('service_referral_note')
      .select('id')
      .where('service_referral_id', '=', referral.id)
      .execute();
    expect(notes).toEqual([]);

    refusedForWording(
      await provider.client.post(`/api/service-referrals/${referral.id}/transition`, {
        to: 'declined',
        declineReason: 'other',
        detail: FLAGGED,
        version: referral.version,
      }),
      'detail',
    );
    const status = await ctx.db
      .selectFrom('service_referral')
      .select('status')
      .where('id', '=', referral.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('sent');

    refusedForWording(
      await caseworker.client.post(`/api/cases/${caseId}/unmet-needs`, {
        needType: 'counselling',
        note: FLAGGED,
      }),
      'note',
    );
    expect(await count('unmet_need', caseId)).toBe(0);
  });

  it('answers 404 for a record that is missing or not the caller’s to see, before judging the words', async () => {
    const { world } = suite;
    const missing = '00000000-0000-4000-8000-000000000000';
    const caseworker = await world.caseworker();
    const decisionMaker = await world.decisionMaker();
    const notFound = (res: LightMyRequestResponse, what: string) => {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json<{ code: string; message: string }>().message).toContain(what);
    };
    notFound(await caseworker.client.post(`/api/cases/${missing}/notes`, { body: FLAGGED }), 'case');
    notFound(await caseworker.client.post(`/api/cases/${missing}/goals`, { description: FLAGGED }), 'case');
    notFound(
      await caseworker.client.post(`/api/cases/${missing}/unmet-needs`, {
        needType: 'counselling',
        note: FLAGGED,
      }),
      'case',
    );
    notFound(
      await decisionMaker.client.post(`/api/decisions/${missing}/decide`, {
        outcome: 'positive',
        rationale: FLAGGED,
        evidence: 'Police file P0123456789.',
        version: 1,
      }),
      'decision',
    );
    notFound(
      await caseworker.client.post(`/api/service-referrals/${missing}/notes`, { body: FLAGGED }),
      'service referral',
    );
    // A case that exists but is not theirs answers the same as one that does not exist.
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const outsider = await world.person('outsider-w', ['caseworker'], 'other-w', 'ngo');
    notFound(await outsider.client.post(`/api/cases/${caseId}/notes`, { body: FLAGGED }), 'case');
    // The case team still gets the wording check.
    refusedForWording(await caseworker.client.post(`/api/cases/${caseId}/notes`, { body: FLAGGED }), 'body');
  });
});
