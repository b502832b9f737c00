// Calibration of a two-file link when each file holds at most one record per child.

/** One scored pair of a two-file link: record indices on each side and log2 posterior odds. */
export interface SidedPair {
  /** Left record (any key unique within the left file). */
  a: string;
  /** Right record. */
  b: string;
  weight: number;
}

export interface OneToOneCalibration {
  /** Estimated number of children in both files. */
  matches: number;
  /** Prior of a random pair: matches ÷ (left records × right records). */
  lambda: number;
  /** EM iterations used. */
  iterations: number;
  /** Match probability of each pair given, in the same order, taking its rivals into account. */
  probabilities: Float64Array;
}

const MAX_ITERATIONS = 500;

/**
 * The prior of a random pair, and each pair's probability, under the constraint the files
 * themselves state: each record has at most one partner in the other file.
 *
 * The model's own prior comes from EM over all pairs taken one by one. Two records of different
 * children that look somewhat alike (namesakes, siblings) each add a little to the expected
 * number of matches, so on files where a common name is shared by many children it counts far
 * more matches than there are records (4,596 for two files of 5,000 with 1,585 children in both,
 * generated seed 1), and every probability is too high. Here the number of matches M is
 * estimated the way a record sees it: a left record has a partner with probability
 * π = M / left records, spread evenly over the right file's records, so given its candidates'
 * Bayes factors B (likelihood ratios, prior taken out) the chance it has a partner is
 * (π / nR) ΣB / ((1 − π) + (π / nR) ΣB). M is the mean of that over both files' records (EM on
 * M alone; the Bayes factors are the model's), and can never exceed the smaller file.
 *
 * A pair's probability then weighs it against the other ways its two records could be
 * explained: "a is b", against "neither has a partner here", "a is another b′" and "another a′ is
 * b". With π for each side, the odds of "a is b" against "neither has a partner among these
 * candidates" are λ B / ((1 − πL)(1 − πR)), and each rival pair adds its own odds on the same
 * scale (in "a is b′" b is left without a partner as b′ is in "a is b"). A pair with no rival keeps
 * its evidence (and gains from 1 / (1 − π): a record that is more likely than not to have a
 * partner and has one candidate is more likely that candidate); a pair whose record has another
 * candidate as good shares the probability. (Configurations where both records have other
 * partners are left out: they are rare among pairs worth a look.)
 *
 * Pairs should include every pair worth a look (a few per cent under the model's prior): a
 * record's weak candidates still count.
 */
export function calibrateOneToOne(
  pairs: readonly SidedPair[],
  modelLambda: number,
  leftRecords: number,
  rightRecords: number,
): OneToOneCalibration {
  const nL = Math.max(1, leftRecords);
  const nR = Math.max(1, rightRecords);
  const cap = Math.min(nL, nR) * 0.999;
  const priorBits = Math.log2(modelLambda / (1 - modelLambda));
  // Bayes factor of each pair, and their sums per record.
  const bayes = new Float64Array(pairs.length);
  const sumA = new Map<string, number>();
  const sumB = new Map<string, number>();
  pairs.forEach((p, k) => {
    const b = 2 ** Math.min(p.weight - priorBits, 1000);
    bayes[k] = b;
    sumA.set(p.a, (sumA.get(p.a) ?? 0) + b);
    sumB.set(p.b, (sumB.get(p.b) ?? 0) + b);
  });
  const sA = [...sumA.values()];
  const sB = [...sumB.values()];
  let matches = Math.min(cap, Math.max(1, modelLambda * nL * nR));
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const piL = matches / nL;
    const piR = matches / nR;
    let left = 0;
    let right = 0;
    for (const s of sA) {
      const o = (piL / nR) * s;
      left += o / (1 - piL + o);
    }
    for (const s of sB) {
      const o = (piR / nL) * s;
      right += o / (1 - piR + o);
    }
    const next = Math.min(cap, Math.max(1e-6, (left + right) / 2));
    const change = Math.abs(next - matches);
    matches = next;
    if (change < 1e-4) break;
  }
  const lambda = matches / (nL * nR);
  const piL = matches / nL;
  const piR = matches / nR;
  // Odds of "a is b" against "neither a nor b has a partner among the candidates".
  const scale = lambda / ((1 - piL) * (1 - piR));
  const probabilities = new Float64Array(pairs.length);
  pairs.forEach((p, k) => {
    const odds = scale * (bayes[k] ?? 0);
    const rivals = scale * ((sumA.get(p.a) ?? 0) + (sumB.get(p.b) ?? 0) - 2 * (bayes[k] ?? 0));
    probabilities[k] = Number.isFinite(odds) ? odds / (1 + odds + Math.max(0, rivals)) : 1;
  });
  return { matches, lambda, iterations, probabilities };
}

/**
 * The threshold that maximises the expected F1 of a one-to-one link under the probabilities
 * themselves: with the pairs taken best first (each record once), linking the k best gives an
 * expected F1 of 2 Σ p (k best) ÷ (k + Σ p (all)). No data set's labels are used; with calibrated
 * probabilities it lands near half the F1 it expects (Lipton et al., 2014), a little under 50 %.
 * Returns the probability of the last pair to link (1 when none).
 */
export function expectedF1Threshold(probabilities: readonly number[]): {
  threshold: number;
  expectedF1: number;
} {
  const sorted = [...probabilities].sort((x, y) => y - x);
  const expected = sorted.reduce((s, p) => s + p, 0);
  let best = 0;
  let bestK = 0;
  let cum = 0;
  sorted.forEach((p, k) => {
    cum += p;
    const f = (2 * cum) / (k + 1 + expected);
    if (f > best) {
      best = f;
      bestK = k + 1;
    }
  });
  return { threshold: bestK === 0 ? 1 : (sorted[bestK - 1] ?? 1), expectedF1: best };
}
