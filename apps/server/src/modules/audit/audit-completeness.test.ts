import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import type { ServiceReferral } from '@tiaki/domain';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';
import { hashEntry } from './chain.ts';
import { chainFieldsOf } from './chain.ts';
import { verifyAuditChain } from './service.ts';

/** One API call in a generated sequence, and the audit read event it must leave (if any). */
interface Call {
  name: string;
  who: Person;
  url: string;
  expected: { action: string; subjectId: string } | null;
}

// Enough sequences to mix every kind of read; each run is up to eight full API reads, so on a busy
// two-core machine the property can take minutes (its own timeout below).
const RUNS = 30;
const MAX_LENGTH = 8;

describe.each(DRIVERS)('every identifying read is audited exactly once, on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const calls: Call[] = [];

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    const world = new CaseWorld(ctx, app);
    const { caseId, referralId, reference } = await world.openCase();
    const untriaged = await world.submitReferral();
    const triage = await world.triage();
    const frontline = await world.frontline();
    const caseworker = await world.caseworker();
    const analyst = await world.person('analyst', ['analyst']);

    // A provider holding an accepted service referral sees the child's shared fields.
    const provider = await world.person('provider', ['service_provider'], 'shelter', 'ngo');
    const service = await provider.client.post('/api/services', {
      providerOrganisationId: world.organisations.get('shelter'),
      name: 'Emergency beds',
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    expect(service.statusCode).toBe(201);
    const sent = await caseworker.client.post(`/api/cases/${caseId}/service-referrals`, {
      serviceId: service.json<{ id: string }>().id,
      needType: 'emergency_accommodation',
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_ot_services',
      purpose: 'Emergency accommodation tonight',
      childConsulted: 'yes',
      needsSummary: 'Needs a safe bed tonight.',
    });
    expect(sent.statusCode).toBe(201);
    const serviceReferral = sent.json<ServiceReferral>();
    const accepted = await provider.client.post(`/api/service-referrals/${serviceReferral.id}/transition`, {
      to: 'accepted',
      version: serviceReferral.version,
    });
    expect(accepted.statusCode).toBe(200);

    // A lead-agency supervisor outside the case team, with break-glass access.
    const supervisor = await world.supervisor();
    const granted = await supervisor.client.post('/api/break-glass', {
      caseReference: reference,
      dateOfBirth: validReferral().child.dateOfBirth,
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(granted.statusCode).toBe(201);

    const identifying = (name: string, who: Person, url: string, action: string, subjectId: string) =>
      calls.push({ name, who, url, expected: { action, subjectId } });
    const plain = (name: string, who: Person, url: string) => calls.push({ name, who, url, expected: null });

    identifying(
      'triage views an untriaged referral',
      triage,
      `/api/referrals/${untriaged.id}`,
      'referral.viewed',
      untriaged.id,
    );
    identifying(
      'referrer views its own referral',
      frontline,
      `/api/referrals/${referralId}`,
      'referral.viewed',
      referralId,
    );
    identifying(
      'triage checks for duplicates (names)',
      triage,
      `/api/triage/referrals/${untriaged.id}/candidates`,
      'referral.duplicate_check',
      untriaged.id,
    );
    identifying(
      'case team views the case (child identity)',
      caseworker,
      `/api/cases/${caseId}`,
      'case.viewed',
      caseId,
    );
    identifying('break-glass case view', supervisor, `/api/cases/${caseId}`, 'case.viewed', caseId);
    identifying(
      'provider views its service referral',
      provider,
      `/api/service-referrals/${serviceReferral.id}`,
      'service_referral.viewed',
      serviceReferral.id,
    );
    identifying(
      'case team views the service referral',
      caseworker,
      `/api/service-referrals/${serviceReferral.id}`,
      'service_referral.viewed',
      serviceReferral.id,
    );
    plain('reference codes', caseworker, '/api/reference');
    plain('statistics', analyst, '/api/statistics?from=2026-04-01&to=2026-06-30');
    plain(
      'referral acknowledgement (no identity)',
      frontline,
      `/api/referrals/${untriaged.id}/acknowledgement`,
    );
    plain('organisation directory', triage, '/api/organisations/directory');
    plain('own session', provider, '/api/session');
    plain('notifications', caseworker, '/api/notifications');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  async function lastAuditId(): Promise<number> {
    const row = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  it(`leaves one read event per identifying call and none for the others (${RUNS} runs, 1–${MAX_LENGTH} calls)`, async () => {
    const lengths: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: calls.length - 1 }), { minLength: 1, maxLength: MAX_LENGTH }),
        async (indexes) => {
          const sequence = indexes.map((i) => calls[i]!);
          lengths.push(sequence.length);
          const mark = await lastAuditId();
          for (const call of sequence) {
            const res = await call.who.client.get(call.url);
            expect(res.statusCode, `${call.name}: ${res.body}`).toBe(200);
          }
          const events = await ctx.db
            .selectFrom('audit_event')
            .select(['action', 'subject_id', 'actor_user_id', 'details'])
            .where('id', '>', mark)
            .orderBy('id')
            .execute();
          const expected = sequence
            .filter((c) => c.expected)
            .map((c) => ({
              action: c.expected!.action,
              subjectId: c.expected!.subjectId,
              actor: c.who.user.id,
            }));
          expect(
            events.map((e) => ({ action: e.action, subjectId: e.subject_id, actor: e.actor_user_id })),
          ).toEqual(expected);
          // Break-glass reads are flagged for review; no other read is.
          const flags = events.map((e) => (e.details as { breakGlass?: boolean }).breakGlass === true);
          expect(flags).toEqual(
            sequence.filter((c) => c.expected).map((c) => c.name === 'break-glass case view'),
          );
        },
      ),
      { numRuns: RUNS },
    );
    expect(lengths).toHaveLength(RUNS);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_LENGTH);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  }, 900_000);

  it('audits nothing for a refused identifying read', async () => {
    const outsider = new Client(app);
    await outsider.signInFully(await createUser(ctx, ['caseworker']));
    const mark = await lastAuditId();
    for (const call of calls.filter((c) => c.expected)) {
      const res = await outsider.get(call.url);
      expect([403, 404], call.name).toContain(res.statusCode);
    }
    expect(await lastAuditId()).toBe(mark);
  });
});

describe.each(DRIVERS)('tampering with the audit chain on %s', (driver) => {
  let ctx: TestContext;
  let total: number;

  const owner = () => ctx.database.owner;
  /** Runs a tamper with the append-only trigger off, checks what verify says, and puts everything back. */
  async function tamper(...statements: [string, unknown[]][]) {
    await owner().exec('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    try {
      for (const [text, params] of statements) await owner().query(text, params);
      return await verifyAuditChain(ctx.db, 4); // small batches: a break across a batch edge is still found
    } finally {
      await owner().exec('DELETE FROM audit_event');
      await owner().exec('INSERT INTO audit_event SELECT * FROM audit_event_pristine');
      await owner().exec('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    const app = await buildTestApp(ctx);
    for (const roles of [['analyst'], ['auditor'], ['caseworker']] as const) {
      const user = await createUser(ctx, [...roles]);
      await new Client(app).signIn(user.email, user.password);
      await new Client(app).signIn(user.email, 'wrong password');
    }
    await app.close();
    // Verifying seals what is committed first: the pristine copy is of a sealed chain.
    const check = await verifyAuditChain(ctx.db);
    await owner().exec('CREATE TABLE audit_event_pristine AS SELECT * FROM audit_event');
    expect(check.ok).toBe(true);
    total = check.checked;
    expect(total).toBeGreaterThanOrEqual(9);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it.each([2, 5, 'last'] as const)('names entry %s when its details are changed', async (which) => {
    const target = which === 'last' ? total : which;
    const result = await tamper([
      `UPDATE audit_event SET details = details || '{"tampered": true}'::jsonb WHERE seq = $1`,
      [target],
    ]);
    expect(result).toMatchObject({ ok: false, firstBrokenId: target, checked: target - 1 });
    expect(result.reason).toMatch(/changed/);
  });

  it('names the first entry after a deleted one, and the shifted entry when later ids close the gap', async () => {
    const target = 4;
    const gap = await tamper(['DELETE FROM audit_event WHERE seq = $1', [target]]);
    expect(gap).toMatchObject({ ok: false, firstBrokenId: target + 1, checked: target - 1 });
    expect(gap.reason).toContain(`entry ${target} is missing`);
    const closed = await tamper(
      ['DELETE FROM audit_event WHERE seq = $1', [target]],
      ['UPDATE audit_event SET seq = -(seq - 1) WHERE seq > $1', [target]],
      ['UPDATE audit_event SET seq = -seq WHERE seq < 0', []],
    );
    expect(closed).toMatchObject({ ok: false, firstBrokenId: target, checked: target - 1 });
  });

  it('names the first of two entries swapped in order', async () => {
    const [a, b] = [3, 4];
    const result = await tamper(
      ['UPDATE audit_event SET seq = -seq WHERE seq IN ($1, $2)', [a, b]],
      ['UPDATE audit_event SET seq = $1 WHERE seq = $2', [a, -b]],
      ['UPDATE audit_event SET seq = $1 WHERE seq = $2', [b, -a]],
    );
    expect(result).toMatchObject({ ok: false, firstBrokenId: a, checked: a - 1 });
    expect(result.reason).toMatch(/link/);
  });

  it('names the entry whose stored hash was changed', async () => {
    const target = 6;
    const result = await tamper([`UPDATE audit_event SET hash = repeat('f', 64) WHERE seq = $1`, [target]]);
    expect(result).toMatchObject({ ok: false, firstBrokenId: target, checked: target - 1 });
    expect(result.reason).toMatch(/changed/);
  });

  it('names the next entry when one is changed and its hash recomputed to match', async () => {
    const target = 5;
    const rows = await ctx.db.selectFrom('audit_event').selectAll().where('seq', '=', target).execute();
    const forged = { ...chainFieldsOf(rows[0]!), details: { tampered: true } };
    const result = await tamper([
      `UPDATE audit_event SET details = $1::jsonb, hash = $2 WHERE seq = $3`,
      [JSON.stringify(forged.details), hashEntry(forged), target],
    ]);
    expect(result).toMatchObject({ ok: false, firstBrokenId: target + 1, checked: target });
    expect(result.reason).toMatch(/link/);
  });

  it('is whole again once every tamper is undone', async () => {
    expect(await verifyAuditChain(ctx.db, 4)).toMatchObject({ ok: true, checked: total });
  });
});
