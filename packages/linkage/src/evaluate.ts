// Precision, recall and F1 against ground truth carried in FEBRL-style ids (rec-N-org, rec-N-dup-k).

/** The entity an id belongs to: "rec-12-dup-3" → "12"; ids without the pattern are their own entity. */
export function entityOf(id: string): string {
  const m = /^rec-(\d+)-(?:org|dup)/.exec(id);
  return m?.[1] ?? id;
}

export interface Quality {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

function quality(truePairs: number, predicted: number, tp: number): Quality {
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs: predicted, truePositives: tp, precision, recall, f1 };
}

const choose2 = (k: number) => (k * (k - 1)) / 2;

/** Pairwise quality of a deduplication, counting every pair inside each predicted cluster. */
export function evaluateClusters(ids: Iterable<string>, clusters: string[][]): Quality {
  const sizes = new Map<string, number>();
  for (const id of ids) {
    const e = entityOf(id);
    sizes.set(e, (sizes.get(e) ?? 0) + 1);
  }
  let truePairs = 0;
  for (const s of sizes.values()) truePairs += choose2(s);
  let predicted = 0;
  let tp = 0;
  for (const c of clusters) {
    predicted += choose2(c.length);
    const within = new Map<string, number>();
    for (const id of c) within.set(entityOf(id), (within.get(entityOf(id)) ?? 0) + 1);
    for (const s of within.values()) tp += choose2(s);
  }
  return quality(truePairs, predicted, tp);
}

/** Quality of links between two sets: true pairs are every (left, right) pair of one entity. */
export function evaluateLinks(
  left: Iterable<string>,
  right: Iterable<string>,
  pairs: { a: string; b: string }[],
): Quality {
  const count = (ids: Iterable<string>) => {
    const m = new Map<string, number>();
    for (const id of ids) m.set(entityOf(id), (m.get(entityOf(id)) ?? 0) + 1);
    return m;
  };
  const l = count(left);
  const r = count(right);
  let truePairs = 0;
  for (const [e, n] of l) truePairs += n * (r.get(e) ?? 0);
  let tp = 0;
  for (const p of pairs) if (entityOf(p.a) === entityOf(p.b)) tp++;
  return quality(truePairs, pairs.length, tp);
}
