// What building a whole statistics release costs: the referral cube of a year, the period release
// of a quarter (every table for the nation and all 16 regions, protected together), the dashboard
// report read from it, the weekly cube, the quarterly bulletin (JSON, no PDF) and the year's OPSC /
// CRC pack — each computed from nothing (the cache is emptied before each run), at demo volume and
// at larger volumes. Facts are synthetic rows written straight into the referral fact table (no
// records, no identities), spread over two years and every region.
//   npx tsx bench/statistics/release.ts [--driver pglite|postgres] [--sizes 600,20000] [--repeat 3]
// PostgreSQL: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (a database is made and dropped).
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { auditWork, releaseCosts } from '@tiaki/disclosure';
import { CURRENT_TAXONOMY, ORGANISATION_KINDS, REGIONS } from '@tiaki/domain';
import { createTestContext, type TestContext } from '../../apps/server/test/harness.ts';
import { opscPack, quarterlyBulletin } from '../../apps/server/src/modules/statistics/publications.ts';
import { periodRelease, referralCube } from '../../apps/server/src/modules/statistics/release.ts';
import { statisticsReport } from '../../apps/server/src/modules/statistics/tables.ts';
import { weeklyCube } from '../../apps/server/src/modules/statistics/weeks.ts';
import { formatCount, percentile } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'pglite' },
    sizes: { type: 'string', default: '600,20000' },
    repeat: { type: 'string', default: '3' },
  },
});
const driver = values.driver === 'postgres' ? 'postgres' : 'pglite';
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);

const codes = (list: readonly { code: string }[]) => list.map((x) => x.code);
// Auckland three times, Wellington twice: regions of different sizes.
const REGION_CODES = [...codes(REGIONS), '02', '02', '09'];
const DISTRICTS = codes(CURRENT_TAXONOMY.policeDistricts);
const FORMS = codes(CURRENT_TAXONOMY.manifestations);
const AGES = codes(CURRENT_TAXONOMY.ageBands);
const GENDERS = codes(CURRENT_TAXONOMY.genders).slice(0, 3);
const ETHNICITIES = CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 1).map((e) => e.code);
const KINDS = [...ORGANISATION_KINDS];
const pick = (list: readonly string[], step: number) =>
  sql`(${sql.val(list)}::text[])[1 + ((i * ${sql.raw(String(step))}) % ${sql.raw(String(list.length))})]`;

/** Replaces every referral fact with `n` synthetic rows over 2025–2026 (one statement). */
async function load(ctx: TestContext, n: number): Promise<void> {
  await sql`DELETE FROM referral_fact`.execute(ctx.db);
  // A child referred about twice on average; dates spread over 730 days.
  await sql`INSERT INTO referral_fact (referral_id, child_id, organisation_id, received_on, concern_date,
      region, police_district, manifestations, manifestation_subtypes, contexts, urgent, concern_level,
      status, taxonomy_version, lawful_basis, referrer_kind, age_band, gender, ethnicities, iwi,
      citizenship, identified, child_unit)
    SELECT gen_random_uuid(), c, c, d, d, ${pick(REGION_CODES, 1)}, ${pick(DISTRICTS, 3)},
      ARRAY[${pick(FORMS, 5)}]::text[], ARRAY[]::text[], ARRAY[]::text[], false, 'medium', 'submitted',
      'v1', 'consent', ${pick(KINDS, 7)}, ${pick(AGES, 11)}, ${pick(GENDERS, 13)},
      ARRAY[${pick(ETHNICITIES, 17)}]::text[], ARRAY[]::text[], null, true, c
    FROM (SELECT i, ('2025-01-01'::date + ((i * 7919) % 730))::date AS d,
      md5('child' || (i / 2))::uuid AS c FROM generate_series(1, ${n}) AS i) s`.execute(ctx.db);
  await sql`ANALYZE referral_fact`.execute(ctx.db);
}

/** Empties the statistics cache: the next call computes from the facts. */
async function forget(ctx: TestContext): Promise<void> {
  await sql`SELECT nextval('fact_change_seq')`.execute(ctx.db);
}

type Costs = typeof releaseCosts & typeof auditWork;
const costsNow = (): Costs => ({ ...releaseCosts, ...auditWork });

async function time(
  ctx: TestContext,
  fn: () => Promise<unknown>,
): Promise<{ cold: number; warm: number; costs: Costs }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const before = costsNow();
  let after = before;
  for (let r = 0; r < repeat; r++) {
    await forget(ctx);
    let t0 = performance.now();
    await fn();
    cold.push(performance.now() - t0);
    after = costsNow();
    t0 = performance.now();
    await fn();
    warm.push(performance.now() - t0);
  }
  const median = (list: number[]) =>
    percentile(
      [...list].sort((a, b) => a - b),
      50,
    );
  // Suppression and interval audit inside the cold runs, per run.
  const costs = Object.fromEntries(
    Object.keys(before).map((k) => [k, (after[k as keyof Costs] - before[k as keyof Costs]) / repeat]),
  ) as Costs;
  return { cold: median(cold), warm: median(warm), costs };
}

async function main() {
  const ctx = await createTestContext(driver, { TIAKI_TODAY: '2027-01-20' });
  try {
    await ctx.database.owner.exec('ALTER TABLE referral_fact DROP CONSTRAINT referral_fact_referral_id_fkey');
    const quarter = { from: '2026-07-01', to: '2026-09-30' };
    const steps: [string, () => Promise<unknown>][] = [
      ['referral cube 2026 (months, quarters, year × 17 areas)', () => referralCube(ctx, '2026')],
      ['period release 2026Q3 (every table × 17 areas)', () => periodRelease(ctx, quarter)],
      ['dashboard report 2026Q3, national', () => statisticsReport(ctx, quarter, false)],
      ['weekly cube 2026 (53 weeks × 17 areas)', () => weeklyCube(ctx, 2026)],
      ['quarterly bulletin 2026Q3 (JSON)', () => quarterlyBulletin(ctx, '2026Q3')],
      ['OPSC / CRC pack 2026 (JSON)', () => opscPack(ctx, { from: '2026-01-01', to: '2026-12-31' })],
    ];
    console.log(
      `driver ${driver}, ${repeat} runs each, median; cold = cache emptied first (includes what it needs)`,
    );
    for (const n of sizes) {
      await load(ctx, n);
      console.log(`\n${formatCount(n)} referrals over 2025–2026:`);
      for (const [label, fn] of steps) {
        const { cold, warm, costs } = await time(ctx, fn);
        console.log(
          `  ${label.padEnd(58)} cold ${(cold / 1000).toFixed(2).padStart(6)} s   kept ${warm.toFixed(0).padStart(5)} ms` +
            `   [${costs.releases} releases: suppression ${(costs.linkedMs / 1000).toFixed(2)} s, interval audit ${(costs.auditMs / 1000).toFixed(2)} s over ${costs.audited} hidden small cells (${costs.byWitness} by witnesses, ${costs.whole} on a whole part, ${costs.sliced} on slices, ${costs.skipped} in parts too large, unaudited; largest part ${auditWork.largestPart} cells), ${costs.hiddenByAudit} more hidden]`,
        );
      }
    }
  } finally {
    await ctx.close();
  }
}

await main();
