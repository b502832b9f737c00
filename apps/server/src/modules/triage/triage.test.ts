import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DuplicateCandidate, TriageItem } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';

describe.each(DRIVERS)('triage on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    // A Friday before Matariki (Friday 10 July 2026): the deadline skips the holiday.
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('lists urgent referrals first, then the oldest, with the reasonable-grounds date skipping Matariki', async () => {
    const older = await world.submitReferral({ concern: { date: '2026-06-30', region: '09' } });
    const urgent = await world.submitReferral({
      immediateRisk: true,
      concern: { date: '2026-07-01', region: '09' },
    });
    const triage = await world.triage();
    const res = await triage.client.get('/api/triage/queue?pageSize=100');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: TriageItem[] }>().items;
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(older.id));
    const row = items.find((i) => i.id === older.id)!;
    // Received Friday 3 July; Mon 6 – Thu 9 count, Friday 10 is Matariki, Monday 13 is the fifth day.
    expect(row.reasonableGroundsDueOn).toBe('2026-07-13');
    expect(JSON.stringify(items)).not.toContain('Tāne');
  });

  it('filters the queue by region and assigns in bulk, all or nothing', async () => {
    const a = await world.submitReferral({ concern: { date: '2026-07-01', region: '13' } });
    const b = await world.submitReferral({ concern: { date: '2026-07-01', region: '13' } });
    const triage = await world.triage();
    const inCanterbury = (await triage.client.get('/api/triage/queue?region=13')).json<{
      items: TriageItem[];
    }>();
    expect(inCanterbury.items.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());

    const assigned = await triage.client.post('/api/triage/assign', {
      referralIds: [a.id, b.id],
      assigneeId: triage.user.id,
    });
    expect(assigned.json()).toEqual({ assigned: 2 });
    const mine = (await triage.client.get('/api/triage/queue?assignee=me')).json<{
      items: TriageItem[];
    }>();
    expect(mine.items.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());

    // A caseworker is not a triage officer: refused, and nothing changes.
    const caseworker = await world.caseworker();
    const refused = await triage.client.post('/api/triage/assign', {
      referralIds: [a.id],
      assigneeId: caseworker.user.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('invalid_assignee');
  });

  it('refuses the queue to anyone outside lead-agency triage', async () => {
    const frontline = await world.frontline();
    expect((await frontline.client.get('/api/triage/queue')).statusCode).toBe(403);
    const outsider = await world.person('police-triage', ['triage'], 'police', 'police');
    expect((await outsider.client.get('/api/triage/queue')).statusCode).toBe(403);
  });

  it('finds a child already known under a different spelling, and attaches the new referral to that case', async () => {
    const first = await world.openCase(
      { concern: { date: '2026-07-01', region: '02' } },
      { givenNames: 'Ngāire', familyName: 'Smith', dateOfBirth: '2011-05-02', aliases: [] },
    );
    const again = await world.submitReferral(
      { concern: { date: '2026-07-02', region: '02' } },
      { givenNames: 'Ngaire', familyName: 'Smyth', dateOfBirth: '2011-05-02', aliases: [] },
    );
    const triage = await world.triage();
    const res = await triage.client.get(`/api/triage/referrals/${again.id}/candidates`);
    expect(res.statusCode).toBe(200);
    const candidates = res.json<{ candidates: DuplicateCandidate[] }>().candidates;
    expect(candidates[0]).toMatchObject({ caseId: first.caseId, givenNames: 'Ngāire', familyName: 'Smith' });
    expect(candidates[0]!.reasons).toEqual(
      expect.arrayContaining(['name_sounds_alike', 'date_of_birth_exact']),
    );
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'referral.duplicate_check')
      .where('subject_id', '=', again.id)
      .executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ shownCaseIds: [first.caseId] });

    const attached = await triage.client.post(`/api/triage/referrals/${again.id}/attach`, {
      caseId: first.caseId,
      version: await world.referralVersion(again.id),
    });
    expect(attached.statusCode).toBe(200);
    expect(attached.json()).toMatchObject({ caseId: first.caseId, reference: first.reference });
    const stored = await ctx.db
      .selectFrom('referral')
      .select(['status', 'case_id'])
      .where('id', '=', again.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'attached', case_id: first.caseId });
  });

  it('lets only one of two triage officers open a case for the same referral', async () => {
    const ack = await world.submitReferral();
    const one = await world.triage();
    const two = await world.person('triage-2', ['triage']);
    const version = await world.referralVersion(ack.id);
    const [a, b] = await Promise.all([
      one.client.post(`/api/triage/referrals/${ack.id}/open-case`, { version }),
      two.client.post(`/api/triage/referrals/${ack.id}/open-case`, { version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const cases = await ctx.db
      .selectFrom('case_record')
      .innerJoin('referral', 'referral.case_id', 'case_record.id')
      .select('case_record.id')
      .where('referral.id', '=', ack.id)
      .execute();
    expect(cases).toHaveLength(1);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().message).toMatch(/someone/i);
  });

  it('screens a referral out with a reason; it leaves the queue', async () => {
    const ack = await world.submitReferral();
    const triage = await world.triage();
    const bad = await triage.client.post(`/api/triage/referrals/${ack.id}/screen-out`, {
      reason: 'because',
      version: 1,
    });
    expect(bad.statusCode).toBe(400);
    const res = await triage.client.post(`/api/triage/referrals/${ack.id}/screen-out`, {
      reason: 'referred_elsewhere',
      version: await world.referralVersion(ack.id),
    });
    expect(res.statusCode).toBe(200);
    const queue = (await triage.client.get('/api/triage/queue?pageSize=100')).json<{ items: TriageItem[] }>();
    expect(queue.items.map((r) => r.id)).not.toContain(ack.id);
  });
});
