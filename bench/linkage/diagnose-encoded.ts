// Encoded (field by field) two-agency link at several thresholds: plain best-first one-to-one
// against one-to-one with rivals (exclusiveOneToOne).  npx tsx bench/linkage/diagnose-encoded.ts --seed 61 [--overlap 0.6]
import { parseArgs } from 'node:util';
import { Encoder, entityOf, febrlConfig, febrlFieldEncoding, linkEncoded } from '@tiaki/linkage';
import { exclusiveOneToOne } from '../../packages/linkage/src/one-to-one.ts';
import { generateAgencyPair } from '../../packages/linkage/src/generate-agencies.ts';
const { values } = parseArgs({
  options: { seed: { type: 'string', default: '61' }, overlap: { type: 'string' } },
});
const { left, right, overlap } = generateAgencyPair({
  count: 5000,
  seed: Number(values.seed),
  ...(values.overlap ? { overlap: Number(values.overlap) } : {}),
});
const truth = new Set(right.map((r) => entityOf(r.id)));
let T = 0;
for (const l of left) if (truth.has(entityOf(l.id))) T++;
const encoder = new Encoder({ secret: 'benchmark-only-secret' }, febrlFieldEncoding(febrlConfig().blocking));
const res = linkEncoded(
  left.map((r) => encoder.encode(r)),
  right.map((r) => encoder.encode(r)),
  { threshold: 0.1 },
);
const pairs = [...res.pairs].sort((x, y) => y.probability - x.probability);
const isTrue = (p: { a: string; b: string }) => entityOf(p.a) === entityOf(p.b);
const f = (g: { a: string; b: string }[]) => {
  const tp = g.filter(isTrue).length;
  const P = tp / g.length;
  const R = tp / T;
  return `P ${P.toFixed(4)} R ${R.toFixed(4)} F1 ${((2 * P * R) / (P + R)).toFixed(4)} (${g.length}/${T})`;
};
console.log(`seed ${values.seed} overlap ${overlap.toFixed(2)}`);
for (const t of [0.3, 0.5, 0.7]) {
  const ua = new Set<string>();
  const ub = new Set<string>();
  const g = pairs.filter((p) => {
    if (p.probability < t || ua.has(p.a) || ub.has(p.b)) return false;
    ua.add(p.a);
    ub.add(p.b);
    return true;
  });
  console.log(`greedy ${t}: ${f(g)}`);
  console.log(`exclusive ${t}: ${f(exclusiveOneToOne(pairs, t, (p, q) => ({ ...p, probability: q })))}`);
}
