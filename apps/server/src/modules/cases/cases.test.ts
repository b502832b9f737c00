import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

describe.each(DRIVERS)('the case record on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('answers 404 to everyone without need to know, and shows them nothing', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const frontline = await world.frontline();
    const analyst = await world.person('analyst', ['analyst']);
    const otherCaseworker = await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo');
    for (const who of [frontline, otherCaseworker, analyst]) {
      const res = await who.client.get(`/api/cases/${caseId}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Tāne');
    }
    expect((await analyst.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    const listed = (await otherCaseworker.client.get('/api/cases?pageSize=100')).json<{
      items: CaseSummary[];
    }>();
    expect(listed.items.map((c) => c.id)).not.toContain(caseId);
    // The referring frontline worker still sees their own referral's status, never the case.
    expect((await frontline.client.get('/api/referrals/mine')).statusCode).toBe(200);
    const note = await otherCaseworker.client.post(`/api/cases/${caseId}/notes`, { body: 'Trying to write' });
    expect(note.statusCode).toBe(404);
  });
});
