// The pipeline: prepare → estimate u (random pairs) → EM on candidate pairs → score → cluster.
import { availableParallelism } from 'node:os';
import { candidatePairs, computeKeys, randomPairs, type BlockingStats, type RuleKeys } from './blocking.ts';
import { cluster } from './cluster.ts';
import { Dataset } from './comparisons.ts';
import { childConfig } from './config.ts';
import { calibrateOneToOne, expectedF1Threshold } from './calibrate.ts';
import {
  buildModel,
  expectationMaximisation,
  isLooseLevel,
  probabilityOf,
  Scorer,
  termFrequencies,
  uFromRandomPairs,
  weightOf,
} from './model.ts';
import { createBackend, type KeptPairs, type ScoringBackend } from './pool.ts';
import { prepare, type Prepared } from './prepare.ts';
import type { BlockingRule, Explanation, LinkageConfig, LinkRecord, Model, ScoredPair } from './types.ts';

export type Phase = 'prepare' | 'random pairs' | 'candidates' | 'estimate' | 'score' | 'cluster';

export interface ProgressEvent {
  phase: Phase;
  done: number;
  total?: number;
}

export interface RunOptions {
  /** Comparisons and blocking rules; default childConfig(). Ignored when a model is given. */
  config?: LinkageConfig;
  /** A model estimated before (e.g. on last month's data): skips estimation. */
  model?: Model;
  /** Match probability at or above which a pair is a link. Default 0.5: more likely the same child than not. */
  threshold?: number;
  /** Pairs at or above this probability (and below threshold) are returned for a person to review. Default 0.1. */
  reviewThreshold?: number;
  /** Worker threads for scoring; default: one per core for 20,000 records or more, else none. */
  workers?: number;
  /** Random pairs used to estimate u. Default 200,000. */
  randomPairs?: number;
  /** At most this many candidate pairs (an even sample) feed EM. Default 2,000,000. */
  maxEstimationPairs?: number;
  /**
   * 'per-rule' (default, as Splink): u from random pairs; m by EM within each blocking rule's pairs,
   * leaving out the fields that rule blocks on; the prior over all pairs.
   * 'candidates': classic EM of m, u and the prior on the union of candidate pairs (Winkler);
   * can settle on the wrong split when many non-matching candidates share a common name.
   */
  training?: 'per-rule' | 'candidates';
  seed?: number;
  /** Two groups merge only if the average match probability across them reaches this (default 0.5). */
  clusterAverage?: number;
  /** …and no pair across them is at most this likely (default 0). */
  clusterMinPair?: number;
  /**
   * Linking with oneToOne only: 'one-to-one' (default) re-estimates the prior and each pair's
   * probability under "each record has at most one partner" (calibrate.ts), and, unless a
   * threshold is given, links at the threshold that maximises the expected F1 under those
   * probabilities; 'none' keeps the model's prior and the 0.5 threshold (as before round eight).
   */
  calibration?: 'one-to-one' | 'none';
  /**
   * 'joint' (default): the parts of an address weighed as one comparison, by how they depend on
   * each other in random pairs and in anchor pairs (Model.groupChains); 'fixed': the older fixed
   * rules (the strongest part in full, the others at half; a move counted once).
   */
  groups?: 'joint' | 'fixed';
  onProgress?: (event: ProgressEvent) => void;
}

export interface RunStats {
  records: number;
  candidatePairs: number;
  estimationPairs: number;
  randomPairs: number;
  links: number;
  reviewPairs: number;
  blocking: BlockingStats;
  emIterations: number;
  emConverged: boolean;
  mergesRejected: number;
  /** Two-file one-to-one link: the calibration used (see calibrate.ts). */
  calibration?: {
    modelLambda: number;
    lambda: number;
    matches: number;
    threshold: number;
    expectedF1: number;
  };
  millis: Partial<Record<Phase, number>>;
}

export interface DedupeResult {
  /** Groups of two or more records judged to be the same child. */
  clusters: string[][];
  /** Linked pairs (probability ≥ threshold), strongest first. */
  pairs: ScoredPair[];
  /** Possible matches below the threshold, for a person to look at. */
  review: ScoredPair[];
  model: Model;
  stats: RunStats;
}

export interface LinkResult {
  /** Pairs (left id, right id) with probability ≥ threshold; one-to-one when asked. */
  pairs: ScoredPair[];
  review: ScoredPair[];
  model: Model;
  stats: RunStats;
}

interface Context {
  prepared: Prepared;
  data: Dataset;
  config: LinkageConfig;
  mode: 'dedupe' | 'link';
  options: RunOptions;
  stats: RunStats;
}

function newStats(records: number): RunStats {
  return {
    records,
    candidatePairs: 0,
    estimationPairs: 0,
    randomPairs: 0,
    links: 0,
    reviewPairs: 0,
    blocking: { blocksSkipped: 0, recordsInSkippedBlocks: 0, largestBlock: 0 },
    emIterations: 0,
    emConverged: false,
    mergesRejected: 0,
    millis: {},
  };
}

async function timed<T>(stats: RunStats, phase: Phase, fn: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    stats.millis[phase] = (stats.millis[phase] ?? 0) + Math.round(performance.now() - start);
  }
}

function* chunked(pairs: Uint32Array, chunkPairs = 65_536): Generator<Uint32Array> {
  for (let k = 0; k < pairs.length; k += chunkPairs * 2) yield pairs.slice(k, k + chunkPairs * 2);
}

/** Which comparisons a blocking rule fixes: within its blocks, agreement there says nothing. */
function blockedComparisons(config: LinkageConfig, rule: BlockingRule): boolean[] {
  const parts = new Set<string>(rule.parts);
  const has = (...names: string[]) => names.some((n) => parts.has(n));
  return config.comparisons.map((c) => {
    switch (c.kind) {
      case 'givenName':
        return has(
          'given',
          'givenPhonetic',
          'givenInitial',
          'givenForm',
          'namePhoneticSorted',
          'namePrefixSorted',
        );
      case 'familyName':
        return has('family', 'familyPhonetic', 'namePhoneticSorted', 'namePrefixSorted');
      case 'dateOfBirth':
        return has(
          'dateOfBirth',
          'dateOfBirthUnordered',
          'birthYear',
          'birthMonthDay',
          'birthYearRange',
          'birthYearWide',
        );
      case 'text':
        return has(c.field);
    }
  });
}

/** An even sample of at most `max` pairs from a stream of candidate chunks, and their number. */
function sampleStream(chunks: Iterable<Uint32Array>, max: number, onChunk?: (total: number) => void) {
  let sample = new Uint32Array(Math.max(2, max * 2));
  let len = 0;
  let stride = 1;
  let total = 0;
  for (const chunk of chunks) {
    for (let k = 0; k + 1 < chunk.length; k += 2) {
      if (total % stride === 0) {
        if (len === sample.length) {
          // Full: keep every other pair and halve the sampling rate from now on.
          for (let s = 0; s < len / 4; s++) {
            sample[2 * s] = sample[4 * s] ?? 0;
            sample[2 * s + 1] = sample[4 * s + 1] ?? 0;
          }
          len = len / 2;
          stride *= 2;
        }
        if (total % stride === 0) {
          sample[len++] = chunk[k] ?? 0;
          sample[len++] = chunk[k + 1] ?? 0;
        }
      }
      total++;
    }
    onChunk?.(total);
  }
  sample = sample.slice(0, len);
  return { total, sample };
}

function allPairs(ctx: Context): number {
  const n = ctx.prepared.ids.length;
  if (ctx.mode === 'dedupe') return (n * (n - 1)) / 2;
  let left = 0;
  for (const s of ctx.prepared.columns.source) if (s === 0) left++;
  return left * (n - left);
}

async function estimateWith(ctx: Context, backend: ScoringBackend): Promise<Model> {
  const { options, stats, config } = ctx;
  const base = buildModel(config);
  const scorer = new Scorer(ctx.data, config);
  const radices = scorer.radices;
  const randomCount = options.randomPairs ?? 200_000;
  const random = randomPairs(ctx.data, randomCount, ctx.mode, options.seed ?? 1);
  stats.randomPairs = random.length / 2;
  const randomCounts = await timed(stats, 'random pairs', () =>
    backend.patterns(chunked(random), (done) =>
      options.onProgress?.({ phase: 'random pairs', done, total: stats.randomPairs }),
    ),
  );
  const uSampled = uFromRandomPairs(randomCounts, radices);
  const maxPairs = options.maxEstimationPairs ?? 2_000_000;
  const blockingStats: BlockingStats = { blocksSkipped: 0, recordsInSkippedBlocks: 0, largestBlock: 0 };
  const candidateOptions = {
    mode: ctx.mode,
    maxBlockSize: config.maxBlockSize ?? 2000,
    stats: blockingStats,
  };
  const { total, sample } = await timed(stats, 'candidates', () =>
    sampleStream(candidatePairs(ctx.data, config.blocking, candidateOptions), maxPairs, (done) =>
      options.onProgress?.({ phase: 'candidates', done }),
    ),
  );
  stats.blocking = blockingStats;
  stats.candidatePairs = total;
  stats.estimationPairs = sample.length / 2;
  const neutral = base.comparisons.map((c) => c.levels.map((l) => l.neutral === true));
  const mStart = base.comparisons.map((c) => c.levels.map((l) => l.m));
  const counts = await timed(stats, 'estimate', () =>
    backend.patterns(chunked(sample), (done) =>
      options.onProgress?.({ phase: 'estimate', done, total: stats.estimationPairs }),
    ),
  );
  let lambda: number;
  let m: number[][];
  let u = uSampled;
  if (options.training === 'candidates') {
    const lambda0 = Math.min(0.5, Math.max(1e-4, ctx.prepared.ids.length / Math.max(1, 2 * total)));
    const em = expectationMaximisation(counts, radices, { lambda: lambda0, m: mStart, u }, { neutral });
    stats.emIterations = em.iterations;
    stats.emConverged = em.converged;
    ({ lambda, m, u } = em);
  } else {
    // One EM session per blocking rule, on that rule's pairs alone; u stays as sampled.
    const sums = mStart.map((row) => row.map(() => 0));
    const sessions = mStart.map(() => 0);
    stats.emConverged = true;
    for (const rule of config.blocking) {
      const blocked = blockedComparisons(config, rule);
      const ruleSample = sampleStream(
        candidatePairs(ctx.data, [rule], { ...candidateOptions, stats: undefined }),
        Math.ceil(maxPairs / config.blocking.length),
      ).sample;
      if (ruleSample.length === 0) continue;
      const ruleCounts = await timed(stats, 'estimate', () => backend.patterns(chunked(ruleSample)));
      const ignore = neutral.map((row, k) => row.map((v) => v || (blocked[k] ?? false)));
      const em = expectationMaximisation(
        ruleCounts,
        radices,
        { lambda: 0.5, m: mStart, u },
        { fixU: true, neutral: ignore },
      );
      stats.emIterations += em.iterations;
      stats.emConverged &&= em.converged;
      em.m.forEach((row, k) => {
        if (blocked[k]) return;
        sessions[k] = (sessions[k] ?? 0) + 1;
        row.forEach((v, l) => {
          const s = sums[k];
          if (s) s[l] = (s[l] ?? 0) + v;
        });
      });
    }
    m = sums.map((row, k) =>
      (sessions[k] ?? 0) === 0 ? (mStart[k] ?? []) : row.map((v) => v / (sessions[k] ?? 1)),
    );
    m = boundDisagreement(config, m);
    m = anchorOtherFields(config, m, counts, radices, u);
    m = monotone(m, u, neutral);
    // Prior over all pairs: EM for lambda alone, taking pairs outside every block as non-matches.
    const scale = total / Math.max(1, sample.length / 2);
    const everyPair = Math.max(1, allPairs(ctx));
    lambda = Math.min(0.5, ctx.prepared.ids.length / everyPair);
    const patterns = [...counts].map(([p, c]) => {
      let ratio = 0;
      let q = p;
      radices.forEach((r, k) => {
        const level = q % r;
        q = Math.floor(q / r);
        if (level === r - 1 || ignoreLevel(neutral, k, level)) return;
        ratio += Math.log2(Math.max(m[k]?.[level] ?? 0, 1e-6) / Math.max(u[k]?.[level] ?? 0, 1e-6));
      });
      return { bayes: 2 ** ratio, count: c * scale };
    });
    for (let it = 0; it < 200; it++) {
      const odds = lambda / (1 - lambda);
      let matches = 0;
      for (const { bayes, count } of patterns) matches += (count * odds * bayes) / (1 + odds * bayes);
      const next = Math.min(0.5, Math.max(1e-12, matches / everyPair));
      const change = Math.abs(next - lambda) / lambda;
      lambda = next;
      if (change < 1e-6) break;
    }
  }
  const fitted: Model = {
    ...base,
    lambda,
    comparisons: base.comparisons.map((c, k) => ({
      label: c.label,
      levels: c.levels.map((l, level) => ({ ...l, m: m[k]?.[level] ?? l.m, u: u[k]?.[level] ?? l.u })),
    })),
    termFrequencies: termFrequencies(ctx.data, scorer.comparators),
    training: {
      candidatePairs: stats.estimationPairs,
      emIterations: stats.emIterations,
      converged: stats.emConverged,
      randomPairs: stats.randomPairs,
    },
  };
  const chains =
    options.groups === 'fixed' ? undefined : groupChains(config, randomCounts, counts, radices, m, u);
  const chained = chains ? { ...fitted, groupChains: chains } : fitted;
  const household = estimateHousehold(ctx.data, config, chained, sample);
  return household ? { ...chained, household } : chained;
}

/**
 * The parts of a group (an address: number, street, suburb, postcode, region) are not independent
 * evidence: a suburb has one postcode and lies in one region, and a family that moves changes them
 * together. Counted as independent, the same suburb says the same thing three times (about 10 bits
 * on generated NZ files where it is worth about 6) and a move counts against once per part.
 * Here each part is conditioned on the nearest finer part given on both sides (parts ordered by
 * how rarely random pairs agree on them): its weight is corrected by
 * log2 [P(a | s, match) / P(a | match)] - log2 [P(a | s, non-match) / P(a | non-match)],
 * a = the part agrees (a level that is evidence for: m > u) or not, s = the finer part agreed or not.
 * Non-matches: the random pairs. Matches: anchor pairs, those with the same given name, family
 * name and date of birth. Each conditional is shrunk towards its marginal (ANCHOR_PRIOR pairs'
 * worth), so parts that are mistyped independently (FEBRL) get corrections near zero. Absent
 * without a date of birth to anchor on, or with too few anchors.
 */
function groupChains(
  config: LinkageConfig,
  random: Map<number, number>,
  candidates: Map<number, number>,
  radices: number[],
  m: number[][],
  u: number[][],
): Model['groupChains'] {
  const kinds = config.comparisons.map((c) => c.kind);
  const anchors = [kinds.indexOf('givenName'), kinds.indexOf('familyName'), kinds.indexOf('dateOfBirth')];
  if (anchors.some((a) => a < 0)) return undefined;
  const groups = new Map<string, number[]>();
  config.comparisons.forEach((c, k) => {
    if (c.kind === 'text' && c.group) groups.set(c.group, [...(groups.get(c.group) ?? []), k]);
  });
  const decode = (pattern: number): number[] => {
    const levels: number[] = [];
    let q = pattern;
    for (const r of radices) {
      levels.push(q % r);
      q = Math.floor(q / r);
    }
    return levels;
  };
  const chains: NonNullable<Model['groupChains']> = {};
  for (const [name, fields] of groups) {
    if (fields.length < 2) continue;
    const order = [...fields].sort((a, b) => (u[a]?.[0] ?? 1) - (u[b]?.[0] ?? 1));
    // tally[i][s][a]: pairs where order[i] is given on both sides and a finer part is too.
    const tally = (counts: Map<number, number>, keep: (levels: number[]) => boolean): number[][][] => {
      const t = order.map(() => [
        [0, 0],
        [0, 0],
      ]);
      for (const [pattern, count] of counts) {
        const levels = decode(pattern);
        if (!keep(levels)) continue;
        let finer = -1;
        order.forEach((k, i) => {
          const level = levels[k] ?? 0;
          const r = radices[k] ?? 1;
          if (level === r - 1) return; // missing
          const a = (m[k]?.[level] ?? 0) > (u[k]?.[level] ?? 0) ? 0 : 1;
          const row = t[i]?.[finer];
          if (row) row[a] = (row[a] ?? 0) + count;
          finer = a;
        });
      }
      return t;
    };
    const matches = tally(candidates, (levels) => anchors.every((a) => levels[a] === 0));
    const nonMatches = tally(random, () => true);
    const lift = (t: number[][], s: number, a: number): number => {
      const all = (t[0]?.[a] ?? 0) + (t[1]?.[a] ?? 0);
      const total = all + (t[0]?.[1 - a] ?? 0) + (t[1]?.[1 - a] ?? 0);
      const marginal = (all + 0.5) / (total + 1);
      const n = (t[s]?.[0] ?? 0) + (t[s]?.[1] ?? 0);
      return ((t[s]?.[a] ?? 0) + ANCHOR_PRIOR * marginal) / (n + ANCHOR_PRIOR) / marginal;
    };
    const anchorPairs = matches.reduce((sum, t) => sum + t.flat().reduce((x, y) => x + y, 0), 0);
    if (anchorPairs < ANCHOR_MIN) continue;
    const bits = order.map((_, i) =>
      [0, 1].map((s) =>
        [0, 1].map((a) => {
          const mt = matches[i] ?? [];
          const ut = nonMatches[i] ?? [];
          return Math.log2(lift(mt, s, a)) - Math.log2(lift(ut, s, a));
        }),
      ),
    );
    chains[name] = { order, bits };
  }
  return Object.keys(chains).length > 0 ? chains : undefined;
}

/**
 * A child's name or date of birth recorded as something unrelated by two agencies happens, but not
 * to one child in ten (in generated NZ files, measured against the truth: 4 % for the given name,
 * 10 % for the family name, a step-parent's or whānau name included; EM had said 20 %, the old
 * bound). EM on data where siblings share family name, address and blocks counts
 * siblings as matches and can push m(different) far higher, until a different given name or date
 * of birth is hardly evidence at all. Bounded here; the rest of m is scaled to sum to one.
 */
function boundDisagreement(config: LinkageConfig, m: number[][]): number[][] {
  return m.map((row, k) => {
    const kind = config.comparisons[k]?.kind;
    if (kind !== 'givenName' && kind !== 'familyName' && kind !== 'dateOfBirth') return row;
    const last = row.length - 1;
    const different = row[last] ?? 0;
    if (different <= MAX_M_DIFFERENT) return row;
    const scale = (1 - MAX_M_DIFFERENT) / Math.max(1e-9, 1 - different);
    return row.map((v, l) => (l === last ? MAX_M_DIFFERENT : v * scale));
  });
}

const MAX_M_DIFFERENT = 0.1;

/**
 * m of the fields other than the names from "anchor" pairs that agree exactly on everything
 * else that identifies a child, so nearly all of them are one child: for the address,
 * identifier, gender and the like, pairs with the same given name, family name and date of
 * birth; for the date of birth, pairs with the same names and the same address (every part).
 * EM over every candidate pair is misled there by siblings, who share an address and a family
 * name: "same address" looks like what one child's records have, a move looks rarer than it
 * is, and a different date of birth looks common. Blended with EM's value (as ANCHOR_PRIOR
 * pairs' worth) so a few anchors cannot swing it. For the given and family names only pairs
 * whose identifier (an NHI number) agrees are clean anchors: twins share everything but the given
 * name, siblings the family name and home, but never an identifier. Where too few records carry
 * one (fewer than ANCHOR_MIN such pairs) the names keep EM's values, bounded.
 */
function anchorOtherFields(
  config: LinkageConfig,
  m: number[][],
  counts: Map<number, number>,
  radices: number[],
  u: number[][],
): number[][] {
  const kinds = config.comparisons.map((c) => c.kind);
  // Identifiers (an NHI number): a field outside the address whose exact agreement random pairs
  // almost never reach. Siblings and twins never share one.
  const identifiers = config.comparisons.flatMap((c, k) =>
    c.kind === 'text' && !c.group && (u[k]?.[0] ?? 1) <= IDENTIFIER_U ? [k] : [],
  );
  const given = kinds.indexOf('givenName');
  const family = kinds.indexOf('familyName');
  const dob = kinds.indexOf('dateOfBirth');
  if (given < 0 || family < 0) return m;
  const address = config.comparisons.flatMap((c, k) =>
    c.kind === 'text' && c.group === 'address' ? [k] : [],
  );
  const anchorsFor = (k: number): number[] | undefined => {
    if (kinds[k] === 'text') return dob >= 0 ? [given, family, dob] : undefined;
    if (kinds[k] === 'dateOfBirth') return address.length > 0 ? [given, family, ...address] : undefined;
    // The names: pairs whose identifier agrees (twins share everything else, never that).
    if (kinds[k] === 'givenName' || kinds[k] === 'familyName')
      return identifiers.length > 0 ? identifiers : undefined;
    return undefined;
  };
  const tallies = m.map((row) => row.map(() => 0));
  for (const [pattern, count] of counts) {
    const levels: number[] = [];
    let q = pattern;
    for (const r of radices) {
      levels.push(q % r);
      q = Math.floor(q / r);
    }
    // The same home: every part given on both sides agrees, at least two of them.
    const missing = (a: number) => levels[a] === (radices[a] ?? 0) - 1;
    const home =
      address.every((a) => levels[a] === 0 || missing(a)) &&
      address.filter((a) => levels[a] === 0).length >= 2;
    levels.forEach((level, k) => {
      const on = anchorsFor(k);
      const row = tallies[k];
      if (!on || !row || level >= row.length) return;
      // Names are anchored by any identifier agreeing; the other fields by every anchor agreeing.
      const anchored = identifiers.includes(on[0] ?? -1)
        ? on.some((a) => levels[a] === 0)
        : on.every((a) => levels[a] === 0 || (address.includes(a) && home));
      if (!anchored) return;
      row[level] = (row[level] ?? 0) + count;
    });
  }
  return m.map((row, k) => {
    const t = tallies[k] ?? [];
    const seen = t.reduce((a, b) => a + b, 0);
    if (seen < ANCHOR_MIN) return row;
    return row.map((v, l) => ((t[l] ?? 0) + ANCHOR_PRIOR * v) / (seen + ANCHOR_PRIOR));
  });
}

const ANCHOR_MIN = 50;
/** u of an identifier's exact agreement: at most one random pair in a thousand (2^-10). */
const IDENTIFIER_U = 2 ** -10;
const ANCHOR_PRIOR = 20;

/**
 * A closer agreement is never weaker evidence than plain disagreement: EM can leave a rare level
 * ("two adjacent digits transposed", "one edit apart") with m near zero and a weight far below
 * "different". Such a level is raised to the weight of "different", and the row rescaled.
 */
function monotone(m: number[][], u: number[][], neutral: boolean[][]): number[][] {
  return m.map((row, k) => {
    const last = row.length - 1;
    const uRow = u[k] ?? [];
    const floor = (row[last] ?? 0) / Math.max(uRow[last] ?? 0, 1e-6);
    const raised = row.map((v, l) => {
      if (l === last || neutral[k]?.[l]) return v;
      return Math.max(v, floor * (uRow[l] ?? 0));
    });
    const total = raised.reduce((a, b) => a + b, 0);
    return total > 0 ? raised.map((v) => v / total) : row;
  });
}

/**
 * How often a pair with the sibling pattern is one child, in this data. Among candidate pairs that
 * share a family name and a home or date of birth, those whose given names agree are (nearly all)
 * one child; of those, a share m(different given name) would have had plainly different given
 * names instead. Pairs with different given names beyond that number are siblings and twins.
 */
function estimateHousehold(
  data: Dataset,
  config: LinkageConfig,
  model: Model,
  sample: Uint32Array,
): Model['household'] {
  const scorer = new Scorer(data, config, model);
  const given = config.comparisons.findIndex((c) => c.kind === 'givenName');
  const givenLevels = model.comparisons[given]?.levels;
  if (!givenLevels) return undefined;
  // The share of one child's records with unrelated given names: bounded, because EM on data full
  // of households mistakes siblings for the same child and overstates it.
  const loose = givenLevels.reduce((sum, l) => sum + (isLooseLevel(l.label) ? l.m : 0), 0);
  const mDifferent = Math.min(HOUSEHOLD_MAX_M_DIFFERENT, loose);
  let agree = 0;
  let differ = 0;
  const pairs = Math.min(sample.length / 2, HOUSEHOLD_SAMPLE_PAIRS);
  for (let k = 0; k < pairs; k++) {
    scorer.weight(sample[2 * k] ?? 0, sample[2 * k + 1] ?? 0);
    const e = scorer.householdEvidence();
    if (e === 1) agree++;
    else if (e === 2) differ++;
  }
  const sameChildDiffering = (agree * mDifferent) / (1 - mDifferent);
  const siblings = differ - sameChildDiffering;
  // The rule holds only where the data says most such pairs are siblings (not FEBRL, where they
  // are one person with a mistyped given name), and there are enough of them to say so.
  if (siblings < Math.max(10, 0.5 * differ)) return undefined;
  return {
    weight: Math.log2(Math.max(sameChildDiffering, 0.5) / siblings),
    pairs: agree + differ,
    siblings: Math.round(siblings),
  };
}

const HOUSEHOLD_MAX_M_DIFFERENT = 0.15;
const HOUSEHOLD_SAMPLE_PAIRS = 400_000;

function ignoreLevel(neutral: boolean[][], k: number, level: number): boolean {
  return neutral[k]?.[level] ?? false;
}

function workersFor(options: RunOptions, records: number): number {
  if (options.workers !== undefined) return Math.max(0, Math.floor(options.workers));
  return records >= 20_000 ? availableParallelism() : 0;
}

async function run(
  ctx: Context,
  keepFrom?: number,
): Promise<{ model: Model; kept: KeptPairs; scorer: Scorer }> {
  const { options, stats } = ctx;
  const backend = await createBackend(ctx.prepared, ctx.config, workersFor(options, stats.records));
  try {
    const model = options.model ?? (await estimateWith(ctx, backend));
    await backend.setModel(model);
    const minWeight = weightOf(keepFrom ?? options.reviewThreshold ?? 0.1);
    const blockingStats: BlockingStats = { blocksSkipped: 0, recordsInSkippedBlocks: 0, largestBlock: 0 };
    let scored = 0;
    const kept = await timed(stats, 'score', () =>
      backend.score(
        candidatePairs(ctx.data, ctx.config.blocking, {
          mode: ctx.mode,
          maxBlockSize: ctx.config.maxBlockSize ?? 2000,
          stats: blockingStats,
        }),
        minWeight,
        (done) => {
          scored = done;
          options.onProgress?.({
            phase: 'score',
            done,
            ...(stats.candidatePairs ? { total: stats.candidatePairs } : {}),
          });
        },
      ),
    );
    stats.candidatePairs = scored;
    stats.blocking = blockingStats;
    return { model, kept, scorer: new Scorer(ctx.data, ctx.config, model) };
  } finally {
    await backend.close();
  }
}

function toPairs(ctx: Context, kept: KeptPairs, from: number, to: number): ScoredPair[] {
  const out: ScoredPair[] = [];
  for (let k = 0; k < kept.length; k++) {
    const w = kept.w[k] ?? -Infinity;
    if (w < from || w >= to) continue;
    out.push({
      a: ctx.prepared.ids[kept.i[k] ?? 0] ?? '',
      b: ctx.prepared.ids[kept.j[k] ?? 0] ?? '',
      weight: w,
      probability: probabilityOf(w),
    });
  }
  return out.sort((x, y) => y.weight - x.weight);
}

function contextFor(mode: 'dedupe' | 'link', options: RunOptions, ...sets: Iterable<LinkRecord>[]): Context {
  const config = options.model?.config ?? options.config ?? childConfig();
  const start = performance.now();
  const prepared = prepare(config, ...sets);
  const stats = newStats(prepared.ids.length);
  stats.millis.prepare = Math.round(performance.now() - start);
  options.onProgress?.({ phase: 'prepare', done: prepared.ids.length });
  return { prepared, data: new Dataset(prepared.strings, prepared.columns), config, mode, options, stats };
}

/** Finds records about the same child within one data set. */
export async function deduplicate(
  records: Iterable<LinkRecord>,
  options: RunOptions = {},
): Promise<DedupeResult> {
  const ctx = contextFor('dedupe', options, records);
  const { model, kept, scorer } = await run(ctx);
  const threshold = options.threshold ?? 0.5;
  const linkWeight = weightOf(threshold);
  const { clusterOf, mergesRejected } = await timed(ctx.stats, 'cluster', () =>
    cluster(ctx.stats.records, kept, linkWeight, (i, j) => probabilityOf(scorer.weight(i, j)), {
      averageProbability: options.clusterAverage ?? 0.5,
      minPairProbability: options.clusterMinPair ?? 0,
    }),
  );
  const groups = new Map<number, string[]>();
  clusterOf.forEach((c, r) => {
    const g = groups.get(c);
    const id = ctx.prepared.ids[r] ?? '';
    if (g) g.push(id);
    else groups.set(c, [id]);
  });
  const clusters = [...groups.values()].filter((g) => g.length > 1);
  const pairs = toPairs(ctx, kept, linkWeight, Infinity);
  const review = toPairs(ctx, kept, weightOf(options.reviewThreshold ?? 0.1), linkWeight);
  ctx.stats.links = pairs.length;
  ctx.stats.reviewPairs = review.length;
  ctx.stats.mergesRejected = mergesRejected;
  return { clusters, pairs, review, model, stats: ctx.stats };
}

/**
 * Links two data sets (e.g. an agency extract against known children). With oneToOne, each record
 * links to at most one record of the other set (best first): right when neither set has duplicates.
 */
export async function link(
  left: Iterable<LinkRecord>,
  right: Iterable<LinkRecord>,
  options: RunOptions & { oneToOne?: boolean } = {},
): Promise<LinkResult> {
  const ctx = contextFor('link', options, left, right);
  const calibrate = options.oneToOne === true && options.calibration !== 'none';
  const reviewThreshold = options.reviewThreshold ?? 0.1;
  // Calibrating needs each record's weaker candidates too (under the model's prior).
  const { model, kept } = await run(ctx, calibrate ? Math.min(reviewThreshold, CALIBRATION_KEEP) : undefined);
  if (calibrate) return calibratedLink(ctx, model, kept, reviewThreshold);
  const linkWeight = weightOf(options.threshold ?? 0.5);
  let pairs = toPairs(ctx, kept, linkWeight, Infinity);
  if (options.oneToOne) pairs = bestFirst(pairs, 0);
  const review = toPairs(ctx, kept, weightOf(reviewThreshold), linkWeight);
  ctx.stats.links = pairs.length;
  ctx.stats.reviewPairs = review.length;
  return { pairs, review, model, stats: ctx.stats };
}

/** Pairs kept for calibration: at least this likely under the model's own prior. */
const CALIBRATION_KEEP = 0.02;

/** Each record once, best first, at or above `min` (pairs sorted by probability, highest first). */
function bestFirst(pairs: ScoredPair[], min: number): ScoredPair[] {
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  return pairs.filter((p) => {
    if (p.probability < min || usedA.has(p.a) || usedB.has(p.b)) return false;
    usedA.add(p.a);
    usedB.add(p.b);
    return true;
  });
}

/** One-to-one link with the prior and probabilities of calibrate.ts and, by default, the expected-F1 threshold. */
function calibratedLink(ctx: Context, model: Model, kept: KeptPairs, reviewThreshold: number): LinkResult {
  const all = toPairs(ctx, kept, -Infinity, Infinity);
  let leftRecords = 0;
  for (const s of ctx.prepared.columns.source) if (s === 0) leftRecords++;
  const cal = calibrateOneToOne(all, model.lambda, leftRecords, ctx.prepared.ids.length - leftRecords);
  const rescored = all
    .map((p, k): ScoredPair => {
      const probability = cal.probabilities[k] ?? 0;
      return { ...p, probability, weight: weightOf(Math.min(Math.max(probability, 1e-15), 1 - 1e-15)) };
    })
    .sort((x, y) => y.probability - x.probability);
  const assigned = bestFirst(rescored, 0);
  const rule = expectedF1Threshold(assigned.map((p) => p.probability));
  const threshold = ctx.options.threshold ?? rule.threshold;
  const pairs = assigned.filter((p) => p.probability >= threshold);
  const review = rescored.filter((p) => p.probability >= reviewThreshold && p.probability < threshold);
  ctx.stats.links = pairs.length;
  ctx.stats.reviewPairs = review.length;
  ctx.stats.calibration = {
    modelLambda: model.lambda,
    lambda: cal.lambda,
    matches: cal.matches,
    threshold,
    expectedF1: rule.expectedF1,
  };
  return { pairs, review, model: { ...model, lambda: cal.lambda }, stats: ctx.stats };
}

/** Estimates a model (m, u, prior, term frequencies) without clustering; link two sets with `linkWith`. */
export async function estimate(
  records: Iterable<LinkRecord>,
  options: RunOptions & { linkWith?: Iterable<LinkRecord> } = {},
): Promise<Model> {
  const ctx = options.linkWith
    ? contextFor('link', options, records, options.linkWith)
    : contextFor('dedupe', options, records);
  const backend = await createBackend(ctx.prepared, ctx.config, workersFor(options, ctx.stats.records));
  try {
    return await estimateWith(ctx, backend);
  } finally {
    await backend.close();
  }
}

/** Why two records do or do not look like the same child: prior plus each field's weight. */
export function explain(a: LinkRecord, b: LinkRecord, model: Model): Explanation {
  const prepared = prepare(model.config, [a, b]);
  const scorer = new Scorer(new Dataset(prepared.strings, prepared.columns), model.config, model);
  const e = scorer.explain(0, 1, model);
  return { ...e, probability: probabilityOf(e.weight) };
}

/** Scores given pairs of records (by id) with a model. Unknown ids throw. */
export function scorePairs(records: LinkRecord[], pairs: [string, string][], model: Model): ScoredPair[] {
  const prepared = prepare(model.config, records);
  const scorer = new Scorer(new Dataset(prepared.strings, prepared.columns), model.config, model);
  const at = new Map(prepared.ids.map((id, k) => [id, k]));
  return pairs.map(([a, b]) => {
    const i = at.get(a);
    const j = at.get(b);
    if (i === undefined || j === undefined)
      throw new RangeError(`No record with id ${i === undefined ? a : b}.`);
    const weight = scorer.weight(i, j);
    return { a, b, weight, probability: probabilityOf(weight) };
  });
}

export interface Candidate {
  id: string;
  probability: number;
  explanation: Explanation;
}

/**
 * Known children, indexed by the model's blocking rules, for scoring each new referral as it
 * arrives: `search` returns the candidates a triage screen shows, each with its explanation.
 */
export class LinkageIndex {
  private readonly records: LinkRecord[] = [];
  private readonly byKey: Map<number, number[]>[];
  constructor(
    private readonly model: Model,
    known: Iterable<LinkRecord> = [],
  ) {
    this.byKey = model.config.blocking.map(() => new Map<number, number[]>());
    this.add(...known);
  }

  private keysOf(records: LinkRecord[]): RuleKeys[] {
    const prepared = prepare(this.model.config, records);
    const d = new Dataset(prepared.strings, prepared.columns);
    return this.model.config.blocking.map((rule) => computeKeys(d, rule));
  }

  add(...records: LinkRecord[]): void {
    if (records.length === 0) return;
    const keys = this.keysOf(records);
    records.forEach((r, k) => {
      const at = this.records.length;
      this.records.push(r);
      keys.forEach((rk, rule) => {
        const map = this.byKey[rule] as Map<number, number[]>;
        for (let e = rk.offsets[k] ?? 0; e < (rk.offsets[k + 1] ?? 0); e++) {
          const h = rk.keys[e] ?? 0;
          const list = map.get(h);
          if (list) list.push(at);
          else map.set(h, [at]);
        }
      });
    });
  }

  get size(): number {
    return this.records.length;
  }

  /** Known records that share a blocking key with `record`, scored and explained, most likely first. */
  search(record: LinkRecord, options: { minProbability?: number; limit?: number } = {}): Candidate[] {
    const keys = this.keysOf([record]);
    const found = new Set<number>();
    keys.forEach((rk, rule) => {
      const map = this.byKey[rule] as Map<number, number[]>;
      for (let e = rk.offsets[0] ?? 0; e < (rk.offsets[1] ?? 0); e++) {
        for (const at of map.get(rk.keys[e] ?? 0) ?? []) found.add(at);
      }
    });
    const candidates = [...found].map((at) => this.records[at] as LinkRecord);
    const prepared = prepare(this.model.config, [record, ...candidates]);
    const scorer = new Scorer(new Dataset(prepared.strings, prepared.columns), this.model.config, this.model);
    const min = options.minProbability ?? 0.1;
    const out: Candidate[] = [];
    candidates.forEach((c, k) => {
      const e = scorer.explain(0, k + 1, this.model);
      const probability = probabilityOf(e.weight);
      if (probability >= min) out.push({ id: c.id, probability, explanation: { ...e, probability } });
    });
    out.sort((a, b) => b.probability - a.probability);
    return out.slice(0, options.limit ?? 20);
  }
}
