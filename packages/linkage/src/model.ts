// Fellegi–Sunter: per comparison level, m = P(level | match) and u = P(level | non-match);
// a pair's match weight is log2 prior odds plus the sum of log2(m/u) over fields.
import { buildComparator, comparatorLabel, crossShared, Dataset, type Comparator } from './comparisons.ts';
import { MISSING } from './prepare.ts';
import { damerauLevenshtein } from './text.ts';
import type { ComparisonParameters, FieldExplanation, LinkageConfig, Model } from './types.ts';

const MIN_PROBABILITY = 1e-6;
/** Exact agreement on a field worth this many bits or more is an identifier's (siblings do not share it). */
const IDENTIFIER_BITS = 10;
/**
 * When parts of a group agree, the strongest counts fully and the others at this share: they are
 * not independent (siblings share the whole address), yet in data where each part is mistyped
 * on its own (FEBRL) the agreement of several parts still says more than one.
 */
const GROUP_SHARE = 0.5;

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

export function weightOf(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

/** Default starting m: a match agrees on the best level most of the time. */
function startingM(levels: number): number[] {
  const m = Array.from({ length: levels }, (_, k) =>
    k === 0 ? 0.8 : k === levels - 1 ? 0.04 : 0.16 / (levels - 2),
  );
  return levels === 1 ? [1] : levels === 2 ? [0.9, 0.1] : m;
}

function startingU(levels: number): number[] {
  return Array.from({ length: levels }, (_, k) => (k === levels - 1 ? 0.9 : 0.1 / (levels - 1)));
}

/** A model with textbook starting parameters, before estimation. */
export function buildModel(config: LinkageConfig): Model {
  const d = new Dataset([], {
    n: 0,
    nameOffsets: new Uint32Array(1),
    given: new Int32Array(0),
    family: new Int32Array(0),
    dob: new Int32Array(0),
    bornLo: new Int32Array(0),
    bornHi: new Int32Array(0),
    text: {},
    source: new Uint8Array(0),
  });
  const comparisons: ComparisonParameters[] = config.comparisons.map((spec) => {
    const c = buildComparator(d, spec);
    const m = startingM(c.levels.length);
    const u = startingU(c.levels.length);
    return {
      label: comparatorLabel(spec),
      levels: c.levels.map((label, k) => ({
        label,
        m: m[k] ?? 0,
        u: u[k] ?? 0,
        ...(c.neutral[k] ? { neutral: true } : {}),
      })),
    };
  });
  return {
    version: 1,
    config,
    lambda: 1e-3,
    comparisons,
    termFrequencies: {},
    training: { candidatePairs: 0, emIterations: 0, converged: false, randomPairs: 0 },
  };
}

/** Scores pairs of one prepared data set with one model. One per thread. */
export class Scorer {
  readonly comparators: Comparator[];
  /** Levels of the last compared pair, -1 for missing. */
  readonly levels: Int8Array;
  readonly tfValues: Int32Array;
  readonly radices: number[];
  private bayes: Float64Array[] = [];
  private tfAdjust: (Float64Array | null)[] = [];
  private prior = 0;
  /** Group number of each comparison (-1: none), for fields that change together. */
  private readonly groupOf: Int8Array;
  private readonly groupSum: Float64Array;
  private readonly groupMin: Float64Array;
  private readonly groupMax: Float64Array;
  private readonly groupPositive: Float64Array;
  private readonly groupAgrees: Uint8Array;
  private readonly groupSeen: Uint8Array;
  private readonly groupAgreeing: Uint8Array;
  private readonly groupPresent: Uint8Array;
  private readonly groupNames: string[];
  /** Groups weighed as one comparison (model.groupChains): comparisons finest first, corrections s*2+a. */
  private chains: { order: Int32Array; bits: Float64Array }[] = [];
  private readonly given: number;
  private readonly family: number;
  private readonly dob: number;
  private readonly address: number;
  /** What the rules below changed in the last weight: address counted once, the household rule. */
  lastGroupAdjustment = 0;
  lastHouseholdAdjustment = 0;
  /** The address group's share of lastGroupAdjustment. */
  private lastAddressAdjustment = 0;
  private householdWeight: number | undefined;
  /** The given-name level for swapped names, and log2 of its m (how often one child's names are swapped). */
  private readonly swapLevel: number;
  private swapBits = -Infinity;
  /** The pair last compared. */
  private pairI = 0;
  private pairJ = 0;

  constructor(
    readonly data: Dataset,
    readonly config: LinkageConfig,
    model?: Model,
  ) {
    this.comparators = config.comparisons.map((spec) => buildComparator(data, spec));
    this.levels = new Int8Array(this.comparators.length);
    this.tfValues = new Int32Array(this.comparators.length);
    this.radices = this.comparators.map((c) => c.levels.length + 1);
    const groups: string[] = [];
    this.groupOf = Int8Array.from(config.comparisons, (spec) => {
      if (spec.kind !== 'text' || !spec.group) return -1;
      if (!groups.includes(spec.group)) groups.push(spec.group);
      return groups.indexOf(spec.group);
    });
    this.groupSum = new Float64Array(groups.length);
    this.groupMin = new Float64Array(groups.length);
    this.groupMax = new Float64Array(groups.length);
    this.groupPositive = new Float64Array(groups.length);
    this.groupAgrees = new Uint8Array(groups.length);
    this.groupSeen = new Uint8Array(groups.length);
    this.groupAgreeing = new Uint8Array(groups.length);
    this.groupPresent = new Uint8Array(groups.length);
    this.groupNames = groups;
    this.given = config.comparisons.findIndex((c) => c.kind === 'givenName');
    this.family = config.comparisons.findIndex((c) => c.kind === 'familyName');
    this.dob = config.comparisons.findIndex((c) => c.kind === 'dateOfBirth');
    this.address = groups.indexOf('address');
    this.swapLevel =
      this.given >= 0
        ? (this.comparators[this.given]?.levels.indexOf('given and family names swapped') ?? -1)
        : -1;
    if (model) this.setModel(model);
  }

  /**
   * How much more often a name is written as a family name than as a given name in the data the
   * model was learnt on (positive: mostly a family name), from its term frequencies: so a pair is
   * judged the same in a run and in the explanation of that one pair.
   */
  private familyLeaning: (id: number) => number = () => 0;

  setModel(model: Model): void {
    this.prior = weightOf(model.lambda);
    const givenCounts = model.termFrequencies['given name']?.counts ?? {};
    const familyCounts = model.termFrequencies['family name']?.counts ?? {};
    this.familyLeaning = (id) => {
      const name = this.data.str(id);
      return (familyCounts[name] ?? 0) - (givenCounts[name] ?? 0);
    };
    this.householdWeight = model.household?.weight;
    this.chains = this.groupNames.map(() => ({ order: new Int32Array(0), bits: new Float64Array(0) }));
    for (const [name, chain] of Object.entries(model.groupChains ?? {})) {
      const g = this.groupNames.indexOf(name);
      if (g < 0) continue;
      const bits = new Float64Array(chain.order.length * 4);
      const flat = chain.bits.flatMap((row) => row.flat());
      flat.forEach((v, x) => {
        if (x < bits.length) bits[x] = v;
      });
      this.chains[g] = { order: Int32Array.from(chain.order), bits };
    }
    const swap = model.comparisons[this.given]?.levels[this.swapLevel];
    this.swapBits = swap ? Math.log2(Math.max(swap.m, MIN_PROBABILITY)) : -Infinity;
    this.bayes = model.comparisons.map((c) => {
      const w = new Float64Array(c.levels.length + 1); // last slot: missing, no evidence
      c.levels.forEach((l, k) => {
        w[k] = l.neutral ? 0 : Math.log2(Math.max(l.m, MIN_PROBABILITY) / Math.max(l.u, MIN_PROBABILITY));
      });
      return w;
    });
    // Term frequencies: an exact match on a rare name is stronger evidence than on a common one.
    this.tfAdjust = this.comparators.map((c, k) => {
      if (c.tfLevel < 0) return null;
      const params = model.comparisons[k];
      const table = model.termFrequencies[c.label];
      if (!params || !table || table.total === 0) return null;
      const uExact = Math.max(params.levels[c.tfLevel]?.u ?? 0, MIN_PROBABILITY);
      const adjust = new Float64Array(this.data.strings.length);
      const floor = 1 / table.total;
      for (let id = 0; id < adjust.length; id++) {
        const count = table.counts[this.data.strings[id] ?? ''] ?? 1;
        adjust[id] = Math.log2(uExact / Math.max(count / table.total, floor));
      }
      return adjust;
    });
  }

  /** Fills `levels` and returns the pattern number (mixed radix over comparison levels). */
  pattern(i: number, j: number): number {
    this.pairI = i;
    this.pairJ = j;
    let p = 0;
    let mult = 1;
    const cs = this.comparators;
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k] as Comparator;
      const level = c.compare(i, j);
      this.levels[k] = level;
      this.tfValues[k] = c.tfValue;
      const radix = this.radices[k] ?? 1;
      p += (level < 0 ? radix - 1 : level) * mult;
      mult *= radix;
    }
    return p;
  }

  /** log2 posterior odds that i and j are the same person. */
  weight(i: number, j: number): number {
    this.pattern(i, j);
    return this.weightOfLast();
  }

  /** Weight of one comparison at the level last compared, term frequency included (0 if missing). */
  private fieldWeight(k: number): number {
    const level = this.levels[k] ?? -1;
    const table = this.bayes[k];
    if (level < 0 || !table) return 0;
    let w = table[level] ?? 0;
    const c = this.comparators[k] as Comparator;
    if (level === c.tfLevel) {
      const tv = this.tfValues[k] ?? MISSING;
      const adj = this.tfAdjust[k];
      if (adj && tv !== MISSING) w += adj[tv] ?? 0;
    }
    if (k === this.given && level === this.swapLevel) w = Math.max(w, this.exactSwapWeight());
    return w;
  }

  /**
   * Given and family names swapped with both exactly as the other wrote them (Harris Nicholas,
   * Nicholas Harris): at least the evidence of both names agreeing exactly (term frequencies
   * included), less how rarely one child's names are written the other way round (m of the
   * swapped level). The swapped level's own weight is learnt mostly from looser swaps (one name a
   * typing error or another form), and undervalues this one. -Infinity when not an exact swap.
   */
  private exactSwapWeight(): number {
    const c = this.data.columns;
    const gi = c.given[c.nameOffsets[this.pairI] ?? 0] ?? MISSING;
    const fi = c.family[c.nameOffsets[this.pairI] ?? 0] ?? MISSING;
    const gj = c.given[c.nameOffsets[this.pairJ] ?? 0] ?? MISSING;
    const fj = c.family[c.nameOffsets[this.pairJ] ?? 0] ?? MISSING;
    if (gi === MISSING || fi === MISSING || gi !== fj || fi !== gj || gi === fi) return -Infinity;
    const g = this.bayes[this.given]?.[0] ?? 0;
    const f = this.bayes[this.family]?.[0] ?? 0;
    const tg = this.tfAdjust[this.given]?.[gi] ?? 0;
    const tf = this.tfAdjust[this.family]?.[fi] ?? 0;
    return g + tg + f + tf + this.swapBits;
  }

  weightOfLast(): number {
    let w = this.prior;
    const cs = this.comparators;
    this.groupSum.fill(0);
    this.groupMin.fill(0);
    this.groupMax.fill(0);
    this.groupPositive.fill(0);
    this.groupAgrees.fill(0);
    this.groupSeen.fill(0);
    this.groupAgreeing.fill(0);
    this.groupPresent.fill(0);
    for (let k = 0; k < cs.length; k++) {
      const x = this.fieldWeight(k);
      w += x;
      const g = this.groupOf[k] ?? -1;
      if (g < 0 || (this.levels[k] ?? -1) < 0) continue;
      this.groupSeen[g] = 1;
      this.groupPresent[g] = (this.groupPresent[g] ?? 0) + 1;
      if (x > 0) this.groupAgreeing[g] = (this.groupAgreeing[g] ?? 0) + 1;
      this.groupSum[g] = (this.groupSum[g] ?? 0) + x;
      if (x > 0) this.groupAgrees[g] = 1;
      if (x < (this.groupMin[g] ?? 0)) this.groupMin[g] = x;
      if (x > (this.groupMax[g] ?? 0)) this.groupMax[g] = x;
      if (x > 0) this.groupPositive[g] = (this.groupPositive[g] ?? 0) + x;
    }
    // A family that moves changes number, street, suburb and postcode at once: when no part of
    // a group agrees, that is one piece of evidence (the strongest), not one per field.
    let groupAdjustment = 0;
    this.lastAddressAdjustment = 0;
    for (let g = 0; g < this.groupSum.length; g++) {
      if (!this.groupSeen[g]) continue;
      const before = groupAdjustment;
      const chain = this.chains[g];
      if (chain && chain.order.length > 0) groupAdjustment += this.chainAdjustment(chain);
      else if (!this.groupAgrees[g]) groupAdjustment += (this.groupMin[g] ?? 0) - (this.groupSum[g] ?? 0);
      else groupAdjustment += (1 - GROUP_SHARE) * ((this.groupMax[g] ?? 0) - (this.groupPositive[g] ?? 0));
      if (g === this.address) this.lastAddressAdjustment = groupAdjustment - before;
    }
    w += groupAdjustment;
    this.lastGroupAdjustment = groupAdjustment;
    this.lastHouseholdAdjustment = 0;
    if (this.householdWeight !== undefined && this.isHousehold()) {
      // Siblings and twins share a family name and a home (twins a date of birth too) but not a
      // given name: those shared facts are not evidence of one child, and the different given
      // name, which already counts, is evidence against.
      let shared = Math.max(0, this.fieldWeight(this.householdInOtherOrder ? this.given : this.family));
      if (this.address >= 0 && this.groupAgrees[this.address])
        shared += Math.max(0, (this.groupSum[this.address] ?? 0) + this.lastAddressAdjustment);
      this.lastHouseholdAdjustment = -shared;
      w -= shared;
    }
    return w;
  }

  /**
   * A group weighed as one comparison: each part given on both sides, after the first, corrected
   * by how its agreement (a level with m > u) depends on the nearest finer part's (model.groupChains). Where the parts
   * are nested (a suburb has one postcode and lies in one region), the same suburb counts about
   * once and a move about once; where they are mistyped independently (FEBRL) the corrections are
   * near zero and every part counts. A correction only moves a part's weight towards zero: a
   * finer part can make a coarser one say nothing, never the opposite of what it says alone.
   */
  private chainAdjustment(chain: { order: Int32Array; bits: Float64Array }): number {
    let finer = -1;
    let sum = 0;
    for (let i = 0; i < chain.order.length; i++) {
      const k = chain.order[i] ?? 0;
      const level = this.levels[k] ?? -1;
      if (level < 0) continue;
      const own = this.bayes[k]?.[level] ?? 0;
      const a = own > 0 ? 0 : 1;
      // The finer part can take a part's evidence away, never turn it round or add to it.
      const bits = finer >= 0 ? (chain.bits[i * 4 + finer * 2 + a] ?? 0) : 0;
      if (finer >= 0) sum += a === 0 ? Math.min(0, Math.max(-own, bits)) : Math.max(0, Math.min(-own, bits));
      finer = a;
    }
    return sum;
  }

  /**
   * For the pair last compared: 0 when it shares no household evidence (family name alike, and
   * the same home or date of birth); 1 when it does and the given names agree at some level;
   * 2 when it does and the given names are plainly different (the sibling pattern).
   */
  householdEvidence(): 0 | 1 | 2 {
    this.householdInOtherOrder = false;
    if (this.given < 0 || this.family < 0) return 0;
    const sameBirth = this.dob >= 0 && this.levels[this.dob] === 0;
    // The same home: every part of the address given on both sides agrees, at least two of them.
    const sameHome =
      this.address >= 0 &&
      (this.groupAgreeing[this.address] ?? 0) >= 2 &&
      this.groupAgreeing[this.address] === this.groupPresent[this.address];
    if (!sameBirth && !sameHome) return 0;
    // Siblings never share an identifier (an NHI number): one that agrees settles it.
    if (this.identifierAgrees()) return 1;
    const given = this.levels[this.given] ?? -1;
    const family = this.levels[this.family] ?? -1;
    if (given < 0 || family < 0) return 0;
    const givenComparator = this.comparators[this.given] as Comparator;
    const familyComparator = this.comparators[this.family] as Comparator;
    // A given name one typing error away, with the same date of birth and home, is one child
    // (twins with names that close are for a person to tell apart); with another date of birth
    // it may be a sibling.
    const givenLabel = givenComparator.levels[given];
    const dobLevel = this.dob >= 0 ? (this.levels[this.dob] ?? -1) : -1;
    const closeBirth = dobLevel >= 0 && dobLevel <= 3; // exact, day–month swapped, one typing error
    // Born plainly apart: a given name that is only another form of the other or sounds like it
    // (Jack, Johnny; Kauri, Kiri) is a brother or sister, not one child with a wrong date.
    const apartBirth = dobLevel >= 0 && /^different/.test(this.comparators[this.dob]?.levels[dobLevel] ?? '');
    const givenAlike = apartBirth
      ? given === 0 || /^very similar/.test(givenLabel ?? '')
      : !isLooseLevel(givenLabel) || (closeBirth && !/^different/.test(givenLabel ?? ''));
    const familyLabel = familyComparator.levels[family];
    const familyAlike = !isLooseLevel(familyLabel) && !familyComparator.neutral[family];
    // Siblings both written in the other order (Smith Ava, Smith Paige): the given names agree on
    // what, in this data, is mostly a family name, and the family names differ and are not.
    if (given === 0 && isLooseLevel(familyLabel) && this.sharedIsFamilyName()) {
      this.householdInOtherOrder = true;
      return 2;
    }
    if (givenAlike && familyAlike) return 1;
    // Siblings: one family name, given names loosely similar or unrelated. (A pair with one
    // given name and different family names is far more often one child under a step-parent's
    // or whānau name than siblings: not counted.)
    if (familyAlike) return 2;
    // Twins or siblings whose family name has a typing error in one record (Belk, Bell): given
    // names plainly different, family names one letter apart.
    if (givenLabel === 'different' && /^similar spelling/.test(familyLabel ?? '') && this.familyOneEdit())
      return 2;
    // Neither name alike (nor the two swapped), yet one home or one birth date: twins or siblings,
    // one of them written under another family name or in the other order; what they share is
    // the home and the birth, not the child.
    if (givenLabel !== 'different' || familyLabel !== 'different') return 0;
    // A name shared across the fields: siblings if it is a family name here, else one child.
    return crossShared(this.data, this.pairI, this.pairJ, this.familyLeaning) === 'given' ? 0 : 2;
  }

  /** The sibling pattern last found was siblings written in the other order (shared name in the given field). */
  private householdInOtherOrder = false;

  /**
   * For a pair whose given names agree exactly and family names differ: the shared given name is
   * mostly a family name in this data, and neither family name is.
   */
  private sharedIsFamilyName(): boolean {
    const c = this.data.columns;
    const shared = this.tfValues[this.given] ?? MISSING;
    if (shared === MISSING || this.familyLeaning(shared) <= 0) return false;
    for (const r of [this.pairI, this.pairJ]) {
      const f = c.family[c.nameOffsets[r] ?? 0] ?? MISSING;
      if (f !== MISSING && this.familyLeaning(f) > 0) return false;
    }
    return true;
  }

  /** An identifier-strength field (exact agreement worth IDENTIFIER_BITS or more) agrees exactly. */
  private identifierAgrees(): boolean {
    for (let k = 0; k < this.comparators.length; k++) {
      if (k === this.given || k === this.family || k === this.dob || (this.groupOf[k] ?? -1) >= 0) continue;
      if (this.levels[k] === 0 && (this.bayes[k]?.[0] ?? 0) >= IDENTIFIER_BITS) return true;
    }
    return false;
  }

  /** The pair last compared has family names one typing error apart (first names of each). */
  private familyOneEdit(): boolean {
    const c = this.data.columns;
    const a = this.data.str(c.family[c.nameOffsets[this.pairI] ?? 0] ?? MISSING);
    const b = this.data.str(c.family[c.nameOffsets[this.pairJ] ?? 0] ?? MISSING);
    return a.length >= 3 && b.length >= 3 && damerauLevenshtein(a, b, 1) <= 1;
  }

  private isHousehold(): boolean {
    return this.householdEvidence() === 2;
  }

  explain(i: number, j: number, model: Model): { prior: number; weight: number; fields: FieldExplanation[] } {
    const weight = this.weight(i, j);
    const fields = this.comparators.map((c, k): FieldExplanation => {
      const level = this.levels[k] ?? -1;
      const params = model.comparisons[k]?.levels[level];
      const tv = this.tfValues[k] ?? MISSING;
      const adj = level >= 0 && level === c.tfLevel && tv !== MISSING ? (this.tfAdjust[k]?.[tv] ?? 0) : 0;
      return {
        comparison: c.label,
        level: level < 0 ? 'missing on one side: no evidence' : (c.levels[level] ?? ''),
        weight: level < 0 ? 0 : this.fieldWeight(k),
        termFrequencyAdjustment: adj,
        m: params && !params.neutral ? params.m : null,
        u: params && !params.neutral ? params.u : null,
        valueA: c.display(i),
        valueB: c.display(j),
      };
    });
    if (this.lastGroupAdjustment !== 0) {
      fields.push(
        rule(
          'address',
          (this.chains[this.address]?.order.length ?? 0) > 0
            ? 'parts of the address weighed together: a part that goes with a finer one (a suburb’s postcode and region, or all of them after a move) says little more'
            : this.lastGroupAdjustment < 0 && this.address >= 0 && this.groupAgrees[this.address]
              ? 'parts of the address agree: the strongest counted fully, the others at half'
              : 'no part of the address agrees (a move): counted once',
          this.lastGroupAdjustment,
        ),
      );
    }
    if (this.lastHouseholdAdjustment !== 0) {
      fields.push(
        rule(
          'household',
          'same family name and home but a different given name, as siblings and twins have: family name and address not counted',
          this.lastHouseholdAdjustment,
        ),
      );
    }
    return { prior: this.prior, weight, fields };
  }
}

/**
 * Levels that siblings' given names reach often: loosely similar, different. (Sounding alike is
 * more often a typing error in one child's name: Vai, Via.)
 */
export function isLooseLevel(label: string | undefined): boolean {
  return label === undefined || /^(similar spelling|different)/.test(label);
}

function rule(comparison: string, level: string, weight: number): FieldExplanation {
  return { comparison, level, weight, termFrequencyAdjustment: 0, m: null, u: null, valueA: '', valueB: '' };
}

/** Counts of comparison patterns: pattern number → number of pairs. */
export type PatternCounts = Map<number, number>;

export function mergeCounts(into: PatternCounts, from: Iterable<[number, number]>): void {
  for (const [p, c] of from) into.set(p, (into.get(p) ?? 0) + c);
}

function decode(pattern: number, radices: number[]): number[] {
  const out: number[] = [];
  let p = pattern;
  for (const r of radices) {
    const v = p % r;
    out.push(v === r - 1 ? -1 : v);
    p = Math.floor(p / r);
  }
  return out;
}

/** u from random pairs, which are almost all non-matches. */
export function uFromRandomPairs(counts: PatternCounts, radices: number[]): number[][] {
  const tallies = radices.map((r) => new Float64Array(r - 1));
  for (const [p, c] of counts) {
    decode(p, radices).forEach((level, k) => {
      const t = tallies[k];
      if (level >= 0 && t) t[level] = (t[level] ?? 0) + c;
    });
  }
  return tallies.map((t) => {
    const total = t.reduce((a, b) => a + b, 0);
    // Half a pair for levels never seen: rare, not impossible.
    return Array.from(t, (v) => (total === 0 ? 1 / t.length : Math.max(v, 0.5) / (total + 0.5 * t.length)));
  });
}

export interface EmResult {
  lambda: number;
  m: number[][];
  u: number[][];
  iterations: number;
  converged: boolean;
}

/**
 * Expectation–maximisation over pattern counts (Winkler 1988). With fixU, u keeps its
 * random-sampling estimate and only m and lambda move.
 */
export function expectationMaximisation(
  counts: PatternCounts,
  radices: number[],
  start: { lambda: number; m: number[][]; u: number[][] },
  options: { fixU?: boolean; neutral?: boolean[][]; maxIterations?: number; tolerance?: number } = {},
): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const patterns = [...counts].map(([p, c]) => ({ levels: decode(p, radices), count: c }));
  let { lambda } = start;
  let m = start.m.map((x) => [...x]);
  let u = start.u.map((x) => [...x]);
  let iterations = 0;
  let converged = false;
  const total = patterns.reduce((a, p) => a + p.count, 0);
  while (iterations < maxIterations) {
    iterations++;
    const mNew = m.map((x) => x.map(() => 0));
    const uNew = u.map((x) => x.map(() => 0));
    let matches = 0;
    for (const { levels, count } of patterns) {
      let pm = lambda;
      let pu = 1 - lambda;
      levels.forEach((l, k) => {
        if (l < 0 || options.neutral?.[k]?.[l]) return;
        pm *= Math.max(m[k]?.[l] ?? 0, MIN_PROBABILITY);
        pu *= Math.max(u[k]?.[l] ?? 0, MIN_PROBABILITY);
      });
      const g = pm / (pm + pu);
      matches += g * count;
      levels.forEach((l, k) => {
        if (l < 0) return;
        const mk = mNew[k];
        const uk = uNew[k];
        if (mk) mk[l] = (mk[l] ?? 0) + g * count;
        if (uk) uk[l] = (uk[l] ?? 0) + (1 - g) * count;
      });
    }
    const norm = (rows: number[][]) =>
      rows.map((row) => {
        const s = row.reduce((a, b) => a + b, 0);
        return row.map((v) => (s === 0 ? 1 / row.length : Math.max(v / s, MIN_PROBABILITY)));
      });
    const mNext = norm(mNew);
    const uNext = options.fixU ? u : norm(uNew);
    const lambdaNext = Math.min(Math.max(matches / total, MIN_PROBABILITY), 1 - MIN_PROBABILITY);
    let change = Math.abs(lambdaNext - lambda);
    mNext.forEach((row, k) => {
      row.forEach((v, l) => (change = Math.max(change, Math.abs(v - (m[k]?.[l] ?? 0)))));
    });
    uNext.forEach((row, k) => {
      row.forEach((v, l) => (change = Math.max(change, Math.abs(v - (u[k]?.[l] ?? 0)))));
    });
    m = mNext;
    u = uNext;
    lambda = lambdaNext;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { lambda, m, u, iterations, converged };
}

/** Term frequencies of primary name values and text fields, kept for values seen at least twice. */
export function termFrequencies(data: Dataset, comparators: Comparator[]): Model['termFrequencies'] {
  const out: Model['termFrequencies'] = {};
  const c = data.columns;
  for (const comp of comparators) {
    if (comp.tfLevel < 0) continue;
    const col: Int32Array | undefined =
      comp.label === 'given name'
        ? c.given
        : comp.label === 'family name'
          ? c.family
          : (c.text as Record<string, Int32Array | undefined>)[comp.label];
    if (!col) continue;
    const tally = new Map<number, number>();
    let total = 0;
    const nameCol = col === c.given || col === c.family;
    for (let r = 0; r < c.n; r++) {
      const id = nameCol ? (col[c.nameOffsets[r] ?? 0] ?? MISSING) : (col[r] ?? MISSING);
      if (id === MISSING) continue;
      total++;
      tally.set(id, (tally.get(id) ?? 0) + 1);
    }
    const counts: Record<string, number> = {};
    for (const [id, n] of tally) if (n >= 2) counts[data.str(id)] = n;
    out[comp.label] = { total, counts };
  }
  return out;
}
