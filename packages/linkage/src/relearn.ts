// Learning from reviewers: each "same child" / "not the same child" decision in triage is a
// labelled pair, and an installation's model can be re-estimated from them.
//
// What a pair holds: the agreement level of each comparison (never the compared values) and
// `adjustment`, the part of the pair's weight that is not a plain level weight (term frequencies,
// the address and household rules), kept from the score the reviewer saw.
//
// How: the labelled pairs are the ones a person looked at (the review band), so they are no
// sample of all pairs and cannot estimate u (how often non-matches agree by chance: that needs
// random pairs). u stays as the model has it; what moves is m (how a true match looks, level by
// level) and the prior, fitted to the decisions by penalised logistic regression (a Gaussian prior
// centred on the current model). A handful of labels barely moves the model; a field that
// reviewers keep showing is decisive gets more weight. Every change is bounded.
import { probabilityOf, weightOf } from './model.ts';
import type { Model } from './types.ts';

export interface LabelledPair {
  /** Level label of each comparison, by comparison label; absent or unknown: no evidence. */
  levels: Record<string, string>;
  /** log2 weight the pair carried besides its level weights (term frequencies, rules). */
  adjustment: number;
  match: boolean;
}

/** Fewest decisions of each kind before a model may be learnt from them. */
export const MIN_LABELS_EACH = 30;
/** Probability at and above which a pair is taken to be one child (more likely than not). */
export const LINK_THRESHOLD = 0.5;

export interface RelearnOptions {
  /**
   * Strength of the pull towards the current model, in labelled pairs' worth: the penalty on a
   * parameter's change is as if this many pairs had agreed with the current model.
   */
  strength?: number;
  /** Largest change of any level's weight, and of the prior, in bits. */
  maxShiftBits?: number;
  iterations?: number;
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  pairs: number;
}

const LN2 = Math.log(2);
const MIN_M = 1e-4;

/** Level index of every comparison for a pair (-1 when missing, unknown or neutral). */
function indexPair(model: Model, pair: LabelledPair): number[] {
  return model.comparisons.map((c) => {
    const label = pair.levels[c.label];
    const k = label === undefined ? -1 : c.levels.findIndex((l) => l.label === label);
    return k >= 0 && !c.levels[k]?.neutral ? k : -1;
  });
}

/** log2 odds that a labelled pair is one child under a model. */
export function labelledWeight(model: Model, pair: LabelledPair): number {
  let w = weightOf(model.lambda) + pair.adjustment;
  const at = indexPair(model, pair);
  model.comparisons.forEach((c, k) => {
    const l = at[k] ?? -1;
    const level = c.levels[l];
    if (l < 0 || !level) return;
    w += Math.log2(Math.max(level.m, 1e-6) / Math.max(level.u, 1e-6));
  });
  return w;
}

/** Precision, recall and F1 of a model on labelled pairs at the link threshold. */
export function figuresOn(model: Model, pairs: LabelledPair[], threshold = LINK_THRESHOLD): Figures {
  const predicted = pairs.map((p) => probabilityOf(labelledWeight(model, p)) >= threshold);
  return figuresOf(pairs, predicted);
}

function figuresOf(pairs: LabelledPair[], predicted: boolean[]): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pairs.forEach((p, i) => {
    if (predicted[i] && p.match) tp++;
    else if (predicted[i]) fp++;
    else if (p.match) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision,
    recall,
    f1,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    pairs: pairs.length,
  };
}

export class NotEnoughLabelsError extends Error {
  constructor(
    readonly confirmed: number,
    readonly rejected: number,
  ) {
    super(
      `The model can learn from reviews once at least ${MIN_LABELS_EACH} "same child" and ${MIN_LABELS_EACH} "not the same child" decisions are recorded; there are ${confirmed} and ${rejected} so far.`,
    );
  }
}

function counts(pairs: LabelledPair[]): { confirmed: number; rejected: number } {
  const confirmed = pairs.filter((p) => p.match).length;
  return { confirmed, rejected: pairs.length - confirmed };
}

/**
 * A new model from a base model and reviewers' decisions: m of every comparison and the prior
 * re-fitted, u and everything else kept. Throws NotEnoughLabelsError below MIN_LABELS_EACH of
 * either kind (unless `minimum` says otherwise, for cross-validation folds).
 */
export function relearn(
  base: Model,
  pairs: LabelledPair[],
  options: RelearnOptions & { minimum?: number } = {},
): Model {
  const { confirmed, rejected } = counts(pairs);
  const minimum = options.minimum ?? MIN_LABELS_EACH;
  if (confirmed < minimum || rejected < minimum) throw new NotEnoughLabelsError(confirmed, rejected);
  const strength = options.strength ?? 20;
  const maxShift = (options.maxShiftBits ?? 4) * LN2;
  const iterations = options.iterations ?? 600;
  const n = pairs.length;
  // Parameters: theta[k][l] = ln m (softmax over each comparison's levels), beta = ln prior odds.
  const theta0 = base.comparisons.map((c) => c.levels.map((l) => Math.log(Math.max(l.m, MIN_M))));
  const lnU = base.comparisons.map((c) => c.levels.map((l) => Math.log(Math.max(l.u, 1e-6))));
  const beta0 = Math.log(base.lambda / (1 - base.lambda));
  const theta = theta0.map((row) => [...row]);
  let beta = beta0;
  const indexed = pairs.map((p) => ({ at: indexPair(base, p), y: p.match ? 1 : 0, adj: p.adjustment * LN2 }));
  // Penalty per parameter, scaled so `strength` pairs' worth of evidence holds the current model.
  const tau = strength / n;
  const step = 0.5;
  for (let it = 0; it < iterations; it++) {
    const lse = theta.map((row) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)));
    const lnM = theta.map((row, k) => row.map((v) => v - (lse[k] ?? 0)));
    const grad = theta.map((row) => row.map(() => 0));
    let gBeta = 0;
    for (const { at, y, adj } of indexed) {
      let s = beta + adj;
      at.forEach((l, k) => {
        if (l >= 0) s += (lnM[k]?.[l] ?? 0) - (lnU[k]?.[l] ?? 0);
      });
      const p = 1 / (1 + Math.exp(-s));
      const e = (p - y) / n;
      gBeta += e;
      at.forEach((l, k) => {
        if (l < 0) return;
        const g = grad[k] as number[];
        const m = lnM[k] as number[];
        for (let j = 0; j < g.length; j++) g[j] = (g[j] ?? 0) + e * ((j === l ? 1 : 0) - Math.exp(m[j] ?? 0));
      });
    }
    gBeta += tau * (beta - beta0);
    beta = clamp(beta - step * gBeta, beta0 - maxShift, beta0 + maxShift);
    theta.forEach((row, k) => {
      row.forEach((v, j) => {
        const t0 = theta0[k]?.[j] ?? 0;
        const g = (grad[k]?.[j] ?? 0) + tau * (v - t0);
        row[j] = clamp(v - step * g, t0 - maxShift, t0 + maxShift);
      });
    });
  }
  const lambda = 1 / (1 + Math.exp(-beta));
  return {
    ...base,
    lambda,
    comparisons: base.comparisons.map((c, k) => {
      const row = theta[k] as number[];
      const total = row.reduce((a, v) => a + Math.exp(v), 0);
      return {
        ...c,
        levels: c.levels.map((l, j) => ({ ...l, m: Math.max(Math.exp(row[j] ?? 0) / total, MIN_M) })),
      };
    }),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Before and after on the labelled pairs, by k-fold cross-validation: each pair is scored by a
 * model learnt without it, so the new model is not marked on the answers it was fitted to.
 * Folds are stratified (each holds its share of both kinds) and fixed by the pairs' order.
 */
export function crossValidate(
  base: Model,
  pairs: LabelledPair[],
  options: RelearnOptions & { folds?: number; threshold?: number } = {},
): { before: Figures; after: Figures } {
  const folds = options.folds ?? 5;
  const threshold = options.threshold ?? LINK_THRESHOLD;
  const foldOf: number[] = [];
  let yes = 0;
  let no = 0;
  for (const p of pairs) foldOf.push(p.match ? yes++ % folds : no++ % folds);
  const predicted: boolean[] = new Array<boolean>(pairs.length).fill(false);
  for (let f = 0; f < folds; f++) {
    const training = pairs.filter((_, i) => foldOf[i] !== f);
    const model = relearn(base, training, { ...options, minimum: 1 });
    pairs.forEach((p, i) => {
      if (foldOf[i] === f) predicted[i] = probabilityOf(labelledWeight(model, p)) >= threshold;
    });
  }
  return { before: figuresOn(base, pairs, threshold), after: figuresOf(pairs, predicted) };
}
