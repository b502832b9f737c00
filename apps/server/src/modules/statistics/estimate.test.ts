import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DuplicateCandidateList } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { distinctChildren, estimatedDistinctChildren } from './facts.ts';

/*
 * Issue 16: before anyone has reviewed a match, the published count takes every referral nobody
 * has linked as a child of its own. The engine's estimate folds records it finds to be one child,
 * keeps siblings apart, and never joins what a person has said are two children.
 */
describe.each(DRIVERS)('estimated distinct children on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const period = { from: '2026-08-01', to: '2026-08-31' };

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-08-05' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('folds one child referred by several agencies, keeps a sibling apart, and respects a rejection', async () => {
    const concern = { concern: { date: '2026-08-01', region: '02' } };
    const child = {
      givenNames: 'Mereana',
      familyName: 'Synthetic-Tūhoro',
      dateOfBirth: '2011-04-09',
      aliases: [],
    };
    const first = await world.submitReferral(concern, child);
    const second = await world.submitReferral(concern, { ...child, familyName: 'Synthetic-Tuhoro' });
    await world.submitReferral(concern, { ...child, dateOfBirth: '2011-09-04' });
    // A sister at the same address: same family name, another given name and date of birth.
    await world.submitReferral(concern, { ...child, givenNames: 'Aroha', dateOfBirth: '2013-06-21' });
    await world.submitReferral(concern, {
      givenNames: 'Tipene',
      familyName: 'Synthetic-Rangi',
      dateOfBirth: '2009-12-30',
      aliases: [],
      gender: 'boy',
    });

    expect(await distinctChildren(ctx, period)).toBe(5);
    const before = await estimatedDistinctChildren(ctx, period);
    expect(before).toMatchObject({ published: 5, compared: 5, folded: 2, children: 3 });

    // Triage opens a case for the first referral and says the second is not the same child.
    const triage = await world.triage();
    const opened = await triage.client.post(`/api/triage/referrals/${first.id}/open-case`, {
      version: await world.referralVersion(first.id),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;
    const shown = (
      await triage.client.get(`/api/triage/referrals/${second.id}/candidates`)
    ).json<DuplicateCandidateList>();
    expect(shown.candidates.map((c) => c.caseId)).toContain(caseId);
    const rejected = await triage.client.post(`/api/triage/referrals/${second.id}/candidates/reject`, {
      caseId,
    });
    expect(rejected.statusCode, rejected.body).toBeLessThan(300);

    const after = await estimatedDistinctChildren(ctx, period);
    expect(after).toMatchObject({ published: 5, folded: 1, children: 4 });
  });
});
