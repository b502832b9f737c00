// Pairwise links → children. Plain transitive closure lets a chain of weak links (A~B~C~D~E) merge
// two clearly different children; here two groups merge only if, on average over every pair
// across them, the model still says "same child" (average linkage on match probability).
import { randomSource } from './blocking.ts';
import type { KeptPairs } from './pool.ts';

export interface ClusterOptions {
  /** Match probability a merge needs, averaged over all pairs across the two groups. */
  averageProbability: number;
  /** A merge is refused if any pair across the groups is at most this likely (clearly two children). */
  minPairProbability: number;
  /** Above this many cross pairs, a fixed, evenly spread sample of them is scored. */
  maxCrossPairs?: number;
}

export interface Clustering {
  /** Cluster number of each record (the smallest record index in its cluster). */
  clusterOf: Int32Array;
  mergesRejected: number;
}

export function cluster(
  n: number,
  links: KeptPairs,
  minLinkWeight: number,
  probability: (i: number, j: number) => number,
  options: ClusterOptions,
): Clustering {
  const maxCross = options.maxCrossPairs ?? 400;
  const parent = new Int32Array(n);
  for (let r = 0; r < n; r++) parent[r] = r;
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    let r = x;
    while ((parent[r] ?? r) !== r) r = parent[r] ?? r;
    let y = x;
    while ((parent[y] ?? y) !== r) {
      const next = parent[y] ?? y;
      parent[y] = r;
      y = next;
    }
    return r;
  };
  // Strongest links first.
  const order = new Uint32Array(links.length);
  let count = 0;
  for (let k = 0; k < links.length; k++) if ((links.w[k] ?? -Infinity) >= minLinkWeight) order[count++] = k;
  const sorted = order.subarray(0, count).sort((a, b) => (links.w[b] ?? 0) - (links.w[a] ?? 0));
  let mergesRejected = 0;
  for (const k of sorted) {
    const ri = find(links.i[k] ?? 0);
    const rj = find(links.j[k] ?? 0);
    if (ri === rj) continue;
    const a = members.get(ri) ?? [ri];
    const b = members.get(rj) ?? [rj];
    if (a.length > 1 || b.length > 1) {
      const total = a.length * b.length;
      let sum = 0;
      let min = 1;
      const add = (p: number) => {
        sum += p;
        if (p < min) min = p;
      };
      if (total <= maxCross) {
        for (const x of a) for (const y of b) add(probability(x, y));
      } else {
        const rand = randomSource(k);
        for (let t = 0; t < maxCross; t++) {
          add(probability(a[Math.floor(rand() * a.length)] ?? 0, b[Math.floor(rand() * b.length)] ?? 0));
        }
      }
      if (sum / Math.min(total, maxCross) < options.averageProbability || min <= options.minPairProbability) {
        mergesRejected++;
        continue;
      }
    }
    const [big, small, bigRoot, smallRoot] = a.length >= b.length ? [a, b, ri, rj] : [b, a, rj, ri];
    parent[smallRoot] = bigRoot;
    for (const x of small) big.push(x);
    members.set(bigRoot, big);
    members.delete(smallRoot);
  }
  const clusterOf = new Int32Array(n);
  const label = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const root = find(r);
    let l = label.get(root);
    if (l === undefined) {
      l = r;
      label.set(root, r);
    }
    clusterOf[r] = l;
  }
  return { clusterOf, mergesRejected };
}
