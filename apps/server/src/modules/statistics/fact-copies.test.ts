import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

// The narrow copies of decisions' and service referrals' facts (migration 0042) must always equal
// what the fact views computed from the records themselves before them: every published figure
// depends on it. Each step below changes the records as the application (or an import, or a
// merge) may, through the application's own database role, and compares.

/** What fact_decision was before migration 0042: computed from the records. */
const decisionsFromRecords = sql<Record<string, unknown>>`
  SELECT d.id AS decision_id, d.case_id AS child_unit, d.kind, d.status, d.outcome,
    d.starts_on::text AS starts_on, d.earliest_on::text AS earliest_on, d.due_on::text AS due_on,
    d.decided_on::text AS decided_on, d.by_panel, k.region
  FROM decision d JOIN case_record k ON k.id = d.case_id ORDER BY 1`;
const decisionsFromView = sql<Record<string, unknown>>`
  SELECT decision_id, child_unit, kind, status, outcome, starts_on::text AS starts_on,
    earliest_on::text AS earliest_on, due_on::text AS due_on, decided_on::text AS decided_on, by_panel, region
  FROM fact_decision ORDER BY 1`;

/** What fact_service_referral was before migration 0042 (migration 0013's definition). */
const serviceReferralsFromRecords = sql<Record<string, unknown>>`
  SELECT s.id AS service_referral_id, s.case_id AS child_unit, s.need_type, s.status, s.decline_reason,
    (s.created_at::date)::text AS created_on, s.respond_by::text AS respond_by,
    ((SELECT min(e.occurred_at)::date FROM service_referral_event e
      WHERE e.service_referral_id = s.id AND e.to_status = 'accepted'))::text AS accepted_on,
    o.kind AS provider_kind, k.region, s.created_at::text AS created_at
  FROM service_referral s
  JOIN case_record k ON k.id = s.case_id
  JOIN organisation o ON o.id = s.provider_organisation_id ORDER BY 1`;
const serviceReferralsFromView = sql<Record<string, unknown>>`
  SELECT service_referral_id, child_unit, need_type, status, decline_reason, created_on::text AS created_on,
    respond_by::text AS respond_by, accepted_on::text AS accepted_on, provider_kind, region,
    created_at::text AS created_at
  FROM fact_service_referral ORDER BY 1`;

describe.each(DRIVERS)('the facts of decisions and service referrals on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  const expectInStep = async (step: string) => {
    const db = suite.ctx.db;
    const [decisions, decisionFacts, services, serviceFacts] = [
      (await decisionsFromRecords.execute(db)).rows,
      (await decisionsFromView.execute(db)).rows,
      (await serviceReferralsFromRecords.execute(db)).rows,
      (await serviceReferralsFromView.execute(db)).rows,
    ];
    expect(decisionFacts, `decisions after: ${step}`).toEqual(decisions);
    expect(serviceFacts, `service referrals after: ${step}`).toEqual(services);
    return { decisions: decisions.length, services: services.length };
  };

  it('stay in step with every insert, update and delete of decisions, service referrals and their steps', async () => {
    const { world, ctx } = suite;
    const db = ctx.db;
    const north = await world.openCase({ concern: { date: '2026-07-01', region: '02' } });
    const south = await world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const lead = await world.organisation('lead', 'lead_agency');
    const provider = await world.organisation('provider', 'ngo');
    const serviceId = randomUUID();
    await db
      .insertInto('service')
      .values({
        id: serviceId,
        provider_organisation_id: provider,
        name: 'Counselling (synthetic)',
        description: 'A synthetic service for the test.',
        need_types: ['counselling'],
        regions: [],
        min_age: 0,
        max_age: 17,
        capacity: 'accepting',
        contact: 'service@provider.tiaki.test',
      })
      .execute();
    await expectInStep('opening two cases');

    // Decisions (opening a case made a pending reasonable-grounds one each): several in one
    // statement, as an import or the benchmark generator writes them.
    await sql`INSERT INTO decision (case_id, kind, status, starts_on, due_on, outcome, decided_on, decided_at,
        created_at, updated_at)
      VALUES (${north.caseId}, 'reasonable_grounds', 'made', '2026-06-01', '2026-06-08', 'negative', '2026-06-05',
          now(), now(), now()),
        (${south.caseId}, 'conclusive_grounds', 'pending', '2026-07-02', '2026-09-15', null, null, null, now(), now()),
        (${north.caseId}, 'conclusive_grounds', 'pending', '2026-07-02', '2026-09-15', null, null, null, now(), now())`.execute(
      db,
    );
    let counts = await expectInStep('inserting decisions');
    expect(counts.decisions).toBeGreaterThanOrEqual(3);
    await sql`UPDATE decision SET status = 'made', outcome = 'positive', decided_on = '2026-07-03', decided_at = now()
      WHERE case_id = ${north.caseId} AND kind = 'reasonable_grounds' AND status = 'pending'`.execute(db);
    await expectInStep('making a decision');
    // A merge moves a case's decisions to another case.
    await sql`UPDATE decision SET case_id = ${south.caseId}
      WHERE case_id = ${north.caseId} AND kind = 'reasonable_grounds' AND outcome = 'negative'`.execute(db);
    await expectInStep('moving a decision to another case');
    await sql`DELETE FROM decision WHERE case_id = ${south.caseId} AND kind = 'conclusive_grounds'`.execute(
      db,
    );
    counts = await expectInStep('deleting a decision');
    expect(counts.decisions).toBeGreaterThanOrEqual(2);

    // Service referrals and their steps.
    await sql`INSERT INTO service_referral (case_id, service_id, provider_organisation_id, need_type, status,
        shared_fields, respond_by, created_by_organisation_id, created_at, updated_at)
      VALUES (${north.caseId}, ${serviceId}, ${provider}, 'counselling', 'sent', ARRAY['age_band'], '2026-07-15', ${lead},
          '2026-07-02 23:30+00', now()),
        (${south.caseId}, ${serviceId}, ${provider}, 'counselling', 'sent', ARRAY['age_band'], '2026-07-15', ${lead},
          '2026-07-02 10:00+00', now())`.execute(db);
    counts = await expectInStep('inserting service referrals');
    expect(counts.services).toBe(2);
    const [first, second] = (
      await sql<{
        id: string;
      }>`SELECT id FROM service_referral ORDER BY case_id = ${north.caseId} DESC`.execute(db)
    ).rows;
    await sql`INSERT INTO service_referral_event (service_referral_id, from_status, to_status, organisation_id, occurred_at)
      VALUES (${first!.id}, 'proposed', 'sent', ${lead}, '2026-07-02 23:30+00'),
        (${first!.id}, 'sent', 'accepted', ${provider}, '2026-07-09 08:00+00'),
        (${first!.id}, 'engaged', 'accepted', ${provider}, '2026-07-20 08:00+00'),
        (${second!.id}, 'sent', 'accepted', ${provider}, '2026-07-05 08:00+00')`.execute(db);
    await expectInStep('accepting service referrals (steps added)');
    const accepted = async () =>
      (
        await sql<{
          accepted_on: string | null;
        }>`SELECT accepted_on::text AS accepted_on FROM fact_service_referral
          WHERE service_referral_id = ${first!.id}`.execute(db)
      ).rows[0]?.accepted_on;
    expect(await accepted()).not.toBeNull();
    await sql`UPDATE service_referral_event SET occurred_at = '2026-07-04 08:00+00'
      WHERE service_referral_id = ${first!.id} AND occurred_at = '2026-07-20 08:00+00'`.execute(db);
    await expectInStep('a step moved earlier');
    // A step changed from an acceptance to something else: the acceptance it was is forgotten.
    await sql`UPDATE service_referral_event SET to_status = 'declined'
      WHERE service_referral_id = ${first!.id} AND occurred_at = '2026-07-04 08:00+00'`.execute(db);
    await expectInStep('an acceptance step changed to another step');
    await sql`DELETE FROM service_referral_event WHERE service_referral_id = ${first!.id} AND to_status = 'accepted'`.execute(
      db,
    );
    await expectInStep('the acceptance steps deleted');
    expect(await accepted()).toBeNull();
    await sql`UPDATE service_referral SET status = 'declined', decline_reason = 'no_capacity', updated_at = now()
      WHERE id = ${second!.id}`.execute(db);
    await expectInStep('declining a service referral');
    await sql`UPDATE service_referral SET case_id = ${north.caseId} WHERE id = ${second!.id}`.execute(db);
    await expectInStep('moving a service referral to another case');

    // The case moves region, the provider changes kind: both copies follow.
    await sql`UPDATE case_record SET region = '12' WHERE id = ${north.caseId}`.execute(db);
    const regions = (
      await sql<{
        region: string;
      }>`SELECT DISTINCT region FROM fact_decision WHERE child_unit = ${north.caseId}`.execute(db)
    ).rows;
    expect(regions).toEqual([{ region: '12' }]);
    await expectInStep('a case moved region');
    await sql`UPDATE organisation SET kind = 'kaupapa_maori' WHERE id = ${provider}`.execute(db);
    await expectInStep('a provider changed kind');

    await sql`DELETE FROM service_referral_event WHERE service_referral_id = ${second!.id}`.execute(db);
    await sql`DELETE FROM service_referral WHERE id = ${second!.id}`.execute(db);
    counts = await expectInStep('deleting a service referral');
    expect(counts.services).toBe(1);
  }, 180_000);
});
