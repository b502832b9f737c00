import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DuplicateCandidate, TriageItem } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { decryptIdentity, encryptIdentity } from '../child-record/index.ts';
import { JOB_HANDLERS } from '../jobs/handlers.ts';
import { JobWorker } from '../jobs/queue.ts';

describe.each(DRIVERS)('record linkage in triage on %s', (driver) => {
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

  const candidatesFor = async (referralId: string) => {
    const triage = await world.triage();
    const res = await triage.client.get(`/api/triage/referrals/${referralId}/candidates`);
    expect(res.statusCode).toBe(200);
    return res.json<{ candidates: DuplicateCandidate[] }>().candidates;
  };
  const child = (givenNames: string, familyName: string, dateOfBirth: string, aliases: string[] = []) => ({
    givenNames,
    familyName,
    dateOfBirth,
    aliases,
  });

  it('finds a child across lost macrons, a hyphenated family name and a nickname, and explains each field', async () => {
    const known = await world.openCase({}, child('Ngāire', 'Te Rangi-Smith', '2011-05-02'));
    const again = await world.submitReferral({}, child('Ngaire', 'Smith', '2011-05-02'));
    const [first] = await candidatesFor(again.id);
    expect(first?.caseId).toBe(known.caseId);
    expect(first!.score).toBeGreaterThan(0.5);
    const fields = Object.fromEntries(first!.explanation.fields.map((f) => [f.comparison, f]));
    expect(fields['given name']?.level).toBe('exact');
    expect(fields['date of birth']?.level).toBe('exact');
    expect(fields['family name']?.weight).toBeGreaterThan(0);
    expect(first!.explanation.model).toMatch(/synthetic/);

    const wiremu = await world.openCase({}, child('Wiremu', 'Tautahi', '2010-02-11'));
    const william = await world.submitReferral({}, child('William', 'Tautahi', '2010-02-11'));
    const found = await candidatesFor(william.id);
    expect(found.map((c) => c.caseId)).toContain(wiremu.caseId);
    const nickname = found.find((c) => c.caseId === wiremu.caseId)!;
    expect(nickname.explanation.fields.find((f) => f.comparison === 'given name')?.level).toMatch(
      /nickname|other form/,
    );
  });

  it('finds given and family names written the other way round, and a day–month swap in the date of birth', async () => {
    const known = await world.openCase({}, child('Losa', 'Faleolo', '2012-03-07'));
    const swapped = await world.submitReferral({}, child('Faleolo', 'Losa', '2012-07-03'));
    const [first] = await candidatesFor(swapped.id);
    expect(first?.caseId).toBe(known.caseId);
    const levels = first!.explanation.fields.map((f) => f.level).join(' | ');
    expect(levels).toMatch(/swapped/);
  });

  it('finds the same child when more than 500 children on cases share a sound-alike name with it', async () => {
    // 520 children called Aroha Walker (a common given name), all met before the child sought.
    const decoy = await world.openCase({}, child('Aroha', 'Walker', '2010-01-01'));
    const row = await ctx.db
      .selectFrom('child as c')
      .innerJoin('referral as r', 'r.child_id', 'c.id')
      .selectAll('c')
      .where('r.id', '=', decoy.referralId)
      .executeTakeFirstOrThrow();
    const identity = decryptIdentity(ctx.keyring, row.id, row.identity_enc);
    for (let k = 0; k < 520; k += 1) {
      const id = randomUUID();
      await ctx.db
        .insertInto('child')
        .values({
          ...row,
          id,
          identity_enc: encryptIdentity(ctx.keyring, id, identity),
          encoded_enc: null,
          version: undefined,
        })
        .execute();
    }
    const known = await world.openCase({}, child('Aroha', 'Tautahi', '2012-04-05'));
    const again = await world.submitReferral({}, child('Aroha', 'Tautahi', '2012-04-05'));
    const [first] = await candidatesFor(again.id);
    expect(first?.caseId).toBe(known.caseId);
    expect(first!.score).toBeGreaterThan(0.5);
  }, 120_000);

  it('does not offer a different child who only shares a common family name', async () => {
    const known = await world.openCase({}, child('Hemi', 'Walker', '2009-09-30'));
    const other = await world.submitReferral({}, child('Kiri', 'Walker', '2013-12-01'));
    const candidates = await candidatesFor(other.id);
    expect(candidates.find((c) => c.caseId === known.caseId)?.score ?? 0).toBeLessThan(0.5);
  });

  it('keeps a person’s “not the same child” decision, audited, and never stores names in explanations', async () => {
    const known = await world.openCase({}, child('Mere', 'Paewai', '2011-01-01'));
    const lookalike = await world.submitReferral({}, child('Mere', 'Paewai', '2011-01-10'));
    expect((await candidatesFor(lookalike.id)).map((c) => c.caseId)).toContain(known.caseId);
    const triage = await world.triage();
    const rejected = await triage.client.post(`/api/triage/referrals/${lookalike.id}/candidates/reject`, {
      caseId: known.caseId,
      reason: 'School confirms a different child: different parents and school.',
    });
    expect(rejected.statusCode).toBe(200);
    expect((await candidatesFor(lookalike.id)).map((c) => c.caseId)).not.toContain(known.caseId);
    const again = await triage.client.post(`/api/triage/referrals/${lookalike.id}/candidates/reject`, {
      caseId: known.caseId,
    });
    expect(again.statusCode).toBe(404);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'link.rejected')
      .where('subject_id', '=', lookalike.id)
      .execute();
    expect(audit).toHaveLength(1);
    const stored = await ctx.db.selectFrom('child_link').select(['explanation', 'reason_enc']).execute();
    const text = JSON.stringify(stored);
    for (const name of ['Mere', 'Paewai', 'Ngāire', 'Ngaire', 'Smith', 'Wiremu', 'School confirms'])
      expect(text).not.toContain(name);
  });

  it('scores each new referral in the background, so the queue shows possible matches', async () => {
    await world.openCase({}, child('Tamati', 'Horomona', '2010-06-15'));
    const newcomer = await world.submitReferral({}, child('Tamati', 'Horomona', '2010-06-15'));
    const { child_id: childId } = await ctx.db
      .selectFrom('referral')
      .select('child_id')
      .where('id', '=', newcomer.id)
      .executeTakeFirstOrThrow();
    const queued = await ctx.db
      .selectFrom('job')
      .select('status')
      .where('kind', '=', 'linkage.score')
      .where(sql<boolean>`payload->'childIds' ? ${childId}`)
      .execute();
    expect(queued).toEqual([{ status: 'queued' }]);
    await new JobWorker(ctx, JOB_HANDLERS).runDue();
    const triage = await world.triage();
    const queue = (await triage.client.get('/api/triage/queue?pageSize=100')).json<{ items: TriageItem[] }>()
      .items;
    expect(queue.find((r) => r.id === newcomer.id)?.possibleMatches).toBe(1);
  });
});
