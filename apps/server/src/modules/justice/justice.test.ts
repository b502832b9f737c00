import { describe, expect, it } from 'vitest';
import type { Charge } from '@tiaki/domain';
import { caseWorldFor } from '../../../test/cases.ts';

const LAWFUL_BASIS = 'ota_66c_ot_services';
const NOTE = 'Court file CRI-2026-004-000123';

describe('justice outcomes: charges laid on a case', () => {
  const suite = caseWorldFor('pglite', { TIAKI_TODAY: '2026-07-03' });

  const chargesIn = async (caseId: string) =>
    suite.ctx.db.selectFrom('charge').selectAll().where('case_id', '=', caseId).execute();

  it('lets the case team (a Police caseworker on the team too) record a charge and its outcome, audited and encrypted', async () => {
    const { world, ctx } = suite;
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const police = await world.person('police-caseworker', ['caseworker'], 'police', 'police');

    const laid = await caseworker.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'pra_22',
      manifestation: 'exploitation_in_prostitution',
      laidOn: '2026-06-30',
      note: NOTE,
    });
    expect(laid.statusCode).toBe(201);
    const charge = laid.json<Charge>();
    expect(charge).toMatchObject({ provision: 'pra_22', outcome: 'charged', outcomeOn: null, note: NOTE });

    // The note is stored encrypted; the audit and timeline hold codes only.
    const [row] = await chargesIn(caseId);
    expect(row?.note_enc).toBeTruthy();
    expect(row?.note_enc).not.toContain('CRI-2026');
    const audits = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subject_id', '=', caseId)
      .where('action', 'like', 'case.charge%')
      .execute();
    expect(audits.map((a) => a.action)).toContain('case.charge_recorded');
    expect(JSON.stringify(audits)).not.toContain('CRI-2026');

    // Police is not on the team yet: the case does not exist for them.
    expect((await police.client.get(`/api/cases/${caseId}/charges`)).statusCode).toBe(404);
    const added = await caseworker.client.post(`/api/cases/${caseId}/team/organisations`, {
      organisationId: world.organisations.get('police'),
      lawfulBasis: LAWFUL_BASIS,
      purpose: 'Prosecution of the people who exploited the child',
      fields: ['name', 'date_of_birth'],
      childConsulted: 'no_not_practicable',
    });
    expect(added.statusCode).toBe(201);
    const listed = await police.client.get(`/api/cases/${caseId}/charges`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ charges: Charge[] }>().charges).toHaveLength(1);

    // The outcome, with optimistic versioning: a stale version is refused and changes nothing.
    const convicted = await police.client.patch(`/api/cases/${caseId}/charges/${charge.id}`, {
      outcome: 'convicted',
      outcomeOn: '2026-07-01',
      version: charge.version,
    });
    expect(convicted.statusCode).toBe(200);
    expect(convicted.json<Charge>()).toMatchObject({ outcome: 'convicted', outcomeOn: '2026-07-01' });
    const stale = await caseworker.client.patch(`/api/cases/${caseId}/charges/${charge.id}`, {
      outcome: 'acquitted',
      outcomeOn: '2026-07-02',
      version: charge.version,
    });
    expect(stale.statusCode).toBe(409);
    expect((await chargesIn(caseId))[0]?.outcome).toBe('convicted');
  });

  it('refuses an unknown provision, a future date and an outcome without a date, saving nothing', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const bad = [
      { provision: 'crimes_999', manifestation: 'exploitation_in_prostitution', laidOn: '2026-06-01' },
      { provision: 'crimes_98d', manifestation: 'not_a_form', laidOn: '2026-06-01' },
      { provision: 'crimes_98d', manifestation: 'trafficking_sexual_purposes', laidOn: '2026-08-01' },
      { provision: 'crimes_98d', manifestation: 'trafficking_sexual_purposes', laidOn: '1 June' },
    ];
    for (const body of bad) {
      const res = await caseworker.client.post(`/api/cases/${caseId}/charges`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await chargesIn(caseId)).toHaveLength(0);

    const ok = await caseworker.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'crimes_98d',
      manifestation: 'trafficking_sexual_purposes',
      laidOn: '2026-06-01',
    });
    expect(ok.statusCode).toBe(201);
    const charge = ok.json<Charge>();
    const noDate = await caseworker.client.patch(`/api/cases/${caseId}/charges/${charge.id}`, {
      outcome: 'withdrawn',
      version: charge.version,
    });
    expect(noDate.statusCode).toBe(400);
    const beforeLaid = await caseworker.client.patch(`/api/cases/${caseId}/charges/${charge.id}`, {
      outcome: 'withdrawn',
      outcomeOn: '2026-05-01',
      version: charge.version,
    });
    expect(beforeLaid.statusCode).toBe(400);
    expect((await chargesIn(caseId))[0]).toMatchObject({ outcome: 'charged', outcome_on: null, version: 1 });
  });

  it('answers 404 to anyone not on the case team, and saves nothing for them', async () => {
    const { world } = suite;
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const laid = await caseworker.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'crimes_131b',
      manifestation: 'online_sexual_exploitation',
      laidOn: '2026-05-20',
      note: NOTE,
    });
    expect(laid.statusCode).toBe(201);
    const charge = laid.json<Charge>();
    const outsider = await world.person('other-caseworker', ['caseworker'], 'ngo-x', 'ngo');
    const list = await outsider.client.get(`/api/cases/${caseId}/charges`);
    expect(list.statusCode).toBe(404);
    expect(list.body).not.toContain('CRI-2026');
    const post = await outsider.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'crimes_131b',
      manifestation: 'online_sexual_exploitation',
      laidOn: '2026-05-21',
    });
    expect(post.statusCode).toBe(404);
    const patch = await outsider.client.patch(`/api/cases/${caseId}/charges/${charge.id}`, {
      outcome: 'withdrawn',
      outcomeOn: '2026-06-01',
      version: 1,
    });
    expect(patch.statusCode).toBe(404);
    // A charge of another case is not found through this one.
    const other = await world.openCase();
    const crossed = await caseworker.client.patch(`/api/cases/${other.caseId}/charges/${charge.id}`, {
      outcome: 'withdrawn',
      outcomeOn: '2026-06-01',
      version: 1,
    });
    expect(crossed.statusCode).toBe(404);
    const rows = await chargesIn(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.outcome).toBe('charged');
  });
});
