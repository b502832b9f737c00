// Synthetic national-scale history for the benchmarks: organisations, people, services, then N
// referrals over ten years written through the same code as a bulk import (validation,
// encryption, blind indexes, one audit entry per referral), then cases, identification
// decisions, service referrals and unmet needs made set-wise in SQL with realistic shares.
//   npm run bench:data -- --referrals 1000000 [--driver postgres|pglite] [--years 10] [--seed 1]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { addCalendarDays, NEED_TYPES, type OrganisationKind, type Role } from '@tiaki/domain';
import { loadConfig } from '../../apps/server/src/config.ts';
import type { AppContext } from '../../apps/server/src/context.ts';
import { historyDayWeights, random, syntheticReferral } from '../../apps/server/src/demo/history.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/modules/audit/service.ts';
import { insertReferrals, type NewReferral } from '../../apps/server/src/modules/referrals/service.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { benchEnv, formatCount, progressLine, resetTarget, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    referrals: { type: 'string', default: '1000000' },
    driver: { type: 'string', default: 'postgres' },
    years: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
});
if (values.driver !== 'postgres' && values.driver !== 'pglite')
  throw new Error('--driver is postgres or pglite');
const driver: Driver = values.driver;
const total = Number(values.referrals);
const rand = random(Number(values.seed));

/** Referring organisations by kind and how many of each; share of referrals follows the count × weight. */
const REFERRERS: readonly { kind: OrganisationKind; count: number; weight: number; name: string }[] = [
  { kind: 'police', count: 12, weight: 30, name: 'NZ Police district' },
  { kind: 'oranga_tamariki', count: 20, weight: 25, name: 'Oranga Tamariki site' },
  { kind: 'health', count: 15, weight: 15, name: 'Youth health service' },
  { kind: 'school', count: 40, weight: 15, name: 'Secondary school' },
  { kind: 'ngo', count: 10, weight: 10, name: 'Youth NGO' },
  { kind: 'kaupapa_maori', count: 5, weight: 5, name: 'Kaupapa Māori service' },
];
const PROVIDERS = 20;
const CASEWORKERS = 40;
const TRIAGE_STAFF = 10;
const CHUNK = 1000;

/** Weighted choice by binary search over cumulative weights: fast enough for millions of draws. */
function picker<T>(weighted: readonly (readonly [T, number])[]): () => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, weight] of weighted) cumulative.push((sum += weight));
  return () => {
    const r = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < r) lo = mid + 1;
      else hi = mid;
    }
    const chosen = weighted[lo];
    if (!chosen) throw new Error('nothing to pick from');
    return chosen[0];
  };
}

async function organisation(ctx: AppContext, kind: OrganisationKind, name: string): Promise<string> {
  const row = await ctx.db
    .insertInto('organisation')
    .values({ kind, name: `${name} (benchmark)`, regions_served: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** People who cannot sign in with a password (the hash matches nothing): the load test gives them sessions. */
async function person(ctx: AppContext, organisationId: string, role: Role, n: number): Promise<string> {
  const row = await ctx.db
    .insertInto('app_user')
    .values({
      organisation_id: organisationId,
      email: `${role}-${n}-${organisationId.slice(0, 8)}@bench.tiaki.test`,
      display_name: `Benchmark ${role} ${n}`,
      password_hash: '!benchmark-no-password',
      must_change_password: false,
      mfa_enabled: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.insertInto('role_assignment').values({ user_id: row.id, role }).execute();
  return row.id;
}

async function main() {
  const started = performance.now();
  await resetTarget(driver);
  const ctx = await createContext(loadConfig(benchEnv(driver)));
  const today = ctx.today();
  const from = addCalendarDays(today, -Math.round(Number(values.years) * 365.25));
  const to = addCalendarDays(today, -1);
  process.stderr.write(`${driver}: ${formatCount(total)} referrals received ${from} to ${to}\n`);

  const lead = await organisation(ctx, 'lead_agency', 'National referral centre');
  const triage = await Promise.all(
    Array.from({ length: TRIAGE_STAFF }, (_, i) => person(ctx, lead, 'triage', i)),
  );
  await person(ctx, lead, 'decision_maker', 0);
  const caseworkers = [];
  for (let i = 0; i < CASEWORKERS; i++) caseworkers.push(await person(ctx, lead, 'caseworker', i));
  await person(ctx, lead, 'analyst', 0);
  const referrers: (readonly [{ id: string }, number])[] = [];
  for (const kind of REFERRERS)
    for (let i = 0; i < kind.count; i++) {
      const id = await organisation(ctx, kind.kind, `${kind.name} ${i + 1}`);
      await person(ctx, id, 'frontline', 0);
      referrers.push([{ id }, kind.weight / kind.count] as const);
    }
  for (let i = 0; i < PROVIDERS; i++) {
    const id = await organisation(ctx, i % 4 === 0 ? 'kaupapa_maori' : 'ngo', `Specialist provider ${i + 1}`);
    await person(ctx, id, 'service_provider', 0);
    await ctx.db
      .insertInto('service')
      .values({
        id: randomUUID(),
        provider_organisation_id: id,
        name: `Benchmark service ${i + 1}`,
        description: 'A specialist service in the benchmark data.',
        need_types: [NEED_TYPES[i % NEED_TYPES.length] ?? 'counselling'],
        regions: [],
        min_age: 0,
        max_age: 17,
        capacity: 'accepting',
        contact: 'bench@provider.tiaki.test',
      })
      .execute();
  }

  // Referrals: chunks of 1,000 from one referring organisation each, days drawn across the years
  // and written in date order, as they arrive.
  const day = picker(historyDayWeights(from, to));
  const days = Array.from({ length: total }, day).sort();
  const referrer = picker(referrers);
  const progress = progressLine();
  const referralsStarted = performance.now();
  for (let done = 0; done < total;) {
    const size = Math.min(CHUNK, total - done);
    const items: NewReferral[] = [];
    for (let i = 0; i < size; i++) {
      const receivedOn = days[done + i] ?? to;
      items.push({ data: syntheticReferral(rand, receivedOn, done + i), source: { receivedOn } });
    }
    await ctx.db
      .transaction()
      .execute((trx) =>
        insertReferrals(
          ctx,
          trx,
          SYSTEM_ACTOR,
          { organisationId: referrer().id, userId: null, apiKeyId: null },
          items,
        ),
      );
    done += size;
    const seconds = (performance.now() - referralsStarted) / 1000;
    progress(
      `referrals ${formatCount(done)} / ${formatCount(total)} (${formatCount(Math.round(done / seconds))}/s)`,
    );
  }
  const referralSeconds = (performance.now() - referralsStarted) / 1000;
  process.stderr.write('\n');

  const workflowStarted = performance.now();
  await workflow(ctx, { today, lead, triage, caseworkers });
  const workflowSeconds = (performance.now() - workflowStarted) / 1000;

  const counts = await sql<Record<string, string | number>>`SELECT
      (SELECT count(*) FROM referral) AS referrals,
      (SELECT count(*) FROM child) AS children,
      (SELECT count(*) FROM case_record) AS cases,
      (SELECT count(*) FROM decision) AS decisions,
      (SELECT count(*) FROM service_referral) AS service_referrals,
      (SELECT count(*) FROM unmet_need) AS unmet_needs,
      (SELECT count(*) FROM audit_event) AS audit_entries,
      pg_size_pretty(pg_database_size(current_database())) AS size`.execute(ctx.db);
  await ctx.database.close();
  const row = counts.rows[0] ?? {};
  console.log(`driver            ${driver}`);
  for (const [key, value] of Object.entries(row)) {
    const count = Number(value);
    console.log(`${key.padEnd(18)}${Number.isInteger(count) ? formatCount(count) : String(value)}`);
  }
  console.log(
    `referrals written ${referralSeconds.toFixed(1)} s (${formatCount(Math.round(total / referralSeconds))}/s)`,
  );
  console.log(`workflow (SQL)    ${workflowSeconds.toFixed(1)} s`);
  console.log(`total             ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Cases for a quarter of the referrals, screened-out or waiting referrals for the rest, decisions,
 * service referrals with their steps, and unmet needs: set-wise, with shares drawn from a hash of
 * each id so the same data gives the same history.
 */
async function workflow(
  ctx: AppContext,
  people: { today: string; lead: string; triage: string[]; caseworkers: string[] },
) {
  const { today, lead } = people;
  const h = (column: string, salt: string) => sql.raw(`(abs(hashtext(${column}::text || '${salt}')) % 100)`);
  const steps: [string, ReturnType<typeof sql>][] = [
    [
      'choose cases',
      sql`CREATE TABLE bench_case AS
        SELECT r.id AS referral_id, r.child_id, r.region, r.received_on, c.age_band,
          gen_random_uuid() AS case_id, ${h('r.id', 'k')} AS h
        FROM referral r JOIN child c ON c.id = r.child_id
        WHERE r.received_on <= ${today}::date - 3 AND ${h('r.id', 'c')} < 25`,
    ],
    [
      'open cases',
      sql`INSERT INTO case_record (id, reference, child_id, owner_organisation_id, region, status,
          closure_reason, closed_at, opened_by_user_id, opened_at, updated_at)
        SELECT case_id, 'CASE-' || extract(year FROM received_on) || '-' || lpad(nextval('case_number_seq')::text, 6, '0'),
          child_id, ${lead}, region,
          CASE WHEN received_on < ${today}::date - 365 AND h < 85 THEN 'closed' ELSE 'open' END,
          CASE WHEN received_on < ${today}::date - 365 AND h < 85 THEN (ARRAY['needs_met', 'transferred_to_other_agency',
            'turned_18_referred_to_adult_services', 'child_and_whanau_declined_further_support',
            'no_exploitation_identified', 'other'])[1 + h % 6] END,
          CASE WHEN received_on < ${today}::date - 365 AND h < 85 THEN (received_on + 120 + h * 2)::timestamptz END,
          ${people.triage[0] ?? null}, (received_on + 1)::timestamptz, (received_on + 1)::timestamptz
        FROM bench_case`,
    ],
    ['link children', sql`UPDATE child c SET case_id = b.case_id FROM bench_case b WHERE c.id = b.child_id`],
    [
      'triage referrals into cases',
      sql`UPDATE referral r SET case_id = b.case_id, status = 'case_opened', triaged_at = (b.received_on + 1)::timestamptz,
          triaged_by_user_id = ${people.triage[0] ?? null}
        FROM bench_case b WHERE r.id = b.referral_id`,
    ],
    [
      'screen out or leave waiting',
      sql`UPDATE referral SET
          status = CASE WHEN received_on < ${today}::date - 21 THEN 'screened_out'
            WHEN ${h('id', 's')} < 40 THEN 'in_triage' ELSE 'submitted' END,
          screen_out_reason = CASE WHEN received_on < ${today}::date - 21 THEN (ARRAY['not_exploitation_concern',
            'referred_elsewhere', 'insufficient_information', 'duplicate_of_existing_referral'])[1 + ${h('id', 'r')} % 4] END,
          triaged_at = CASE WHEN received_on < ${today}::date - 21 THEN (received_on + 2)::timestamptz END
        WHERE case_id IS NULL`,
    ],
    [
      'date submissions',
      sql`UPDATE referral SET submitted_at = received_on + time '10:00', updated_at = received_on + time '10:00'`,
    ],
    [
      'case teams',
      sql`INSERT INTO case_organisation (case_id, organisation_id, is_owner, added_at)
        SELECT case_id, ${lead}, true, (received_on + 1)::timestamptz FROM bench_case`,
    ],
    [
      'lead caseworkers',
      sql`INSERT INTO case_member (case_id, user_id, team_role, added_at)
        SELECT b.case_id, (${people.caseworkers}::uuid[])[1 + b.h % ${people.caseworkers.length}], 'lead_caseworker',
          (b.received_on + 1)::timestamptz
        FROM bench_case b`,
    ],
    [
      'reasonable-grounds decisions',
      sql`INSERT INTO decision (case_id, kind, status, starts_on, due_on, outcome, decided_on, decided_at, created_at, updated_at)
        SELECT case_id, 'reasonable_grounds',
          CASE WHEN received_on + 10 < ${today}::date THEN 'made' ELSE 'pending' END,
          received_on + 1, received_on + 8,
          CASE WHEN received_on + 10 < ${today}::date THEN CASE WHEN h < 80 THEN 'positive' ELSE 'negative' END END,
          CASE WHEN received_on + 10 < ${today}::date THEN received_on + 2 + h % 9 END,
          CASE WHEN received_on + 10 < ${today}::date THEN (received_on + 2 + h % 9)::timestamptz END,
          (received_on + 1)::timestamptz, (received_on + 1)::timestamptz
        FROM bench_case`,
    ],
    [
      'conclusive-grounds decisions',
      sql`INSERT INTO decision (case_id, kind, status, starts_on, earliest_on, due_on, outcome, decided_on, decided_at, created_at, updated_at)
        SELECT d.case_id, 'conclusive_grounds',
          CASE WHEN d.decided_on + 90 < ${today}::date THEN 'made' ELSE 'pending' END,
          d.decided_on, d.decided_on + 30, d.decided_on + 75,
          CASE WHEN d.decided_on + 90 < ${today}::date THEN CASE WHEN b.h < 90 THEN 'positive' ELSE 'negative' END END,
          CASE WHEN d.decided_on + 90 < ${today}::date THEN d.decided_on + 30 + b.h % 40 END,
          CASE WHEN d.decided_on + 90 < ${today}::date THEN (d.decided_on + 30 + b.h % 40)::timestamptz END,
          d.decided_at, d.decided_at
        FROM decision d JOIN bench_case b ON b.case_id = d.case_id
        WHERE d.kind = 'reasonable_grounds' AND d.outcome = 'positive'`,
    ],
    [
      'service referrals',
      sql`CREATE TABLE bench_service AS
        SELECT id, provider_organisation_id, need_types[1] AS need_type, row_number() OVER (ORDER BY id) - 1 AS n
        FROM service`,
    ],
    [
      'refer to services',
      sql`INSERT INTO service_referral (case_id, service_id, provider_organisation_id, need_type, status, shared_fields,
          respond_by, decline_reason, created_by_organisation_id, created_at, updated_at)
        SELECT b.case_id, s.id, s.provider_organisation_id, s.need_type,
          CASE WHEN b.received_on + 30 > ${today}::date THEN 'sent'
            WHEN b.h % 20 < 8 THEN 'completed' WHEN b.h % 20 < 11 THEN 'engaged' WHEN b.h % 20 < 13 THEN 'accepted'
            WHEN b.h % 20 < 16 THEN 'declined' ELSE 'withdrawn' END,
          ARRAY['age_band', 'gender', 'needs_summary'],
          b.received_on + 12,
          CASE WHEN b.received_on + 30 <= ${today}::date AND b.h % 20 BETWEEN 13 AND 15
            THEN (ARRAY['no_capacity', 'not_eligible', 'child_declined'])[1 + b.h % 3] END,
          ${lead}, (b.received_on + 5)::timestamptz, (b.received_on + 5)::timestamptz
        FROM bench_case b
        JOIN generate_series(0, 1) AS extra(i) ON extra.i = 0 OR b.h < 20
        JOIN bench_service s ON s.n = (b.h + extra.i * 7) % (SELECT count(*) FROM bench_service)
        WHERE b.h < 60 OR extra.i = 1`,
    ],
    [
      'service referral steps',
      sql`INSERT INTO service_referral_event (service_referral_id, from_status, to_status, organisation_id, occurred_at)
        SELECT id, 'proposed', 'sent', created_by_organisation_id, created_at FROM service_referral
        UNION ALL
        SELECT id, 'sent', 'accepted', provider_organisation_id,
          created_at + make_interval(days => ${h('id', 'w')} % 21)
        FROM service_referral WHERE status IN ('accepted', 'engaged', 'completed')`,
    ],
    [
      'unmet needs',
      sql`INSERT INTO unmet_need (case_id, need_type, region, age_band, reason, recorded_at, met_at)
        SELECT case_id, (${[...NEED_TYPES]}::text[])[1 + h % ${NEED_TYPES.length}], region, age_band,
          (ARRAY['no_service_in_region', 'declined_no_capacity', 'waitlist'])[1 + h % 3],
          (received_on + 6)::timestamptz,
          CASE WHEN h % 3 = 0 THEN (received_on + 60)::timestamptz END
        FROM bench_case WHERE h % 100 < 12`,
    ],
    ['tidy up', sql`DROP TABLE bench_case`],
    ['tidy up services', sql`DROP TABLE bench_service`],
    // Linkage of the history is benchmarked on its own (bench/linkage); the queue starts empty.
    ['empty the job queue', sql`DELETE FROM job`],
  ];
  for (const [label, statement] of steps) {
    const t0 = performance.now();
    // Creating work tables needs the schema owner, as migrations do.
    const compiled = statement.compile(ctx.db);
    await ctx.database.owner.query(compiled.sql, [...compiled.parameters]);
    process.stderr.write(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  // As autovacuum would in time: indexes rid of the entries the updates above left behind.
  const t0 = performance.now();
  await ctx.database.owner.exec('VACUUM ANALYZE');
  process.stderr.write(`vacuum and analyse: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

await main();
