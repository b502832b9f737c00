import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

describe.each(DRIVERS)('break-glass access on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('gives a supervisor read-only break-glass access with a reason, flagged for a privacy officer to review', async () => {
    const { world, ctx } = suite;
    const { caseId, reference } = await world.openCase();
    const supervisor = await world.person('ngo-supervisor', ['supervisor'], 'ngo', 'ngo');
    expect(
      (
        await supervisor.client.post(`/api/cases/${caseId}/break-glass`, {
          reason: 'Urgent: child missing tonight, need whānau contacts',
        })
      ).statusCode,
    ).toBe(403);

    // A supervisor of another lead agency, whose organisation is not on the case.
    const leadSupervisor = await world.supervisor();
    const short = await leadSupervisor.client.post(`/api/cases/${caseId}/break-glass`, { reason: 'urgent' });
    expect(short.statusCode).toBe(400);
    expect((await leadSupervisor.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    const unknown = await leadSupervisor.client.post('/api/break-glass', {
      caseReference: 'CASE-1999-000001',
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(unknown.statusCode).toBe(404);
    const granted = await leadSupervisor.client.post('/api/break-glass', {
      caseReference: reference.toLowerCase(),
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json().caseId).toBe(caseId);
    const seen = await leadSupervisor.client.get(`/api/cases/${caseId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().access.via).toBe('break_glass');
    expect(seen.json().permissions.manage).toBe(false);
    const write = await leadSupervisor.client.post(`/api/cases/${caseId}/notes`, { body: 'x' });
    expect(write.statusCode).toBe(403);
    const flagged = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.viewed')
      .where('subject_id', '=', caseId)
      .execute();
    expect(flagged.some((e) => (e.details as { breakGlass?: boolean }).breakGlass === true)).toBe(true);

    const privacy = await world.person('privacy', ['privacy_officer']);
    const queue = (await privacy.client.get('/api/break-glass')).json<{
      entries: { id: string; caseId: string; reason: string }[];
    }>();
    const entry = queue.entries.find((e) => e.caseId === caseId)!;
    expect(entry.reason).toMatch(/child missing/);
    expect(
      (await privacy.client.post(`/api/break-glass/${entry.id}/review`, { outcome: 'justified' })).statusCode,
    ).toBe(200);
    expect(
      (await privacy.client.post(`/api/break-glass/${entry.id}/review`, { outcome: 'justified' })).statusCode,
    ).toBe(404);
    expect((await privacy.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
  });
});
