// Where the NZ two-agency errors come from: calibration of the match probability, the one-to-one
// result at several thresholds, and the true pairs missed (never compared, scored low, or taken
// by another pair in the one-to-one step).
//   npx tsx bench/linkage/diagnose.ts --seed 61 [--overlap 0.6] [--show 20]
import { parseArgs } from 'node:util';
import { entityOf, explain, febrlConfig, link, type LinkRecord, type ScoredPair } from '@tiaki/linkage';
import { exclusiveOneToOne } from '../../packages/linkage/src/one-to-one.ts';
import { generateAgencyPair } from '../../packages/linkage/src/generate-agencies.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '61' },
    count: { type: 'string', default: '5000' },
    overlap: { type: 'string' },
    show: { type: 'string', default: '0' },
  },
});
const { left, right, overlap } = generateAgencyPair({
  count: Number(values.count),
  seed: Number(values.seed),
  ...(values.overlap ? { overlap: Number(values.overlap) } : {}),
});
const res = await link(left, right, { config: febrlConfig(), threshold: 0.02, reviewThreshold: 0.02 });
const truth = new Set<string>();
const rightByEntity = new Map(right.map((r) => [entityOf(r.id), r]));
for (const l of left) if (rightByEntity.has(entityOf(l.id))) truth.add(entityOf(l.id));
const isTrue = (p: ScoredPair) => entityOf(p.a) === entityOf(p.b);
console.log(
  `seed ${values.seed} overlap ${overlap.toFixed(2)} true pairs ${truth.size}, lambda ${res.model.lambda.toExponential(2)}`,
);
const buckets = [0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01];
for (let b = 0; b < buckets.length - 1; b++) {
  const inB = res.pairs.filter(
    (p) => p.probability >= (buckets[b] ?? 0) && p.probability < (buckets[b + 1] ?? 0),
  );
  const t = inB.filter(isTrue).length;
  const mean = inB.reduce((s, p) => s + p.probability, 0) / Math.max(1, inB.length);
  console.log(
    `  p in [${buckets[b]}, ${buckets[b + 1]}): ${inB.length} pairs, true ${t} (${(t / Math.max(1, inB.length)).toFixed(2)}), mean p ${mean.toFixed(2)}`,
  );
}
function greedy(pairs: ScoredPair[], min: number): ScoredPair[] {
  const ua = new Set<string>();
  const ub = new Set<string>();
  return pairs.filter((p) => {
    if (p.probability < min || ua.has(p.a) || ub.has(p.b)) return false;
    ua.add(p.a);
    ub.add(p.b);
    return true;
  });
}
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7]) {
  const g = greedy(res.pairs, t);
  const tp = g.filter(isTrue).length;
  const P = tp / g.length;
  const R = tp / truth.size;
  console.log(
    `  one-to-one at ${t}: P ${P.toFixed(4)} R ${R.toFixed(4)} F1 ${((2 * P * R) / (P + R)).toFixed(4)}`,
  );
}
const review = res.pairs.filter((p) => p.probability >= 0.1);
for (const t of [0.3, 0.4, 0.5, 0.6]) {
  const g = exclusiveOneToOne(review, t, (p, q) => ({ ...p, probability: q }));
  const tp = g.filter(isTrue).length;
  const P = tp / g.length;
  const R = tp / truth.size;
  console.log(
    `  exclusive one-to-one at ${t}: P ${P.toFixed(4)} R ${R.toFixed(4)} F1 ${((2 * P * R) / (P + R)).toFixed(4)}`,
  );
}
const chosen = greedy(res.pairs, 0.5);
const chosenSet = new Set(chosen.map((p) => `${p.a}|${p.b}`));
const scoredTrue = new Map(res.pairs.filter(isTrue).map((p) => [entityOf(p.a), p]));
let never = 0;
let low = 0;
let taken = 0;
const lowCases: ScoredPair[] = [];
for (const e of truth) {
  const p = scoredTrue.get(e);
  if (!p) never++;
  else if (p.probability < 0.5) {
    low++;
    lowCases.push(p);
  } else if (!chosenSet.has(`${p.a}|${p.b}`)) taken++;
}
const fp = chosen.filter((p) => !isTrue(p));
console.log(
  `  misses: below 2% or not compared ${never}, scored 2–50% ${low}, lost in one-to-one ${taken}; false links ${fp.length}`,
);
const show = Number(values.show);
const byId = new Map<string, LinkRecord>([...left, ...right].map((r) => [r.id, r]));
const fmt = (r: LinkRecord | undefined) => JSON.stringify(r);
const detail = (p: ScoredPair) => {
  const a = byId.get(p.a);
  const b = byId.get(p.b);
  console.log(`  ${p.probability.toFixed(3)} ${fmt(a)}\n        ${fmt(b)}`);
  if (a && b) {
    const x = explain(a, b, res.model);
    console.log(
      '        ' + x.fields.map((f) => `${f.comparison}:${f.level}:${f.weight.toFixed(1)}`).join(' | '),
    );
  }
};
if (show > 0) {
  console.log('--- false links');
  for (const p of fp.slice(0, show)) detail(p);
  console.log('--- missed, scored below 50%');
  for (const p of lowCases.slice(0, show)) detail(p);
}
if (process.env.DUMP) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    process.env.DUMP,
    JSON.stringify(res.pairs.filter((p) => p.probability >= 0.3).map((p) => [p.a, p.b, p.probability])),
  );
}
if (process.env.CATEGORIES) {
  const tally = new Map<string, number>();
  for (const p of lowCases) {
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    if (!a || !b) continue;
    const x = explain(a, b, res.model);
    const lv = (name: string) =>
      x.fields
        .find((f) => f.comparison === name)
        ?.level.split(' ')
        .slice(0, 2)
        .join(' ') ?? '';
    const moved = x.fields.some((f) => f.comparison === 'address' && /move/.test(f.level))
      ? 'moved'
      : 'addr-other';
    const key = `${lv('given name')} | ${lv('family name')} | ${lv('date of birth')} | ${moved}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  for (const [k, v] of [...tally].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${v}  ${k}`);
}
if (process.env.GIVEN) {
  for (const p of lowCases) {
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    if (!a || !b) continue;
    const x = explain(a, b, res.model);
    if (!/^different/.test(x.fields[0]?.level ?? '')) continue;
    console.log(
      `  ${p.probability.toFixed(2)} ${x.fields[0]?.valueA} ~ ${x.fields[0]?.valueB} | ${x.fields[1]?.valueA} ~ ${x.fields[1]?.valueB} | ${x.fields.at(-1)?.comparison}`,
    );
  }
}
