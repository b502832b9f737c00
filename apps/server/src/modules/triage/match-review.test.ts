import { describe, expect, it } from 'vitest';
import { MATCH_REVIEW, type DuplicateCandidateList } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { JOB_HANDLERS } from '../jobs/handlers.ts';
import { JobWorker } from '../jobs/queue.ts';

/*
 * Issue 14, matching review: one referral listed 22 candidates. The review shows at most a
 * handful, each above a threshold it states, most likely first, and says how many it left out.
 */
describe.each(DRIVERS)('matching review on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('shows at most 5 children already known, each at least as likely as the stated threshold, and counts the rest', async () => {
    const { world } = suite;
    const child = {
      givenNames: 'Mereana',
      familyName: 'Synthetic-Pōtae',
      aliases: [],
      dateOfBirth: '2011-04-09',
    };
    for (let n = 0; n < 7; n += 1)
      await world.openCase({ concern: { date: '2026-07-01', region: '02' } }, child);
    const ack = await world.submitReferral({ concern: { date: '2026-07-02', region: '02' } }, child);
    await new JobWorker(suite.ctx, JOB_HANDLERS).runDue();

    // The triage officer opened each case, so is on each team and may see who each child is.
    const triage = await world.triage();
    const res = await triage.client.get(`/api/triage/referrals/${ack.id}/candidates`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<DuplicateCandidateList>();
    expect(list.threshold).toBe(MATCH_REVIEW.threshold);
    expect(list.limit).toBe(5);
    expect(list.candidates).toHaveLength(5);
    expect(list.leftOut).toBe(2);
    const scores = list.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const candidate of list.candidates) {
      expect(candidate.score).toBeGreaterThanOrEqual(MATCH_REVIEW.threshold);
      expect(candidate.withheld).toBe(false);
    }

    // A child with nothing in common but the family name is not worth a person's check.
    const other = await world.submitReferral(
      { concern: { date: '2026-07-02', region: '09' } },
      {
        givenNames: 'Tipene',
        familyName: 'Synthetic-Pōtae',
        aliases: [],
        dateOfBirth: '2015-12-30',
        gender: 'boy',
      },
    );
    await new JobWorker(suite.ctx, JOB_HANDLERS).runDue();
    const unlikely = (
      await triage.client.get(`/api/triage/referrals/${other.id}/candidates`)
    ).json<DuplicateCandidateList>();
    for (const candidate of unlikely.candidates)
      expect(candidate.score).toBeGreaterThanOrEqual(MATCH_REVIEW.threshold);
  });
});
