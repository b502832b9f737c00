// Linking records encoded field by field (`layout: 'fields'`): each field's encodings are compared
// on their own, the Dice score of each field is turned into a level (exact, very close, close,
// different), and the levels are weighed with a Fellegi–Sunter model estimated from the encoded
// data alone, as the clear engine does: u from random pairs, m by EM within the candidate pairs,
// bounded, m of the address and identifier from "anchor" pairs, rare names weighing more, and the
// sibling pattern (one family name and home or date of birth, a different given name) not
// counted as evidence of one child. One Dice score over a whole record cannot do that.
import { exclusiveOneToOne } from './one-to-one.ts';
import { candidatePairsFromKeys, hash31, randomSource, ruleKeysFrom } from './blocking.ts';
import { cluster } from './cluster.ts';
import type { EncodedFieldName, EncodedRecord } from './encode.ts';
import {
  decode,
  EncodingError,
  lshKeys,
  popcount,
  type Decoded,
  type EncodedOptions,
  type EncodedPair,
  type EncodedStats,
} from './encoded-decode.ts';
import { KeptPairs } from './pool.ts';

export interface FieldLevelModel {
  fields: {
    field: EncodedFieldName;
    /** Dice similarity at or above which each level starts (exact, very close, close, related). */
    cuts: number[];
    m: number[];
    u: number[];
  }[];
  /** Probability that a candidate pair is one child, before looking at it. */
  prior: number;
  /** The sibling pattern's pairs that are one child (share), or absent when the data holds no households. */
  household?: { pairs: number; siblings: number };
}

// exact, very close, close, related (dates of birth only: the same year), different
const LEVELS = 5;
const CLOSE = 2;
const RELATED = 3;
const DIFFERENT = LEVELS - 1;
const NAME_MAX_DIFFERENT = 0.1;
/**
 * Names at least this similar (Dice of their bigrams) may be related: a letter or two apart in a
 * short name (Mere, Mera: 0.6). Below it two names share a letter or two, not a spelling.
 */
const NAME_MIN_RELATED = 0.5;
const HOUSEHOLD_MAX_M_DIFFERENT = 0.15;
const RANDOM_PAIRS = 100_000;
const ANCHOR_WEIGHT = 50;
/** A rare name weighs at most this much more than an average one. */
const TF_MAX_BITS = 2;
/**
 * Name similarities this close count as a tie when choosing which name forms to compare: the
 * same two unrelated names differ this much between the given-name and family-name encodings.
 */
const TIE = 0.3;

interface Layout {
  fields: EncodedFieldName[];
  /** Word offset and length of each field's encoding within a record's encoding. */
  offset: number[];
  words: number[];
  given: number;
  family: number;
  dob: number;
  address: number;
  socId: number;
}

function layoutOf(records: EncodedRecord[]): Layout {
  const first = records[0];
  const segments = first?.segments;
  const fields = first?.fields;
  if (!segments || !fields || fields.length !== segments.length)
    throw new EncodingError('Records encoded field by field must name their fields and lengths.');
  for (const r of records) {
    if (r.segments?.join(',') !== segments.join(',') || r.fields?.join(',') !== fields.join(','))
      throw new EncodingError(`Encoded record ${r.id} was encoded with another schema.`);
  }
  const offset: number[] = [];
  const words: number[] = [];
  let at = 0;
  for (const bits of segments) {
    offset.push(at);
    words.push(bits / 32);
    at += bits / 32;
  }
  return {
    fields,
    offset,
    words,
    given: fields.indexOf('given'),
    family: fields.indexOf('family'),
    dob: fields.indexOf('dateOfBirth'),
    address: fields.indexOf('address'),
    socId: fields.indexOf('socId'),
  };
}

/** Compares records field by field; keeps the Dice scores of the last pair compared. */
class FieldComparer {
  readonly dice: Float64Array;
  /** The encodings (name forms) of each record that matched best in the last pair. */
  bestA = 0;
  bestB = 0;
  private readonly segPop: Uint16Array;
  private readonly missing: Uint8Array;
  /** Encodings with the names in the other order. */
  private readonly swapped: Uint8Array;

  constructor(
    readonly d: Decoded,
    readonly layout: Layout,
    records: EncodedRecord[],
  ) {
    const f = layout.fields.length;
    this.dice = new Float64Array(f);
    const clks = d.clkOffsets[d.ids.length] ?? 0;
    this.segPop = new Uint16Array(clks * f);
    for (let c = 0; c < clks; c++) {
      for (let k = 0; k < f; k++) {
        let p = 0;
        const o = c * d.words + (layout.offset[k] ?? 0);
        for (let w = 0; w < (layout.words[k] ?? 0); w++) p += popcount(d.bits[o + w] ?? 0);
        this.segPop[c * f + k] = p;
      }
    }
    this.missing = new Uint8Array(records.length * f);
    this.swapped = new Uint8Array(clks);
    records.forEach((r, i) => {
      for (const k of r.missing ?? []) if (k >= 0 && k < f) this.missing[i * f + k] = 1;
      const first = d.clkOffsets[i] ?? 0;
      const count = (d.clkOffsets[i + 1] ?? 0) - first;
      for (const k of r.swapped ?? []) if (k >= 0 && k < count) this.swapped[first + k] = 1;
    });
  }

  isMissing(i: number, k: number): boolean {
    return this.missing[i * this.layout.fields.length + k] === 1;
  }

  segDice(ca: number, cb: number, k: number): number {
    const { d, layout } = this;
    const f = layout.fields.length;
    const oa = ca * d.words + (layout.offset[k] ?? 0);
    const ob = cb * d.words + (layout.offset[k] ?? 0);
    let common = 0;
    for (let w = 0; w < (layout.words[k] ?? 0); w++)
      common += popcount((d.bits[oa + w] ?? 0) & (d.bits[ob + w] ?? 0));
    const total = (this.segPop[ca * f + k] ?? 0) + (this.segPop[cb * f + k] ?? 0);
    return total === 0 ? 0 : (2 * common) / total;
  }

  /** Dice of every field; -1 where one side has no value. Names: the best pair of name forms. */
  compare(i: number, j: number): Float64Array {
    const { d, layout } = this;
    const names = [layout.given, layout.family].filter((k) => k >= 0);
    let best = -1;
    let bestFamily = -1;
    const a0 = d.clkOffsets[i] ?? 0;
    const b0 = d.clkOffsets[j] ?? 0;
    this.bestA = a0;
    this.bestB = b0;
    for (let a = a0; a < (d.clkOffsets[i + 1] ?? 0); a++) {
      for (let b = b0; b < (d.clkOffsets[j + 1] ?? 0); b++) {
        if (this.swapped[a] === 1 && this.swapped[b] === 1) continue;
        let s = 0;
        for (const k of names) s += this.segDice(a, b, k);
        // Equally good either way round (one record written in the other order): the family
        // names side by side, so siblings are seen as a shared family name, not a shared given name.
        const fam = layout.family >= 0 ? this.segDice(a, b, layout.family) : 0;
        if (s > best + TIE || (s > best - TIE && fam > bestFamily)) {
          best = Math.max(s, best);
          bestFamily = fam;
          this.bestA = a;
          this.bestB = b;
        }
      }
    }
    for (let k = 0; k < layout.fields.length; k++) {
      this.dice[k] =
        this.isMissing(i, k) || this.isMissing(j, k) ? -1 : this.segDice(this.bestA, this.bestB, k);
    }
    return this.dice;
  }
}

function levelOf(dice: number, cuts: number[]): number {
  if (dice < 0) return -1;
  for (let l = 0; l < cuts.length; l++) if (dice >= (cuts[l] ?? 1)) return l;
  return DIFFERENT;
}

/**
 * Level cut points per field from random pairs: exact, then the top 0.1 % and 1 % of the rest.
 * The date of birth has one more level, the top 10 %: an estimated date (1 January, 1 July) or
 * another day in the same year shares the year and most of its bigrams, and far more than 1 % of
 * random children are born in the same year, so without it such a date would weigh as one years
 * apart, and one child's estimated date and two children's different dates would weigh alike.
 * The names have it too, at the top 3 %: where names come from small pools, 1 % of random pairs
 * already includes names a letter apart, and one child's name with two letters swapped (Tawhai,
 * Tawahi) falls just below it. Other fields leave that level empty (its cut equals the close one).
 */
function cutsFrom(randomDice: Float64Array[], dob: number, names: number[] = []): number[][] {
  return randomDice.map((values, f) => {
    const rest = Float64Array.from(values.filter((x) => x >= 0 && x < 0.999)).sort();
    const q = (p: number) => rest[Math.min(rest.length - 1, Math.floor(p * rest.length))] ?? 0.999;
    const veryClose = Math.min(0.995, Math.max(q(0.999), 0.5));
    const close = Math.min(veryClose - 0.005, q(0.99));
    const related =
      f === dob
        ? Math.min(close - 0.005, q(0.9))
        : names.includes(f)
          ? Math.min(close - 0.005, Math.max(q(0.97), NAME_MIN_RELATED))
          : close;
    return [0.999, veryClose, close, related];
  });
}

function randomPairList(d: Decoded, mode: 'dedupe' | 'link', count: number, seed: number): Uint32Array {
  const n = d.ids.length;
  const rand = randomSource(seed);
  const left: number[] = [];
  const right: number[] = [];
  for (let r = 0; r < n; r++) (d.source[r] === 0 ? left : right).push(r);
  const out = new Uint32Array(count * 2);
  for (let k = 0; k < count; k++) {
    if (mode === 'link' && left.length > 0 && right.length > 0) {
      out[2 * k] = left[Math.floor(rand() * left.length)] ?? 0;
      out[2 * k + 1] = right[Math.floor(rand() * right.length)] ?? 0;
    } else {
      const i = Math.floor(rand() * n);
      let j = Math.floor(rand() * (n - 1));
      if (j >= i) j++;
      out[2 * k] = i;
      out[2 * k + 1] = j;
    }
  }
  return out;
}

interface Scored {
  kept: KeptPairs;
  stats: EncodedStats;
  model: FieldLevelModel;
  weightOf: (i: number, j: number) => number;
  nameDice: (i: number, j: number) => number;
}

const logit = (p: number) => Math.log2(p / (1 - p));
const sigmoid = (w: number) => 1 / (1 + 2 ** -w);

function run(records: EncodedRecord[], d: Decoded, mode: 'dedupe' | 'link', options: EncodedOptions): Scored {
  const start = performance.now();
  const layout = layoutOf(records);
  const F = layout.fields.length;
  const cmp = new FieldComparer(d, layout, records);
  const n = d.ids.length;

  // Candidate pairs: the clear engine's blocking rules (keyed), plus LSH on the name fields.
  const perRule: number[][][] = [];
  const bands = options.bands ?? 0;
  if (bands > 0) perRule.push(...lshKeys(d, bands, options.bandBits ?? 24, options.seed ?? 1));
  if (options.useBlocks ?? true) perRule.push(records.map((r) => r.blocks.map((b) => hash31(b))));
  const stats: EncodedStats = {
    records: n,
    candidatePairs: 0,
    links: 0,
    blocking: { blocksSkipped: 0, recordsInSkippedBlocks: 0, largestBlock: 0 },
    millis: { candidates: 0, score: 0 },
  };
  const pi: number[] = [];
  const pj: number[] = [];
  const levels: number[] = [];
  const diceOfNames: number[] = [];
  const given: number[] = [];
  const family: number[] = [];
  // Exact names are looked up by their encoding, so a common name weighs less (term frequency).
  const valueId = new Map<string, number>();
  const valueOf = (c: number, k: number): number => {
    if (k < 0) return -1;
    const o = c * d.words + (layout.offset[k] ?? 0);
    const key = `${k}:${d.bits.subarray(o, o + (layout.words[k] ?? 0)).join(',')}`;
    let v = valueId.get(key);
    if (v === undefined) {
      v = valueId.size;
      valueId.set(key, v);
    }
    return v;
  };
  const freq = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const c = d.clkOffsets[r] ?? 0;
    for (const k of [layout.given, layout.family]) {
      if (k < 0 || cmp.isMissing(r, k)) continue;
      const v = valueOf(c, k);
      freq.set(v, (freq.get(v) ?? 0) + 1);
    }
  }

  const random = randomPairList(d, mode, Math.min(RANDOM_PAIRS, n * 20), (options.seed ?? 1) + 7);
  const randomDice = Array.from({ length: F }, () => new Float64Array(random.length / 2));
  for (let k = 0; k + 1 < random.length; k += 2) {
    const s = cmp.compare(random[k] ?? 0, random[k + 1] ?? 0);
    for (let f = 0; f < F; f++) (randomDice[f] as Float64Array)[k / 2] = s[f] ?? -1;
  }
  const cuts = cutsFrom(randomDice, layout.dob, [layout.given, layout.family]);
  const u = randomDice.map((values, f) => {
    const counts = new Array<number>(LEVELS).fill(0.5);
    for (const x of values) {
      const l = levelOf(x, cuts[f] ?? []);
      if (l >= 0) counts[l] = (counts[l] ?? 0) + 1;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  });

  for (const chunk of candidatePairsFromKeys(perRule.map(ruleKeysFrom), n, d.source, {
    mode,
    maxBlockSize: options.maxBlockSize ?? 2000,
    stats: stats.blocking,
  })) {
    for (let k = 0; k + 1 < chunk.length; k += 2) {
      const i = chunk[k] ?? 0;
      const j = chunk[k + 1] ?? 0;
      const s = cmp.compare(i, j);
      pi.push(i);
      pj.push(j);
      let nameSum = 0;
      let nameCount = 0;
      for (let f = 0; f < F; f++) {
        levels.push(levelOf(s[f] ?? -1, cuts[f] ?? []));
        if ((f === layout.given || f === layout.family) && (s[f] ?? -1) >= 0) {
          nameSum += s[f] ?? 0;
          nameCount++;
        }
      }
      diceOfNames.push(nameCount ? nameSum / nameCount : 0);
      given.push(levels[levels.length - F + layout.given] === 0 ? valueOf(cmp.bestA, layout.given) : -1);
      family.push(levels[levels.length - F + layout.family] === 0 ? valueOf(cmp.bestA, layout.family) : -1);
    }
    stats.candidatePairs += chunk.length / 2;
    options.onProgress?.({ phase: 'score', done: stats.candidatePairs });
  }
  stats.millis.candidates = Math.round(performance.now() - start);
  const P = pi.length;
  const lv = (p: number, f: number) => (f < 0 ? -1 : (levels[p * F + f] ?? -1));

  // EM over the candidate pairs' level patterns.
  const patterns = new Map<string, { levels: number[]; count: number }>();
  for (let p = 0; p < P; p++) {
    const ls = levels.slice(p * F, p * F + F);
    const key = ls.join(',');
    const e = patterns.get(key);
    if (e) e.count++;
    else patterns.set(key, { levels: ls, count: 1 });
  }
  let m = layout.fields.map(() => [0.85, 0.07, 0.04, 0.02, 0.02]);
  // At most one partner per record in the smaller file (link) or per record (dedupe): a bound EM
  // cannot pass, or on children's data it takes every sibling pair for a match.
  let sides = 0;
  for (let r = 0; r < n; r++) sides += d.source[r] === 0 ? 1 : 0;
  const partners = mode === 'link' ? Math.min(sides, n - sides) : n;
  // The u probabilities are measured on random pairs, so the prior they combine with is the
  // prior of a random pair, not of a candidate pair: blocking chose the candidates because their
  // names agree, and a prior among candidates would count that agreement twice (with small name
  // pools, thousands of different children share a whole name and would all look certain).
  const allPairs = mode === 'link' ? sides * (n - sides) : (n * (n - 1)) / 2;
  const maxPrior = Math.min(0.9, Math.max(1e-12, partners / Math.max(allPairs, 1)));
  let prior = maxPrior / 2;
  const bound = (f: number, probs: number[]): number[] => {
    const named = f === layout.given || f === layout.family || f === layout.dob;
    const out = probs.map((x) => Math.max(x, 1e-6));
    if (named && (out[DIFFERENT] ?? 0) > NAME_MAX_DIFFERENT) {
      const rest = 1 - (out[DIFFERENT] ?? 0);
      const scale = (1 - NAME_MAX_DIFFERENT) / Math.max(rest, 1e-9);
      for (let l = 0; l < DIFFERENT; l++) out[l] = (out[l] ?? 0) * scale;
      out[DIFFERENT] = NAME_MAX_DIFFERENT;
    }
    const total = out.reduce((a, b) => a + b, 0);
    return out.map((x) => x / total);
  };
  /** Probability that a pair with these levels is one child, under the current m, u and prior. */
  const posterior = (ls: number[]): number => {
    let wm = prior;
    let wu = 1 - prior;
    ls.forEach((l, k) => {
      if (l < 0) return;
      wm *= m[k]?.[l] ?? 1;
      wu *= u[k]?.[l] ?? 1;
    });
    return wm / (wm + wu);
  };
  for (let it = 0; it < 60; it++) {
    const mc = layout.fields.map(() => new Array<number>(LEVELS).fill(0.01));
    let matched = 0;
    for (const { levels: ls, count } of patterns.values()) {
      const g = posterior(ls);
      matched += g * count;
      ls.forEach((l, f) => {
        if (l >= 0) (mc[f] as number[])[l] = (mc[f]?.[l] ?? 0) + g * count;
      });
    }
    const next = mc.map((c, f) =>
      bound(
        f,
        c.map((x) => x / c.reduce((a, b) => a + b, 0)),
      ),
    );
    const change = next.reduce(
      (s, row, f) => s + row.reduce((t, x, l) => t + Math.abs(x - (m[f]?.[l] ?? 0)), 0),
      0,
    );
    m = next;
    prior = Math.min(maxPrior, Math.max(1e-12, matched / Math.max(allPairs, 1)));
    if (change < 1e-6) break;
  }

  // Anchors: pairs agreeing exactly on everything else that identifies a child are (nearly all)
  // one child; they show how often one child's records agree on the address, the identifier
  // and the date of birth, which EM confuses with siblings.
  const anchor = (target: number, others: number[], notSame = -1) => {
    if (target < 0 || others.some((f) => f < 0)) return;
    const counts = new Array<number>(LEVELS).fill(0);
    let seen = 0;
    for (let p = 0; p < P; p++) {
      if (!others.every((f) => lv(p, f) === 0)) continue;
      if (notSame >= 0 && lv(p, notSame) === 0) continue;
      const l = lv(p, target);
      if (l < 0) continue;
      counts[l] = (counts[l] ?? 0) + 1;
      seen++;
    }
    if (seen === 0) return;
    const em = m[target] ?? [];
    m[target] = bound(
      target,
      counts.map((c, l) => (c + ANCHOR_WEIGHT * (em[l] ?? 0)) / (seen + ANCHOR_WEIGHT)),
    );
  };
  // Names too: a given name from pairs with the same family name and date of birth but not the
  // same home (twins share the home), a family name from pairs with the same given name and
  // date of birth.
  const anchors: [number, number[], number][] = [
    [layout.address, [layout.given, layout.family, layout.dob], -1],
    [layout.socId, [layout.given, layout.family, layout.dob], -1],
    [layout.dob, [layout.given, layout.family, layout.address], -1],
    [layout.given, [layout.family, layout.dob], layout.address],
    [layout.family, [layout.given, layout.dob], -1],
  ];
  const before = m.map((row) => [...row]);
  for (const [target, others, notSame] of anchors) {
    const saved = m;
    m = before;
    anchor(target, others, notSame);
    const learnt = m[target];
    m = saved;
    if (learnt && target >= 0) m[target] = learnt;
  }
  // The prior again, with the weights now held.
  for (let it = 0; it < 30; it++) {
    let matched = 0;
    for (const { levels: ls, count: c } of patterns.values()) matched += posterior(ls) * c;
    prior = Math.min(maxPrior, Math.max(1e-12, matched / Math.max(allPairs, 1)));
  }

  // Weights in bits; a closer level never weighs less than plainly different.
  const bayes = m.map((row, f) =>
    row.map((x, l) => Math.log2(Math.max(x, 1e-6) / Math.max(u[f]?.[l] ?? 1e-6, 1e-6))),
  );
  for (const row of bayes) {
    for (let l = 0; l < DIFFERENT; l++) row[l] = Math.max(row[l] ?? 0, row[DIFFERENT] ?? 0);
  }
  const total = n;
  const tfWeight = (f: number, value: number): number | undefined => {
    if (value < 0) return undefined;
    const share = Math.max((freq.get(value) ?? 1) / total, 1 / total);
    const exactU = u[f]?.[0] ?? 1e-6;
    // Rare names count more, common ones less; never beyond what the name's share allows.
    const base = bayes[f]?.[0] ?? 0;
    const tf = Math.log2(Math.max(m[f]?.[0] ?? 1e-6, 1e-6) / Math.max(share, exactU / 50));
    // Bounded: a name rare in this field may be common in the other (names in the other order).
    return Math.min(base + TF_MAX_BITS, tf);
  };

  // The sibling pattern: a family name alike, the same home or date of birth, a given name
  // plainly different (or only loosely alike with another date of birth).
  const household = (p: number): 0 | 1 | 2 => {
    const g = lv(p, layout.given);
    const fam = lv(p, layout.family);
    const dob = lv(p, layout.dob);
    const home = lv(p, layout.address);
    if (g < 0 || fam < 0) return 0;
    if (!(dob === 0 || home === 0)) return 0;
    if (fam > CLOSE) return 0;
    const closeBirth = dob >= 0 && dob <= 1;
    // Born on one day (or a day apart), a given name a letter or two from the other (Mere, Mera;
    // Tene, Tane: the names' related level) is one child's name mistyped more often than twins.
    const givenAlike = g <= 1 || (closeBirth && g <= RELATED);
    return givenAlike ? 1 : 2;
  };
  let agree = 0;
  let differ = 0;
  for (let p = 0; p < P; p++) {
    const h = household(p);
    if (h === 1) agree++;
    else if (h === 2) differ++;
  }
  const mDifferent = Math.min(
    HOUSEHOLD_MAX_M_DIFFERENT,
    (m[layout.given] ?? []).slice(CLOSE).reduce((a, b) => a + b, 0),
  );
  const sameChildDiffering = (agree * mDifferent) / (1 - mDifferent);
  const siblings = differ - sameChildDiffering;
  const householdOn = layout.given >= 0 && siblings >= Math.max(10, 0.5 * differ);

  const householdCap = logit(Math.min(0.99, Math.max(1e-6, sameChildDiffering / Math.max(differ, 1))));
  const priorWeight = logit(Math.min(Math.max(prior, 1e-12), 1 - 1e-9));
  const weightAt = (p: number): number => {
    let w = priorWeight;
    let shared = 0;
    for (let f = 0; f < F; f++) {
      const l = lv(p, f);
      if (l < 0) continue;
      let x = bayes[f]?.[l] ?? 0;
      if (l === 0 && f === layout.given) x = tfWeight(f, given[p] ?? -1) ?? x;
      if (l === 0 && f === layout.family) x = tfWeight(f, family[p] ?? -1) ?? x;
      if (f === layout.family || (f === layout.address && l === 0)) shared += Math.max(0, x);
      w += x;
    }
    // Siblings and twins: what they share is not evidence of one child, and such a pair is never
    // more likely one child than the share of the pattern's pairs that are.
    if (householdOn && household(p) === 2) w = Math.min(w - shared, householdCap);
    return w;
  };
  const kept = new KeptPairs();
  const threshold = options.threshold ?? 0.5;
  const minWeight = logit(Math.min(threshold, 0.1));
  for (let p = 0; p < P; p++) {
    const w = weightAt(p);
    if (w >= minWeight) kept.push(pi[p] ?? 0, pj[p] ?? 0, w);
  }
  stats.millis.score = Math.round(performance.now() - start) - stats.millis.candidates;
  const pairIndex = new Map<number, number>();
  for (let p = 0; p < P; p++) pairIndex.set((pi[p] ?? 0) * n + (pj[p] ?? 0), p);
  const lookup = (i: number, j: number) => pairIndex.get(i * n + j) ?? pairIndex.get(j * n + i);
  return {
    kept,
    stats,
    model: {
      fields: layout.fields.map((field, f) => ({ field, cuts: cuts[f] ?? [], m: m[f] ?? [], u: u[f] ?? [] })),
      prior,
      ...(householdOn ? { household: { pairs: agree + differ, siblings: Math.round(siblings) } } : {}),
    },
    // Pairs never compared (not in one block) are taken as different children.
    weightOf: (i, j) => {
      const p = lookup(i, j);
      return p === undefined ? -Infinity : weightAt(p);
    },
    nameDice: (i, j) => {
      const p = lookup(i, j);
      return p === undefined ? 0 : (diceOfNames[p] ?? 0);
    },
  };
}

function pairsFrom(d: Decoded, s: Scored, threshold: number): EncodedPair[] {
  const out: EncodedPair[] = [];
  const min = logit(threshold);
  for (let k = 0; k < s.kept.length; k++) {
    const w = s.kept.w[k] ?? -Infinity;
    if (w < min) continue;
    const i = s.kept.i[k] ?? 0;
    const j = s.kept.j[k] ?? 0;
    out.push({ a: d.ids[i] ?? '', b: d.ids[j] ?? '', dice: s.nameDice(i, j), probability: sigmoid(w) });
  }
  return out.sort((x, y) => y.probability - x.probability);
}

/** Links two sets of records encoded field by field. */
export function linkEncodedFields(
  left: EncodedRecord[],
  right: EncodedRecord[],
  options: EncodedOptions = {},
): { pairs: EncodedPair[]; model: FieldLevelModel; stats: EncodedStats } {
  const d = decode(left, right);
  const scored = run([...left, ...right], d, 'link', options);
  const threshold = options.threshold ?? 0.5;
  // One partner per record: every pair worth a look competes (a rival below the threshold still
  // makes a pair less certain), then best first at or above the threshold.
  let pairs = pairsFrom(d, scored, options.oneToOne ? Math.min(threshold, 0.1) : threshold);
  if (options.oneToOne) pairs = exclusiveOneToOne(pairs, threshold, (p, q) => ({ ...p, probability: q }));
  scored.stats.links = pairs.length;
  return { pairs, model: scored.model, stats: scored.stats };
}

/** Finds records encoded field by field that are about the same child (same chaining guard as clear text). */
export function deduplicateEncodedFields(
  records: EncodedRecord[],
  options: EncodedOptions = {},
): { pairs: EncodedPair[]; model: FieldLevelModel; stats: EncodedStats; clusters: string[][] } {
  const d = decode(records);
  const scored = run(records, d, 'dedupe', options);
  const threshold = options.threshold ?? 0.5;
  const start = performance.now();
  const { clusterOf } = cluster(
    d.ids.length,
    scored.kept,
    logit(threshold),
    (i, j) => sigmoid(scored.weightOf(i, j)),
    { averageProbability: threshold, minPairProbability: 0 },
  );
  scored.stats.millis.cluster = Math.round(performance.now() - start);
  const groups = new Map<number, string[]>();
  clusterOf.forEach((c, r) => {
    const g = groups.get(c);
    if (g) g.push(d.ids[r] ?? '');
    else groups.set(c, [d.ids[r] ?? '']);
  });
  const pairs = pairsFrom(d, scored, threshold);
  scored.stats.links = pairs.length;
  return {
    pairs,
    model: scored.model,
    stats: scored.stats,
    clusters: [...groups.values()].filter((g) => g.length > 1),
  };
}
