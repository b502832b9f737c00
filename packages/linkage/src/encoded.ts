// Linking encoded records: blocking by locality-sensitive hashing on sampled bits (plus the keyed
// coarse keys), Dice similarity of the encodings, and a match threshold learnt without labels.
import {
  candidatePairsFromKeys,
  hash31,
  randomSource,
  ruleKeysFrom,
  type BlockingStats,
} from './blocking.ts';
import { cluster } from './cluster.ts';
import { KeptPairs } from './pool.ts';
import type { EncodedRecord } from './encode.ts';

export interface EncodedOptions {
  /** LSH bands: each band is `bandBits` bit positions that must all agree. More bands find more pairs. */
  bands?: number;
  bandBits?: number;
  /** Use the coarse keyed blocks too (default true). */
  useBlocks?: boolean;
  /** Match probability for a link (default 0.5), from the two-part mixture fitted to Dice scores. */
  threshold?: number;
  /** Each record links to at most one of the other set (link only). */
  oneToOne?: boolean;
  maxBlockSize?: number;
  seed?: number;
  onProgress?: (event: { phase: 'candidates' | 'score' | 'cluster'; done: number }) => void;
}

export interface EncodedPair {
  a: string;
  b: string;
  dice: number;
  probability: number;
}

export interface Mixture {
  /** Proportion, mean and standard deviation of the matching component. */
  match: { weight: number; mean: number; sd: number };
  nonMatch: { weight: number; mean: number; sd: number };
  /** Smallest Dice similarity whose match probability reaches the threshold. */
  diceThreshold: number;
}

export interface EncodedStats {
  records: number;
  candidatePairs: number;
  links: number;
  blocking: BlockingStats;
  millis: { candidates: number; score: number; cluster?: number };
}

export interface EncodedLinkResult {
  pairs: EncodedPair[];
  mixture: Mixture;
  stats: EncodedStats;
}

export interface EncodedDedupeResult extends EncodedLinkResult {
  clusters: string[][];
}

export class EncodingError extends Error {
  override name = 'EncodingError';
}

interface Decoded {
  ids: string[];
  /** Words of every encoding, `words` per encoding. */
  bits: Uint32Array;
  /** Encodings of record r: clkOffsets[r] .. clkOffsets[r+1]-1. */
  clkOffsets: Uint32Array;
  popcounts: Uint16Array;
  words: number;
  source: Uint8Array;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function decode(...sets: EncodedRecord[][]): Decoded {
  const all = sets.flatMap((s, k) => s.map((r) => ({ r, k })));
  let words = 0;
  const clks: Uint32Array[] = [];
  const clkOffsets = new Uint32Array(all.length + 1);
  all.forEach(({ r }, idx) => {
    if (r.clks.length === 0) throw new EncodingError(`Encoded record ${r.id} has no encoding.`);
    for (const c of r.clks) {
      const buf = Buffer.from(c, 'base64');
      if (buf.length === 0 || buf.length % 4 !== 0)
        throw new EncodingError(`Encoded record ${r.id}: not a valid encoding.`);
      if (words === 0) words = buf.length / 4;
      if (buf.length / 4 !== words) {
        throw new EncodingError(`Encoded record ${r.id}: ${buf.length * 8} bits, others have ${words * 32}.`);
      }
      clks.push(new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)));
    }
    clkOffsets[idx + 1] = clks.length;
  });
  const bits = new Uint32Array(clks.length * words);
  const popcounts = new Uint16Array(clks.length);
  clks.forEach((c, k) => {
    bits.set(c, k * words);
    let p = 0;
    for (const w of c) p += popcount(w);
    popcounts[k] = p;
  });
  return {
    ids: all.map(({ r }) => r.id),
    bits,
    clkOffsets,
    popcounts,
    words,
    source: Uint8Array.from(all.map(({ k }) => k)),
  };
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

function lshKeys(d: Decoded, bands: number, bandBits: number, seed: number): number[][][] {
  const rand = randomSource(seed);
  const totalBits = d.words * 32;
  const positions = Array.from({ length: bands }, () =>
    Array.from({ length: bandBits }, () => Math.floor(rand() * totalBits)),
  );
  const n = d.ids.length;
  return positions.map((band, b) => {
    const perRecord: number[][] = [];
    for (let r = 0; r < n; r++) {
      const keys: number[] = [];
      for (let c = d.clkOffsets[r] ?? 0; c < (d.clkOffsets[r + 1] ?? 0); c++) {
        let s = `${b}:`;
        for (const p of band) s += ((d.bits[c * d.words + (p >>> 5)] ?? 0) >>> (p & 31)) & 1 ? '1' : '0';
        keys.push(hash31(s));
      }
      perRecord.push(keys);
    }
    return perRecord;
  });
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
  const d = decode(left, right);
  const { kept, stats } = score(d, 'link', [...left, ...right], options);
  const mixture = fitMixture(topScores(d.ids.length, kept, d.source), options.threshold ?? 0.5);
  let pairs = pairsAbove(d, kept, mixture);
  if (options.oneToOne) {
    const usedA = new Set<string>();
    const usedB = new Set<string>();
    pairs = pairs.filter((p) => {
      if (usedA.has(p.a) || usedB.has(p.b)) return false;
      usedA.add(p.a);
      usedB.add(p.b);
      return true;
    });
  }
  stats.links = pairs.length;
  return { pairs, mixture, stats };
}

/** Finds encoded records about the same child within one set (same chaining guard as clear text). */
export function deduplicateEncoded(
  records: EncodedRecord[],
  options: EncodedOptions = {},
): EncodedDedupeResult {
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
