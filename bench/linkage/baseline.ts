// A deliberately simple linker to measure the engine against: string similarity on names (with
// a nickname table and swapped names), a date-of-birth ladder, a little address evidence, fixed
// weights and greedy one-to-one. No estimation at all. If the engine cannot beat this, it is wrong.
//   npx tsx bench/linkage/baseline.ts A.csv B.csv [--threshold 0.78]
import { parseArgs } from 'node:util';
import { areNicknames, evaluateLinks, jaroWinkler, readRecords, type LinkRecord } from '@tiaki/linkage';

const fold = (s: string | undefined) =>
  (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['ʻ’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const nameSim = (a: string, b: string) =>
  a === '' || b === '' ? 0.5 : a === b ? 1 : areNicknames(a, b) ? 0.95 : jaroWinkler(a, b);

function dobSim(a?: string, b?: string): number {
  if (!a || !b) return 0.45;
  if (a === b) return 1;
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return 0.85;
  let diff = 0;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) diff++;
  if (diff === 1) return 0.75;
  const estimated = (d?: string, m?: string) => d === '01' && (m === '01' || m === '07');
  if (Math.abs(Number(ya) - Number(yb)) <= 1 && (estimated(da, ma) || estimated(db, mb))) return 0.6;
  if (ya === yb && ma === mb) return 0.55;
  return diff === 2 ? 0.45 : 0;
}

function score(a: LinkRecord, b: LinkRecord): number {
  const [ga, fa, gb, fb] = [
    a.givenNames.join(' '),
    a.familyNames.join(' '),
    b.givenNames.join(' '),
    b.familyNames.join(' '),
  ].map(fold) as [string, string, string, string];
  const straight = (nameSim(ga, gb) + nameSim(fa, fb)) / 2;
  const swapped = (nameSim(ga, fb) + nameSim(fa, gb)) / 2 - 0.03;
  let s = 0.6 * Math.max(straight, swapped) + 0.4 * dobSim(a.dateOfBirth, b.dateOfBirth);
  if (a.postcode && a.postcode === b.postcode) s += 0.03;
  if (a.address1 && fold(a.address1) === fold(b.address1) && a.streetNumber === b.streetNumber) s += 0.04;
  if (a.socId && b.socId) s += a.socId === b.socId ? 0.2 : -0.1;
  return s;
}

function keys(r: LinkRecord): string[] {
  const names = [...r.givenNames, ...r.familyNames].map(fold).filter(Boolean);
  const out = names.map((n) => `n:${n.slice(0, 2)}`);
  if (r.dateOfBirth) out.push(`d:${r.dateOfBirth}`);
  return out;
}

/** Greedy one-to-one links scoring at least `threshold`. */
export function baselineLink(
  left: LinkRecord[],
  right: LinkRecord[],
  threshold: number,
): { a: string; b: string; score: number }[] {
  const index = new Map<string, number[]>();
  right.forEach((r, j) => {
    for (const k of keys(r)) index.set(k, [...(index.get(k) ?? []), j]);
  });
  const pairs: { i: number; j: number; s: number }[] = [];
  left.forEach((l, i) => {
    const seen = new Set<number>();
    for (const k of keys(l))
      for (const j of index.get(k) ?? []) {
        if (seen.has(j)) continue;
        seen.add(j);
        const s = score(l, right[j] as LinkRecord);
        if (s >= threshold) pairs.push({ i, j, s });
      }
  });
  pairs.sort((x, y) => y.s - x.s);
  const usedL = new Set<number>();
  const usedR = new Set<number>();
  const out: { a: string; b: string; score: number }[] = [];
  for (const p of pairs) {
    if (usedL.has(p.i) || usedR.has(p.j)) continue;
    usedL.add(p.i);
    usedR.add(p.j);
    out.push({ a: (left[p.i] as LinkRecord).id, b: (right[p.j] as LinkRecord).id, score: p.s });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { threshold: { type: 'string', default: '0.8' } },
  });
  const [fileA, fileB] = positionals;
  if (!fileA || !fileB) throw new Error('usage: baseline.ts A.csv B.csv [--threshold 0.8]');
  const [left, right] = await Promise.all([readRecords(fileA, 'febrl'), readRecords(fileB, 'febrl')]);
  const t0 = performance.now();
  const links = baselineLink(left, right, Number(values.threshold));
  const q = evaluateLinks(
    left.map((r) => r.id),
    right.map((r) => r.id),
    links,
  );
  console.log(
    `baseline  precision ${q.precision.toFixed(4)}  recall ${q.recall.toFixed(4)}  F1 ${q.f1.toFixed(4)}  (${q.predictedPairs} predicted, ${q.truePairs} true; ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
