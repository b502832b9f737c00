// One partner per record when two files each hold one record per child.

/**
 * When each record has at most one partner in the other file, a pair is one child only if no
 * rival pair of either record is: "a is b", "a is b′" and "a′ is b" exclude one another. From
 * each pair's odds o (its Fellegi–Sunter probability p as p / (1 − p)), the probability that a is
 * b and neither has another partner is o / (1 + Σ o over the pairs of a + Σ o over the pairs of
 * b − o). A pair with no rival keeps its probability; a pair whose record has a better partner,
 * or two as good (twins), loses it. Then best first, each record once, at or above the threshold.
 *
 * The pairs given should be every pair worth a look (e.g. ≥ 10 %), not only those above the
 * threshold: a rival below the threshold still makes a pair less certain.
 */
export function exclusiveOneToOne<T extends { a: string; b: string; probability: number }>(
  pairs: readonly T[],
  threshold: number,
  withProbability: (pair: T, probability: number) => T,
): T[] {
  const odds = (p: number) => {
    const q = Math.min(Math.max(p, 0), 1 - 1e-12);
    return q / (1 - q);
  };
  const sumA = new Map<string, number>();
  const sumB = new Map<string, number>();
  for (const p of pairs) {
    const o = odds(p.probability);
    sumA.set(p.a, (sumA.get(p.a) ?? 0) + o);
    sumB.set(p.b, (sumB.get(p.b) ?? 0) + o);
  }
  const rescored = pairs.map((p) => {
    const o = odds(p.probability);
    const rivals = (sumA.get(p.a) ?? 0) + (sumB.get(p.b) ?? 0) - 2 * o;
    return withProbability(p, o / (1 + o + Math.max(0, rivals)));
  });
  rescored.sort((x, y) => y.probability - x.probability);
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  return rescored.filter((p) => {
    if (p.probability < threshold || usedA.has(p.a) || usedB.has(p.b)) return false;
    usedA.add(p.a);
    usedB.add(p.b);
    return true;
  });
}
