import { describe, expect, it } from 'vitest';
import type { DataQualityReport } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

describe.each(DRIVERS)('data quality per organisation on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-20' });
  const byName = async (organisationId: string) =>
    (
      await suite.ctx.db
        .selectFrom('organisation')
        .select('name')
        .where('id', '=', organisationId)
        .executeTakeFirstOrThrow()
    ).name;

  it('gives a data steward exact figures per submitting organisation, by name', async () => {
    const { world } = suite;
    const police = await world.frontline();
    const ngo = await world.person('ngo-frontline', ['frontline'], 'ngo', 'ngo');
    // Police: a referral opened as a case, a second referral about that child attached to it, and
    // one with only an estimated age and "not known" / "other" codes.
    const first = await world.openCase({ concern: { date: '2026-07-10', region: '02' } });
    const again = await world.submitReferral({ concern: { date: '2026-07-19', region: '02' } });
    const triage = await world.triage();
    const attached = await triage.client.post(`/api/triage/referrals/${again.id}/attach`, {
      caseId: first.caseId,
      version: await world.referralVersion(again.id),
    });
    expect(attached.statusCode, attached.body).toBe(200);
    await world.submitReferral(
      { concern: { date: '2026-07-18', region: '09' }, manifestations: ['other_sexual_exploitation'] },
      { dateOfBirth: undefined, estimatedAge: 14, gender: 'unknown', ethnicities: ['99'] },
    );
    // An NGO: one with a date of birth, one with an estimated age.
    await world.submitReferral({ concern: { date: '2026-07-01', region: '09' } }, {}, ngo);
    await world.submitReferral(
      { concern: { date: '2026-07-15', region: '09' } },
      { dateOfBirth: undefined, estimatedAge: 15 },
      ngo,
    );

    const steward = await world.person('steward', ['data_steward']);
    const res = await steward.client.get('/api/statistics/data-quality?period=2026-07');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<DataQualityReport>();
    expect(report.period).toEqual({ name: '2026-07', from: '2026-07-01', to: '2026-07-31' });
    expect(report.exact).toBe(true);
    const row = (name: string) => report.organisations.find((o) => o.organisation === name);
    expect(row(await byName(police.user.organisationId))).toEqual({
      organisation: await byName(police.user.organisationId),
      referrals: 3,
      withRegion: 3,
      withGender: 3,
      withEthnicity: 3,
      withForm: 3,
      withDateOfBirth: 2,
      withEstimatedAgeOnly: 1,
      medianDaysToReferral: 2, // 10, 1 and 2 days
      linkedToKnownChild: 1,
      genderUnknown: 1,
      ethnicityUnknown: 1,
      formOther: 1,
      citizenshipUnknown: 0,
    });
    expect(row(await byName(ngo.user.organisationId))).toMatchObject({
      referrals: 2,
      withDateOfBirth: 1,
      withEstimatedAgeOnly: 1,
      medianDaysToReferral: 12, // 19 and 5 days
      linkedToKnownChild: 0,
      genderUnknown: 0,
      ethnicityUnknown: 0,
      formOther: 0,
    });
    expect(report.organisations).toHaveLength(2);
    // Nothing that identifies a child, and no organisation ids.
    expect(res.body).not.toMatch(/Tāne|Kōrero|Ōtāhuhu/);
    expect(res.body).not.toContain(police.user.organisationId);

    const audited = await suite.ctx.db
      .selectFrom('audit_event')
      .select('actor_user_id')
      .where('action', '=', 'statistics.data_quality_viewed')
      .execute();
    expect(audited.map((a) => a.actor_user_id)).toContain(steward.user.id);

    // Another period: nothing received, no rows.
    const june = await steward.client.get('/api/statistics/data-quality?period=2026Q2');
    expect(june.json<DataQualityReport>().organisations).toEqual([]);
  });

  it('refuses periods that are not a month, quarter or year', async () => {
    const steward = await suite.world.person('steward', ['data_steward']);
    for (const period of ['2026-13', '2026Q5', '2026-07-01', 'last month', '0000']) {
      const res = await steward.client.get(
        `/api/statistics/data-quality?period=${encodeURIComponent(period)}`,
      );
      expect(res.statusCode, period).toBe(400);
    }
    expect((await steward.client.get('/api/statistics/data-quality')).statusCode).toBe(400);
  });

  it('is for data stewards only: an analyst or a caseworker is refused', async () => {
    const analyst = await suite.world.person('analyst', ['analyst']);
    const caseworker = await suite.world.caseworker();
    for (const person of [analyst, caseworker]) {
      const res = await person.client.get('/api/statistics/data-quality?period=2026-07');
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('referrals');
    }
  });
});
