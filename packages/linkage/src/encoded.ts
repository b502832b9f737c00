// Linking encoded records: blocking by locality-sensitive hashing on sampled bits (plus the keyed
// coarse keys), Dice similarity of the encodings, and a match threshold learnt without labels.
import { candidatePairsFromKeys, hash31, ruleKeysFrom } from './blocking.ts';
import { cluster } from './cluster.ts';
import { KeptPairs } from './pool.ts';
import type { EncodedRecord } from './encode.ts';
import {
  decode,
  greedyOneToOne,
  lshKeys,
  popcount,
  type Decoded,
  type EncodedOptions,
  type EncodedPair,
  type EncodedStats,
} from './encoded-decode.ts';
import { deduplicateEncodedFields, linkEncodedFields, type FieldLevelModel } from './encoded-fields.ts';

export { EncodingError, type EncodedOptions, type EncodedPair, type EncodedStats } from './encoded-decode.ts';

export interface Mixture {
  /** Proportion, mean and standard deviation of the matching component. */
  match: { weight: number; mean: number; sd: number };
  nonMatch: { weight: number; mean: number; sd: number };
  /** Smallest Dice similarity whose match probability reaches the threshold. */
  diceThreshold: number;
}

export interface EncodedLinkResult {
  pairs: EncodedPair[];
  /** Record-level encodings: the Dice mixture and threshold learnt. */
  mixture?: Mixture;
  /** Field-level encodings: the Fellegi–Sunter model learnt on the encoded fields. */
  fieldModel?: FieldLevelModel;
  stats: EncodedStats;
}

export interface EncodedDedupeResult extends EncodedLinkResult {
  clusters: string[][];
}

/** Best Dice similarity over the two records' encodings (aliases). */
function dice(d: Decoded, i: number, j: number): number {
  let best = 0;
  const w = d.words;
  for (let a = d.clkOffsets[i] ?? 0; a < (d.clkOffsets[i + 1] ?? 0); a++) {
    for (let b = d.clkOffsets[j] ?? 0; b < (d.clkOffsets[j + 1] ?? 0); b++) {
      let common = 0;
      const oa = a * w;
      const ob = b * w;
      for (let k = 0; k < w; k++) common += popcount((d.bits[oa + k] ?? 0) & (d.bits[ob + k] ?? 0));
      const total = (d.popcounts[a] ?? 0) + (d.popcounts[b] ?? 0);
      const s = total === 0 ? 0 : (2 * common) / total;
      if (s > best) best = s;
    }
  }
  return best;
}

function normalPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
}

/**
 * Two-component Gaussian mixture on Dice scores of candidate pairs, fitted by EM; the threshold is
 * where a pair becomes more likely (or `threshold` likely) to be a match. No labels needed.
 */
export function fitMixture(scores: Float64Array, threshold = 0.5): Mixture {
  const sorted = Float64Array.from(scores).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  let match = { weight: 0.3, mean: Math.max(q(0.9), 0.8), sd: 0.05 };
  let non = { weight: 0.7, mean: Math.min(q(0.3), 0.7), sd: 0.08 };
  for (let it = 0; it < 200 && sorted.length > 1; it++) {
    let sw = 0;
    let sx = 0;
    let sxx = 0;
    let nw = 0;
    let nx = 0;
    let nxx = 0;
    for (const x of sorted) {
      const pm = match.weight * normalPdf(x, match.mean, match.sd);
      const pn = non.weight * normalPdf(x, non.mean, non.sd);
      const g = pm + pn === 0 ? (x > (match.mean + non.mean) / 2 ? 1 : 0) : pm / (pm + pn);
      sw += g;
      sx += g * x;
      sxx += g * x * x;
      nw += 1 - g;
      nx += (1 - g) * x;
      nxx += (1 - g) * x * x;
    }
    const next = (w: number, x: number, xx: number, total: number) => {
      const mean = w > 0 ? x / w : 0;
      return {
        weight: w / total,
        mean,
        sd: Math.max(Math.sqrt(Math.max(xx / Math.max(w, 1e-9) - mean * mean, 0)), 0.005),
      };
    };
    const m2 = next(sw, sx, sxx, sorted.length);
    const n2 = next(nw, nx, nxx, sorted.length);
    const change = Math.abs(m2.mean - match.mean) + Math.abs(n2.mean - non.mean);
    match = m2;
    non = n2;
    if (change < 1e-7) break;
  }
  if (match.mean < non.mean) [match, non] = [non, match];
  const posterior = (x: number) => {
    const pm = match.weight * normalPdf(x, match.mean, match.sd);
    const pn = non.weight * normalPdf(x, non.mean, non.sd);
    return pm + pn === 0 ? (x >= match.mean ? 1 : 0) : pm / (pm + pn);
  };
  // Bisection between the two means; above the match mean every score counts as a match.
  let lo = non.mean;
  let hi = match.mean;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (posterior(mid) >= threshold) hi = mid;
    else lo = mid;
  }
  return { match, nonMatch: non, diceThreshold: hi };
}

/** Match probability of a Dice score; held at its value at the match mean above it, so it never falls as Dice rises. */
export function matchProbability(m: Mixture, dice: number): number {
  const x = Math.min(dice, m.match.mean);
  const pm = m.match.weight * normalPdf(x, m.match.mean, m.match.sd);
  const pn = m.nonMatch.weight * normalPdf(x, m.nonMatch.mean, m.nonMatch.sd);
  return pm + pn === 0 ? (dice >= m.diceThreshold ? 1 : 0) : pm / (pm + pn);
}

function score(
  d: Decoded,
  mode: 'dedupe' | 'link',
  records: EncodedRecord[],
  options: EncodedOptions,
): { kept: KeptPairs; stats: EncodedStats } {
  const start = performance.now();
  const perRule = lshKeys(d, options.bands ?? 32, options.bandBits ?? 16, options.seed ?? 1);
  if (options.useBlocks ?? true) {
    const hashes = records.map((r) => r.blocks.map((b) => hash31(b)));
    perRule.push(hashes);
  }
  const stats: EncodedStats = {
    records: d.ids.length,
    candidatePairs: 0,
    links: 0,
    blocking: { blocksSkipped: 0, recordsInSkippedBlocks: 0, largestBlock: 0 },
    millis: { candidates: 0, score: 0 },
  };
  const kept = new KeptPairs();
  for (const chunk of candidatePairsFromKeys(perRule.map(ruleKeysFrom), d.ids.length, d.source, {
    mode,
    maxBlockSize: options.maxBlockSize ?? 5000,
    stats: stats.blocking,
  })) {
    for (let k = 0; k + 1 < chunk.length; k += 2) {
      const i = chunk[k] ?? 0;
      const j = chunk[k + 1] ?? 0;
      kept.push(i, j, dice(d, i, j));
    }
    stats.candidatePairs += chunk.length / 2;
    options.onProgress?.({ phase: 'score', done: stats.candidatePairs });
  }
  stats.millis.score = Math.round(performance.now() - start);
  return { kept, stats };
}

/**
 * Each record's best and second-best scores: the threshold is learnt on these. Best scores hold
 * the matches (and the best non-match of records without a partner); second-best scores are
 * nearly all non-matches. Together they form two clear groups, unlike all candidate pairs, which
 * are mostly noise from blocking.
 */
function topScores(n: number, kept: KeptPairs, side?: Uint8Array): Float64Array {
  const best = new Float64Array(n).fill(-1);
  const second = new Float64Array(n).fill(-1);
  const offer = (r: number, s: number) => {
    if (s > (best[r] ?? 0)) {
      second[r] = best[r] ?? -1;
      best[r] = s;
    } else if (s > (second[r] ?? 0)) second[r] = s;
  };
  for (let k = 0; k < kept.length; k++) {
    offer(kept.i[k] ?? 0, kept.w[k] ?? 0);
    offer(kept.j[k] ?? 0, kept.w[k] ?? 0);
  }
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    if (side !== undefined && side[r] !== 0) continue;
    if ((best[r] ?? -1) >= 0) out.push(best[r] ?? 0);
    if ((second[r] ?? -1) >= 0) out.push(second[r] ?? 0);
  }
  return Float64Array.from(out);
}

/**
 * A Dice threshold for linking two files, from the data and without labels: a record's
 * second-best score is (nearly always) not its partner, so second-best scores show how high
 * scores between different children reach. At each similarity, compare how many records have
 * their best score there with how many have their second-best there: where the second-best
 * scores are at least half as many, a best score there is as likely a different child as the
 * same one. The threshold is the lowest similarity above which that never happens (bins of
 * 0.01, counted over a window of five). A Gaussian mixture placed it far too high on children's
 * data, where one child's two records are often far apart (a move, a nickname, an estimated
 * date of birth) and siblings close.
 */
export function decoyThreshold(best: Float64Array, second: Float64Array, ratio = 0.5): number | undefined {
  const bins = 101;
  const b = new Float64Array(bins);
  const s = new Float64Array(bins);
  const bin = (x: number) => Math.max(0, Math.min(bins - 1, Math.round(x * 100)));
  for (const x of best) if (x >= 0) b[bin(x)] = (b[bin(x)] ?? 0) + 1;
  for (const x of second) if (x >= 0) s[bin(x)] = (s[bin(x)] ?? 0) + 1;
  if (best.length < 50) return undefined;
  let threshold: number | undefined;
  for (let k = bins - 1; k >= 0; k--) {
    let bw = 0;
    let sw = 0;
    for (let w = Math.max(0, k - 2); w <= Math.min(bins - 1, k + 2); w++) {
      bw += b[w] ?? 0;
      sw += s[w] ?? 0;
    }
    if (bw === 0) continue;
    if (sw >= ratio * bw) break;
    threshold = k / 100;
  }
  return threshold;
}

const CLEARLY_APART = 6;

function bestAndSecond(n: number, kept: KeptPairs, side: Uint8Array): [Float64Array, Float64Array] {
  const best = new Float64Array(n).fill(-1);
  const second = new Float64Array(n).fill(-1);
  const offer = (r: number, x: number) => {
    if (side[r] !== 0) return;
    if (x > (best[r] ?? 0)) {
      second[r] = best[r] ?? -1;
      best[r] = x;
    } else if (x > (second[r] ?? 0)) second[r] = x;
  };
  for (let k = 0; k < kept.length; k++) {
    offer(kept.i[k] ?? 0, kept.w[k] ?? 0);
    offer(kept.j[k] ?? 0, kept.w[k] ?? 0);
  }
  return [best, second];
}

function pairsAbove(d: Decoded, kept: KeptPairs, mixture: Mixture): EncodedPair[] {
  const out: EncodedPair[] = [];
  for (let k = 0; k < kept.length; k++) {
    const s = kept.w[k] ?? 0;
    if (s < mixture.diceThreshold) continue;
    out.push({
      a: d.ids[kept.i[k] ?? 0] ?? '',
      b: d.ids[kept.j[k] ?? 0] ?? '',
      dice: s,
      probability: matchProbability(mixture, s),
    });
  }
  return out.sort((x, y) => y.dice - x.dice);
}

/** Links two sets of encoded records. */
export function linkEncoded(
  left: EncodedRecord[],
  right: EncodedRecord[],
  options: EncodedOptions = {},
): EncodedLinkResult {
  if (left[0]?.segments ?? right[0]?.segments) {
    const res = linkEncodedFields(left, right, options);
    return { pairs: res.pairs, fieldModel: res.model, stats: res.stats };
  }
  const d = decode(left, right);
  const { kept, stats } = score(d, 'link', [...left, ...right], options);
  let mixture = fitMixture(topScores(d.ids.length, kept, d.source), options.threshold ?? 0.5);
  // Where the two groups of scores are clearly apart (FEBRL), the mixture's threshold sits in
  // the gap between them; where they overlap (children's records: moves, nicknames, siblings),
  // its tails are a poor guide and the threshold comes from second-best scores instead.
  const apart = (mixture.match.mean - mixture.nonMatch.mean) / Math.max(mixture.nonMatch.sd, 1e-6);
  if (options.threshold === undefined && apart < CLEARLY_APART) {
    const [best, second] = bestAndSecond(d.ids.length, kept, d.source);
    // Every record has a second-best score, but only records without a partner in the other
    // file have a best score that is not their partner: the second-best scores overstate the
    // wrong best scores by 1 / (share without a partner), estimated from the links themselves.
    const scored = best.filter((x) => x >= 0);
    let decoy = decoyThreshold(best, second);
    for (let it = 0; it < 5 && decoy !== undefined; it++) {
      const t = decoy;
      const withoutPartner = Math.max(
        0.05,
        1 - scored.filter((x) => x >= t).length / Math.max(1, scored.length),
      );
      decoy = decoyThreshold(best, second, 0.5 / withoutPartner) ?? decoy;
    }
    if (decoy !== undefined) mixture = { ...mixture, diceThreshold: decoy };
  }
  let pairs = pairsAbove(d, kept, mixture);
  if (options.oneToOne) pairs = greedyOneToOne(pairs);
  stats.links = pairs.length;
  return { pairs, mixture, stats };
}

/** Finds encoded records about the same child within one set (same chaining guard as clear text). */
export function deduplicateEncoded(
  records: EncodedRecord[],
  options: EncodedOptions = {},
): EncodedDedupeResult {
  if (records[0]?.segments) {
    const res = deduplicateEncodedFields(records, options);
    return { pairs: res.pairs, fieldModel: res.model, stats: res.stats, clusters: res.clusters };
  }
  const d = decode(records);
  const { kept, stats } = score(d, 'dedupe', records, options);
  const threshold = options.threshold ?? 0.5;
  const mixture = fitMixture(topScores(d.ids.length, kept), threshold);
  const start = performance.now();
  // Kept weights are Dice scores here: links are scores at or above the learnt Dice threshold.
  const { clusterOf } = cluster(
    d.ids.length,
    kept,
    mixture.diceThreshold,
    (i, j) => matchProbability(mixture, dice(d, i, j)),
    {
      averageProbability: threshold,
      minPairProbability: 0,
    },
  );
  stats.millis.cluster = Math.round(performance.now() - start);
  const groups = new Map<number, string[]>();
  clusterOf.forEach((c, r) => {
    const g = groups.get(c);
    if (g) g.push(d.ids[r] ?? '');
    else groups.set(c, [d.ids[r] ?? '']);
  });
  const pairs = pairsAbove(d, kept, mixture);
  stats.links = pairs.length;
  return { pairs, mixture, stats, clusters: [...groups.values()].filter((g) => g.length > 1) };
}
