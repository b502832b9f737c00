import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

describe.each(DRIVERS)('colleagues on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('offers only colleagues of my organisation', async () => {
    const { world } = suite;
    const dm = await world.decisionMaker();
    const other = await world.secondDecisionMaker();
    const outsider = await world.person('ngo-dm', ['decision_maker'], 'ngo', 'ngo');
    const colleagues = (await dm.client.get('/api/colleagues?permission=decisions.make')).json<{
      people: { id: string }[];
    }>().people;
    expect(colleagues.map((p) => p.id)).toEqual(expect.arrayContaining([dm.user.id, other.user.id]));
    expect(colleagues.map((p) => p.id)).not.toContain(outsider.user.id);
    expect((await dm.client.get('/api/colleagues?permission=users.manage')).statusCode).toBe(400);
  });
});
