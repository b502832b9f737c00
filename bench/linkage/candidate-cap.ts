// How often the triage candidate search's cap (500 blocked children) binds on the product-path
// files, and how often it would leave the true child out: in insertion order (no order, as the
// database met them) and ranked as blockedCandidates ranks them (whole name or date of birth
// shared first, then most shared sound-alike keys, then the newest). Keys are the product's own
// (`blockingKeys` and the normalised whole name); no database, every earlier record a candidate.
//   npx tsx bench/linkage/candidate-cap.ts [count, default 20000]
import { blockingKeys, normaliseName } from '@tiaki/domain';
import { generateAgencyFiles } from '../../packages/linkage/src/generate-agencies.ts';
const count = Number(process.argv[2] ?? 20000);
const g = generateAgencyFiles({ count, seed: 1, agencies: 4 });
const index = new Map<string, number[]>(); // key → earlier record numbers
const keysOf: string[][] = [];
let trueBeyondRanked = 0;
const childOf: number[] = [];
const sizes: number[] = [];
let probes = 0,
  over = 0,
  trueBeyond = 0,
  trueCompared = 0;
let n = 0;
for (const file of g.files)
  for (const rec of file) {
    const r = rec.record;
    const child = {
      givenNames: r.givenNames.join(' '),
      familyName: r.familyNames.join(' '),
      aliases: [] as string[],
      dateOfBirth: r.dateOfBirth,
    };
    const keys = [
      ...blockingKeys(child),
      `n:${normaliseName([child.givenNames, child.familyName].filter(Boolean).join(' '))}`,
    ];
    const hits = new Set<number>();
    for (const k of keys) for (const m of index.get(k) ?? []) hits.add(m);
    sizes.push(hits.size);
    const earlierTrue = [...hits].filter((m) => childOf[m] === rec.child);
    const hadEarlier = childOf.includes(rec.child);
    if (hadEarlier) {
      probes++;
      if (hits.size > 500) over++;
      if (earlierTrue.length > 0) trueCompared++;
      // Physical order: earliest first; the true one beyond the first 500?
      if (earlierTrue.length > 0 && hits.size > 500) {
        const sorted = [...hits].sort((a, b) => a - b);
        if (earlierTrue.every((m) => sorted.indexOf(m) >= 500)) trueBeyond++;
        const score = (m: number) => {
          const ks = keysOf[m] ?? [];
          const strong = ks.some((k) => (k.startsWith('d:') || k.startsWith('n:')) && keys.includes(k))
            ? 1000
            : 0;
          return strong + ks.filter((k) => keys.includes(k)).length;
        };
        const ranked = [...hits]
          .map((m) => [m, score(m)] as const)
          .sort((a, b) => b[1] - a[1] || b[0] - a[0])
          .map(([m]) => m);
        if (earlierTrue.every((m) => ranked.indexOf(m) >= 500)) trueBeyondRanked++;
      }
    }
    for (const k of keys) {
      const l = index.get(k);
      if (l) l.push(n);
      else index.set(k, [n]);
    }
    childOf.push(rec.child);
    keysOf.push(keys);
    n++;
  }
sizes.sort((a, b) => a - b);
const p = (q: number) => sizes[Math.floor((sizes.length - 1) * q)];
console.log({
  count,
  median: p(0.5),
  p90: p(0.9),
  p99: p(0.99),
  max: sizes.at(-1),
  over500: sizes.filter((s) => s > 500).length,
  probes,
  probesOver500: over,
  trueCompared,
  trueBeyond500InOrder: trueBeyond,
  trueBeyond500Ranked: trueBeyondRanked,
});
