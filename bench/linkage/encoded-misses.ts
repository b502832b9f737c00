// Where the encoded link loses true pairs: never in a block together (blocking), scored below
// 10 % or 50 % (scoring), or above the threshold but given up to a rival (assignment); and what
// the clear fields of the missed pairs look like. Reads the truth from the generated ids.
//   npx tsx bench/linkage/encoded-misses.ts --seed 51 [--show 15]
import { parseArgs } from 'node:util';
import {
  Encoder,
  entityOf,
  febrlConfig,
  febrlFieldEncoding,
  linkEncoded,
  type LinkRecord,
} from '@tiaki/linkage';
import { generateAgencyPair } from '../../packages/linkage/src/generate-agencies.ts';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '51' }, show: { type: 'string', default: '12' } },
});
const { left, right } = generateAgencyPair({ count: 5000, seed: Number(values.seed) });
const encoder = new Encoder({ secret: 'benchmark-only-secret' }, febrlFieldEncoding(febrlConfig().blocking));
const el = left.map((r) => encoder.encode(r));
const er = right.map((r) => encoder.encode(r));
const byEntity = new Map<string, LinkRecord>();
for (const r of right) byEntity.set(entityOf(r.id), r);
const rightBlocks = new Map(er.map((r) => [r.id, new Set(r.blocks)]));
const all = linkEncoded(el, er, { threshold: 0.01 }).pairs;
const one = linkEncoded(el, er, { oneToOne: true }).pairs;
const prob = new Map(all.map((p) => [`${p.a}|${p.b}`, p.probability]));
const linkedA = new Map(one.map((p) => [p.a, p.b]));
const linkedB = new Set(one.map((p) => p.b));
const count: Record<string, number> = {};
const shown: Record<string, number> = {};
const bump = (k: string) => (count[k] = (count[k] ?? 0) + 1);
const show = (k: string, l: LinkRecord, r: LinkRecord, p: number) => {
  if ((shown[k] = (shown[k] ?? 0) + 1) > Number(values.show)) return;
  const f = (x: LinkRecord) =>
    `${x.givenNames.join(' ')} / ${x.familyNames.join(' ')} | ${x.dateOfBirth ?? '-'} | ${x.streetNumber ?? ''} ${x.address1 ?? ''}, ${x.suburb ?? ''} ${x.postcode ?? ''} | ${x.socId ?? ''}`;
  console.log(`  [${k}] p=${p.toFixed(3)}\n    A ${f(l)}\n    B ${f(r)}`);
};
let fp = 0;
for (const p of one) if (entityOf(p.a) !== entityOf(p.b)) fp++;
el.forEach((a, idx) => {
  const l = left[idx] as LinkRecord;
  const r = byEntity.get(entityOf(l.id));
  if (!r) return;
  bump('true pairs');
  if (linkedA.get(l.id) === r.id) return bump('linked');
  const blocks = rightBlocks.get(r.id) ?? new Set();
  const p = prob.get(`${l.id}|${r.id}`) ?? 0;
  let k: string;
  if (!a.blocks.some((b) => blocks.has(b))) k = 'blocking: no shared block';
  else if (p < 0.1) k = 'scoring: p < 0.1';
  else if (p < 0.5) k = 'scoring: 0.1 <= p < 0.5';
  else if (linkedA.has(l.id) || linkedB.has(r.id)) k = 'assignment: a rival won';
  else k = 'assignment: p >= 0.5 but rivals lowered it';
  bump(k);
  show(k, l, r, p);
});
console.log(count, { falsePositives: fp, links: one.length });
// False links: what they look like and how sure the engine was.
const leftById = new Map(left.map((r) => [r.id, r]));
const rightById = new Map(right.map((r) => [r.id, r]));
const fpBands: Record<string, number> = {};
for (const p of one) {
  if (entityOf(p.a) === entityOf(p.b)) continue;
  const band = p.probability >= 0.9 ? '>=0.9' : p.probability >= 0.7 ? '0.7-0.9' : '0.5-0.7';
  fpBands[band] = (fpBands[band] ?? 0) + 1;
  const l = leftById.get(p.a);
  const r = rightById.get(p.b);
  if (l && r)
    show(
      `false link; A's true partner ${byEntity.has(entityOf(l.id)) ? 'exists' : 'absent'}`,
      l,
      r,
      p.probability,
    );
}
console.log(fpBands);
