// The product path measured, not just the engine (issue 16): several agencies' files about the
// same children (households, siblings and twins; NZ-style spelling, dates and moves; 30–60 % of
// children referred by more than one agency), imported through the real import path into a fresh
// database, the linkage job queue drained, then every referral triaged in arrival order by the
// same service function the triage screen calls (`duplicateCandidates`). A perfect officer
// attaches a referral to the case of the shown candidate that is truly the same child, and opens
// a case otherwise; so a referral's candidates are those a careful officer would see.
// Measured: triage-candidate recall (the true child's case at rank 1, in the top 3) for every
// referral whose child was referred before, candidates shown per referral, why the misses were
// missed, and the distinct-children count against the truth before and after review.
//   BENCH_PGLITE_DIR=/tmp/product16-pglite npx tsx bench/linkage/product-path.ts [--count 20000] [--seed 1] [--agencies 4] [--overlap 0.45]
//   BENCH_DATABASE_PREFIX=product16 npx tsx bench/linkage/product-path.ts --driver postgres
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MATCH_REVIEW, type OrganisationKind } from '@tiaki/domain';
import { defaultChildModel, explain } from '@tiaki/linkage';
import { generateAgencyFiles, type AgencyRecord } from '../../packages/linkage/src/generate-agencies.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { authFor, random, syntheticReferral } from '../../apps/server/src/demo/history.ts';
import { SYSTEM_ACTOR, type Actor } from '../../apps/server/src/modules/audit/service.ts';
import { decryptIdentity } from '../../apps/server/src/modules/child-record/index.ts';
import { importReferrals } from '../../apps/server/src/modules/imports/service.ts';
import { JOB_HANDLERS } from '../../apps/server/src/modules/jobs/handlers.ts';
import { JobWorker } from '../../apps/server/src/modules/jobs/queue.ts';
import { linkRecordOf } from '../../apps/server/src/modules/linkage/index.ts';
import * as organisations from '../../apps/server/src/modules/organisations/service.ts';
import {
  distinctChildren,
  estimatedDistinctChildren,
} from '../../apps/server/src/modules/statistics/facts.ts';
import {
  attachReferral,
  duplicateCandidates,
  openCase,
} from '../../apps/server/src/modules/triage/service.ts';
import * as users from '../../apps/server/src/modules/users/service.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { generateOneTimePassword } from '../../apps/server/src/security/passwords.ts';
import { benchEnv, formatCount, percentile, progressLine, resetTarget, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    agencies: { type: 'string', default: '4' },
    overlap: { type: 'string' },
    driver: { type: 'string', default: 'pglite' },
    dir: { type: 'string', default: '/tmp/product-path-bench' },
    /** Print how the fields compared (levels and weights, never values) for this many misses. */
    'explain-misses': { type: 'string', default: '0' },
    /** Stop triage after this many seconds (a prefix of the arrival order is measured; said so). */
    'triage-budget': { type: 'string' },
    /** Print the figures so far every this many referrals triaged. */
    every: { type: 'string', default: '2000' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const driver = values.driver as Driver;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const log = (line: string) => {
  console.log(line);
};

// 1. The agencies' files, as JSON Lines in the import format. Concerns fall in 2024, so every
// generated child (born 2007–2021) is under 18 then; the truth is in the source ids.
const generated = generateAgencyFiles({
  count,
  seed,
  agencies: Number(values.agencies),
  ...(values.overlap ? { overlap: Number(values.overlap) } : {}),
});
const truthChildren = generated.children;
mkdirSync(values.dir, { recursive: true });
const dayOf = (rand: () => number) =>
  new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 300) * 86_400_000).toISOString().slice(0, 10);
const ageOn = (born: string, on: string) =>
  Number(on.slice(0, 4)) - Number(born.slice(0, 4)) - (on.slice(5) < born.slice(5) ? 1 : 0);

function referralOf(rec: AgencyRecord, rand: () => number, n: number): Record<string, unknown> {
  const concern = dayOf(rand);
  // Gender, ethnicity and iwi belong to the child: drawn from the child's own seed, so every
  // agency records the same; the rest (manifestations, referrer) from the agency's stream.
  const base = syntheticReferral(random(seed * 1_000_003 + rec.child), concern, n);
  const r = rec.record;
  const given = r.givenNames.join(' ');
  const family = r.familyNames.join(' ');
  // No date of birth: the agency estimates the age (within a year).
  const estimatedAge = Math.max(0, Math.min(17, ageOn(rec.born, concern) + Math.floor(rand() * 3) - 1));
  return {
    sourceId: r.id,
    ...base,
    concern: { date: concern, region: r.state ?? base.concern.region },
    child: {
      ...base.child,
      givenNames: given || undefined,
      familyName: family || undefined,
      dateOfBirth: r.dateOfBirth,
      ...(r.dateOfBirth ? {} : { estimatedAge }),
    },
  };
}

const rand = random(seed * 31 + 7);
const files = generated.files.map((file, k) => {
  const path = `${values.dir}/agency-${k}.jsonl`;
  writeFileSync(
    path,
    file.map((rec, n) => JSON.stringify(referralOf(rec, rand, k * 1_000_000 + n))).join('\n') + '\n',
  );
  return { path, records: file.length };
});
log(`## Product path: ${formatCount(count)} referrals, seed ${seed}, ${files.length} agencies, ${driver}`);
log(
  `Generated: ${formatCount(truthChildren)} children; overlap ${(generated.overlap * 100).toFixed(0)} % of children referred by more than one agency; files ${files.map((f) => formatCount(f.records)).join(' / ')}. Load: ${load()}`,
);

// 2. A fresh database, the agencies and their people (as the demo does), the imports.
await resetTarget(driver, 'import');
const ctx = await createContext(loadConfig(benchEnv(driver, 'import')));
const KINDS: OrganisationKind[] = ['police', 'oranga_tamariki', 'health', 'school', 'ngo', 'kaupapa_maori'];
const lead = await organisations.create(ctx, SYSTEM_ACTOR, {
  kind: 'lead_agency',
  name: 'National referral centre (bench)',
  regionsServed: [],
});
await users.create(
  ctx,
  SYSTEM_ACTOR,
  {
    email: 'triage@bench.tiaki.test',
    displayName: 'Bench triage officer',
    organisationId: lead.id,
    roles: ['triage'],
  },
  { mustChangePassword: false, password: generateOneTimePassword() },
);
const agencies: { id: string; actor: Actor; userId: string }[] = [];
for (let k = 0; k < files.length; k++) {
  const org = await organisations.create(ctx, SYSTEM_ACTOR, {
    kind: KINDS[k % KINDS.length] ?? 'ngo',
    name: `Agency ${k + 1} (bench)`,
    regionsServed: [],
  });
  const { user } = await users.create(
    ctx,
    SYSTEM_ACTOR,
    {
      email: `agency${k + 1}@bench.tiaki.test`,
      displayName: `Bench importer ${k + 1}`,
      organisationId: org.id,
      roles: ['frontline'],
    },
    { mustChangePassword: false, password: generateOneTimePassword() },
  );
  agencies.push({
    id: org.id,
    userId: user.id,
    actor: { userId: user.id, organisationId: org.id, requestId: 'bench' },
  });
}

const pendingJobs = async () =>
  Number(
    (
      await ctx.db
        .selectFrom('job')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('kind', '=', 'linkage.score')
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow()
    ).n,
  );

const progress = progressLine();
let importSeconds = 0;
let invalidRows = 0;
for (const [k, file] of files.entries()) {
  const agency = agencies[k];
  if (!agency) continue;
  const t0 = performance.now();
  const report = await importReferrals(
    ctx,
    agency.actor,
    { organisationId: agency.id, userId: agency.userId, apiKeyId: null },
    file.path,
    'jsonl',
    { mode: 'good-rows', threads: 1 },
  );
  importSeconds += seconds(t0);
  invalidRows += report.invalid.length;
  // The queue, drained by the server's own job worker, its size sampled every second.
  const t1 = performance.now();
  const sizes: number[] = [await pendingJobs()];
  const worker = new JobWorker(ctx, JOB_HANDLERS);
  const sampler = setInterval(() => void pendingJobs().then((n) => sizes.push(n)), 1000);
  while ((await worker.runDue()) > 0) progress(`agency ${k + 1}: scoring, ${sizes.at(-1)} jobs left`);
  clearInterval(sampler);
  await worker.stop();
  log(
    `- import agency ${k + 1}: ${formatCount(report.imported)} imported, ${report.invalid.length} rows refused, ${seconds(t0 - 0).toFixed(1)} s in all; linkage queue drained in ${seconds(t1).toFixed(1)} s (jobs waiting, each second: ${sizes.join(' ')}). Load: ${load()}`,
  );
}

// The truth, from the source ids (rec-CHILD-aAGENCY), in arrival order (reference numbers).
const referrals = await ctx.db
  .selectFrom('referral')
  .select(['id', 'reference', 'child_id', 'source_key', 'version'])
  .orderBy('reference')
  .execute();
const truthOf = (sourceKey: string | null) => Number(/^id:rec-(\d+)-a\d+$/.exec(sourceKey ?? '')?.[1] ?? NaN);
const trueDistinct = new Set(referrals.map((r) => truthOf(r.source_key))).size;
const period = { from: '2000-01-01', to: ctx.today() };
const error = (counted: number) => `${(((counted - trueDistinct) / trueDistinct) * 100).toFixed(2)} %`;

// 4a. What the product counts before any person has reviewed a match.
let t = performance.now();
const published0 = await distinctChildren(ctx, period);
const publishedSeconds = seconds(t);
t = performance.now();
const estimated0 = await estimatedDistinctChildren(ctx, period);
const estimateSeconds = seconds(t);
log(
  `Imported ${formatCount(referrals.length)} referrals (${invalidRows} rows refused) about ${formatCount(trueDistinct)} distinct children, in ${importSeconds.toFixed(1)} s.`,
);
log(
  `Distinct children before review: published ${formatCount(published0)} (error ${error(published0)}, ${publishedSeconds.toFixed(1)} s); engine estimate ${formatCount(estimated0.children)} (error ${error(estimated0.children)}, ${estimateSeconds.toFixed(1)} s). Load: ${load()}`,
);

// 3. Triage in arrival order, through the triage screen's own service function.
const triage = await authFor(ctx, 'triage@bench.tiaki.test');
const actor: Actor = { userId: triage.userId, organisationId: triage.organisation.id, requestId: 'bench' };
const caseTruth = new Map<string, number>();
const childrenOf = new Map<number, string[]>(); // truth → child ids already triaged
const model = defaultChildModel();
const ranks: number[] = []; // per referral with an earlier one: 1-based rank of the true case, 0 missing
// The same, had the screen shown only candidates at least 50 % likely (its threshold before issue 16).
const ranksAtHalf: number[] = [];
const shown: number[] = [];
const misses = new Map<string, number>();
const identityOf = async (childId: string) => {
  const row = await ctx.db
    .selectFrom('child as c')
    .leftJoin('referral as r', 'r.child_id', 'c.id')
    .select([
      'c.id',
      'c.identity_enc',
      'c.gender',
      'c.age_band',
      'c.name_index',
      'c.block_index',
      'c.dob_index',
      'r.region',
      'r.received_on',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirstOrThrow();
  return {
    row,
    record: linkRecordOf(row.id, decryptIdentity(ctx.keyring, row.id, row.identity_enc), {
      gender: row.gender,
      region: row.region,
      ageBand: row.age_band,
      seenOn: row.received_on ?? ctx.today(),
    }),
  };
};
let explained = 0;
const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
const at = (k: number, of = ranks) => of.filter((r) => r > 0 && r <= k).length / of.length;
const figures = (done: number) => {
  const sortedShown = [...shown].sort((a, b) => a - b);
  log(
    `Triaged ${formatCount(done)} of ${formatCount(referrals.length)} in ${seconds(t).toFixed(0)} s (${((seconds(t) / done) * 1000).toFixed(0)} ms each). Load: ${load()}`,
  );
  log(
    `  referrals whose child was referred before: ${formatCount(ranks.length)}; recall@1 ${at(1).toFixed(4)}, recall@3 ${at(3).toFixed(4)}, shown at all (top 5) ${at(5).toFixed(4)}; showing only candidates ≥ 50 %: recall@1 ${at(1, ranksAtHalf).toFixed(4)}, recall@3 ${at(3, ranksAtHalf).toFixed(4)}.`,
  );
  log(
    `  candidates shown per referral (threshold ${MATCH_REVIEW.threshold}, at most ${MATCH_REVIEW.limit}): median ${percentile(sortedShown, 50)}, p95 ${percentile(sortedShown, 95)}, max ${sortedShown.at(-1)}; none shown ${shown.filter((x) => x === 0).length}.`,
  );
  log(`  misses (not in the top 3): ${[...misses].map(([why, k]) => `${why}: ${k}`).join('; ') || 'none'}`);
};
const budget = values['triage-budget'] ? Number(values['triage-budget']) : Infinity;
let triaged = 0;
t = performance.now();
for (const [n, referral] of referrals.entries()) {
  if (seconds(t) > budget) break;
  const truth = truthOf(referral.source_key);
  const earlier = childrenOf.get(truth) ?? [];
  const list = await duplicateCandidates(ctx, triage, actor, referral.id);
  shown.push(list.candidates.length);
  const rank = list.candidates.findIndex((c) => c.caseId !== null && caseTruth.get(c.caseId) === truth) + 1;
  if (earlier.length > 0) {
    ranks.push(rank);
    ranksAtHalf.push(
      list.candidates
        .filter((c) => c.score >= 0.5)
        .findIndex((c) => c.caseId !== null && caseTruth.get(c.caseId) === truth) + 1,
    );
    if (rank === 0 || rank > 3) {
      // Why: never compared (no blocking key shared), scored low, or a rival ranked above.
      const probe = await identityOf(referral.child_id);
      let best = 0;
      let blocked = false;
      let bestExplanation: ReturnType<typeof explain> | undefined;
      for (const id of earlier) {
        const other = await identityOf(id);
        blocked ||=
          overlaps(probe.row.name_index, other.row.name_index) ||
          overlaps(probe.row.block_index, other.row.block_index) ||
          (probe.row.dob_index !== null && probe.row.dob_index === other.row.dob_index);
        const e = explain(probe.record, other.record, model);
        if (e.probability >= best) [best, bestExplanation] = [e.probability, e];
      }
      if (explained < Number(values['explain-misses']) && bestExplanation && rank === 0) {
        explained += 1;
        log(
          `  miss ${explained} (${(best * 100).toFixed(1)} %${blocked ? '' : ', not blocked'}): ${bestExplanation.fields
            .map((f) => `${f.comparison}=${f.level} ${f.weight.toFixed(1)}`)
            .join(', ')}; prior ${bestExplanation.prior.toFixed(1)}`,
        );
      }
      const why =
        rank > 3
          ? 'shown at rank 4–5 (rivals above)'
          : !blocked
            ? 'never compared (no blocking key shared)'
            : best < 0.1
              ? 'scored below 10 %'
              : best < 0.5
                ? 'scored 10–50 % (not shown)'
                : 'scored ≥ 50 % but not shown (rivals took the 5 places)';
      misses.set(why, (misses.get(why) ?? 0) + 1);
    }
  }
  // The careful officer: the same child's case if shown, else a new case.
  const match = rank > 0 ? list.candidates[rank - 1] : undefined;
  if (match?.caseId) await attachReferral(ctx, triage, actor, referral.id, match.caseId, referral.version);
  else {
    const opened = await openCase(ctx, triage, actor, referral.id, referral.version);
    caseTruth.set(opened.caseId, truth);
  }
  childrenOf.set(truth, [...earlier, referral.child_id]);
  triaged = n + 1;
  if (triaged % Number(values.every) === 0) figures(triaged);
  progress(`triage ${formatCount(n + 1)} / ${formatCount(referrals.length)} (${seconds(t).toFixed(0)} s)`);
}
process.stderr.write('\n');
figures(triaged);
// 4b. After review by a careful officer: people's links count (partial when the budget ran out:
// the referrals not yet triaged still count as children of their own).
const published1 = await distinctChildren(ctx, period);
const estimated1 = await estimatedDistinctChildren(ctx, period);
log(
  `Distinct children after review${triaged < referrals.length ? ` of the first ${formatCount(triaged)} (the rest untriaged)` : ''}: published ${formatCount(published1)} (error ${error(published1)}); engine estimate ${formatCount(estimated1.children)} (error ${error(estimated1.children)}). True: ${formatCount(trueDistinct)}. Load: ${load()}`,
);
await ctx.database.close();
