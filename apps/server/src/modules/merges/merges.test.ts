import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

describe.each(DRIVERS)('merging cases on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });
  const child = (givenNames: string, familyName: string, dateOfBirth: string) => ({
    givenNames,
    familyName,
    dateOfBirth,
    aliases: [],
  });

  it('merges two cases of the same child and un-merges them exactly; nothing is lost', async () => {
    const { world, ctx } = suite;
    const a = await world.openCase({}, child('Rawiri', 'Ngata', '2011-08-08'));
    const b = await world.openCase({}, child('David', 'Ngata', '2011-08-08'));
    const caseworker = await world.caseworker();
    const read = async (id: string) => (await caseworker.client.get(`/api/cases/${id}`)).json<CaseDetail>();
    const before = await read(a.caseId);

    expect(
      (
        await caseworker.client.post(`/api/cases/${a.caseId}/merge`, {
          otherCaseId: a.caseId,
          reason: 'x',
          version: before.version,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await caseworker.client.post(`/api/cases/${a.caseId}/merge`, {
          otherCaseId: b.caseId,
          reason: 'x',
          version: before.version + 3,
        })
      ).statusCode,
    ).toBe(409);
    const outsider = await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo');
    expect(
      (
        await outsider.client.post(`/api/cases/${a.caseId}/merge`, {
          otherCaseId: b.caseId,
          reason: 'x',
          version: before.version,
        })
      ).statusCode,
    ).toBe(404);

    const merged = await caseworker.client.post(`/api/cases/${a.caseId}/merge`, {
      otherCaseId: b.caseId,
      reason: 'Rawiri is the te reo Māori form of David; same date of birth and whānau.',
      version: before.version,
    });
    expect(merged.statusCode).toBe(200);
    const { mergeId } = merged.json<{ mergeId: string }>();
    let kept = await read(a.caseId);
    expect(kept.referrals.map((r) => r.id).sort()).toEqual([a.referralId, b.referralId].sort());
    expect(kept.merges[0]).toMatchObject({ id: mergeId, mergedCase: { id: b.caseId }, unmergedAt: null });
    let gone = await read(b.caseId);
    expect(gone).toMatchObject({ status: 'closed', closureReason: 'merged_with_another_case' });

    const undone = await caseworker.client.post(`/api/case-merges/${mergeId}/unmerge`, {
      reason: 'Whānau say they are cousins.',
    });
    expect(undone.statusCode).toBe(200);
    expect(
      (await caseworker.client.post(`/api/case-merges/${mergeId}/unmerge`, { reason: 'again' })).statusCode,
    ).toBe(409);
    kept = await read(a.caseId);
    gone = await read(b.caseId);
    expect(kept.referrals.map((r) => r.id)).toEqual([a.referralId]);
    expect(gone.status).toBe('open');
    expect(gone.referrals.map((r) => r.id)).toEqual([b.referralId]);
    expect(gone.child.givenNames).toBe('David');
    const actions = await ctx.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', a.caseId)
      .where('action', 'in', ['case.merged', 'case.unmerged'])
      .execute();
    expect(actions.map((x) => x.action).sort()).toEqual(['case.merged', 'case.unmerged']);
  });
});
