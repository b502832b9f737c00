import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

/** Invented child details (issue 19: a case reference alone no longer opens a case). */
const CHILD = { familyName: 'Paewai-Synthetic', dateOfBirth: '2012-05-06' };
const REASON = 'Urgent: child missing tonight, need whānau contacts';

describe.each(DRIVERS)('break-glass access on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('gives a supervisor read-only break-glass access with a reason, flagged for a privacy officer to review', async () => {
    const { world, ctx } = suite;
    const { caseId, reference } = await world.openCase({}, CHILD);
    const supervisor = await world.person('ngo-supervisor', ['supervisor'], 'ngo', 'ngo');
    expect(
      (
        await supervisor.client.post(`/api/cases/${caseId}/break-glass`, {
          reason: REASON,
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
      familyName: CHILD.familyName,
      reason: 'Urgent: child missing tonight, need whānau contacts',
    });
    expect(unknown.statusCode).toBe(404);
    const granted = await leadSupervisor.client.post('/api/break-glass', {
      caseReference: reference.toLowerCase(),
      familyName: CHILD.familyName,
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
  it('answers a guessed case reference without the child’s date of birth or family name as an unknown one: no grant, and each miss audited', async () => {
    const { world, ctx } = suite;
    const { caseId, reference } = await world.openCase({}, CHILD);
    const walker = await world.person('walking-supervisor', ['supervisor'], 'lead-walker', 'lead_agency');
    const ask = (body: Record<string, string>) =>
      walker.client.post('/api/break-glass', { caseReference: reference, reason: REASON, ...body });
    const answer = (res: { statusCode: number; json: () => { code: string; message: string } }) => ({
      status: res.statusCode,
      code: res.json().code,
      message: res.json().message,
    });

    // The reference alone is refused before anything is looked up.
    const bare = await ask({});
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toMatch(/date of birth or family name/);

    const unknownReference = answer(
      await walker.client.post('/api/break-glass', {
        caseReference: 'CASE-1999-000001',
        dateOfBirth: CHILD.dateOfBirth,
        reason: REASON,
      }),
    );
    expect(unknownReference.status).toBe(404);
    const wrongBirth = answer(await ask({ dateOfBirth: '2012-05-07' }));
    const wrongName = answer(await ask({ familyName: 'Smith' }));
    expect(wrongBirth).toEqual(unknownReference);
    expect(wrongName).toEqual(unknownReference);

    // Nothing granted, nothing readable.
    expect((await walker.client.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    const grants = () =>
      ctx.db.selectFrom('break_glass').select('id').where('user_id', '=', walker.user.id).execute();
    expect(await grants()).toEqual([]);

    // Each miss is in the audit log, as the walker's, without the reference or a name.
    const misses = await ctx.db
      .selectFrom('audit_event')
      .select(['details', 'subject_id'])
      .where('action', '=', 'break_glass.not_matched')
      .where('actor_user_id', '=', walker.user.id)
      .execute();
    expect(misses).toHaveLength(3);
    expect(misses.filter((m) => m.subject_id === caseId)).toHaveLength(2);
    for (const miss of misses) {
      expect(JSON.stringify(miss.details)).not.toMatch(/CASE-|Smith|Paewai/);
    }

    // A supervisor outside the lead agencies learns nothing either: refused whatever the reference.
    const ngo = await world.person('ngo-supervisor', ['supervisor'], 'ngo', 'ngo');
    const fromNgo = await ngo.client.post('/api/break-glass', {
      caseReference: reference,
      dateOfBirth: CHILD.dateOfBirth,
      reason: REASON,
    });
    expect(fromNgo.statusCode).toBe(403);

    // The right date of birth opens the case; so does the family name, as people type it.
    const granted = await ask({ dateOfBirth: CHILD.dateOfBirth });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json().caseId).toBe(caseId);
    expect((await walker.client.get(`/api/cases/${caseId}`)).json().access.via).toBe('break_glass');
    const byName = await ask({ familyName: '  paewai-synthetic ' });
    expect(byName.statusCode, byName.body).toBe(201);
    expect(await grants()).toHaveLength(2);
  });
});
