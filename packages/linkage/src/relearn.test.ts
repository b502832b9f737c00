import { describe, expect, it } from 'vitest';
import { defaultChildModel } from './index.ts';
import {
  crossValidate,
  figuresOn,
  labelledWeight,
  MIN_LABELS_EACH,
  NotEnoughLabelsError,
  relearn,
  type LabelledPair,
} from './relearn.ts';

const pair = (match: boolean, levels: Record<string, string>): LabelledPair => ({
  levels,
  adjustment: 0,
  match,
});
const level = (model: ReturnType<typeof defaultChildModel>, comparison: string, label: string) => {
  const l = model.comparisons.find((c) => c.label === comparison)!.levels.find((x) => x.label === label)!;
  return Math.log2(l.m / l.u);
};

/**
 * An installation whose reviewers keep rejecting pairs whose names agree but whose dates of birth
 * differ by one digit (here: siblings born a few days apart in records that round the day), and
 * confirm pairs whose dates agree exactly or have day and month swapped, also when the family
 * names differ.
 */
function reviews(confirmed: number, rejected: number): LabelledPair[] {
  const out: LabelledPair[] = [];
  for (let i = 0; i < confirmed; i++)
    out.push(
      pair(true, {
        'given name': i % 3 === 0 ? 'very similar spelling (Jaro–Winkler ≥ 0.92)' : 'exact',
        // A child known under a step-parent's or whānau name: one in four.
        'family name': i % 4 === 1 ? 'different' : 'exact',
        'date of birth': i % 4 === 0 ? 'day and month swapped' : 'exact',
        gender: 'exact',
        region: i % 5 === 0 ? 'different' : 'exact',
      }),
    );
  for (let i = 0; i < rejected; i++)
    out.push(
      pair(false, {
        'given name': i % 4 === 0 ? 'known nickname or other form' : 'exact',
        'family name': 'exact',
        'date of birth': 'one digit different',
        gender: 'exact',
        region: 'different',
      }),
    );
  return out;
}

describe('learning from reviewers', () => {
  const base = defaultChildModel();

  it('refuses, saying how many decisions there are, below the minimum of each kind', () => {
    expect(() => relearn(base, reviews(MIN_LABELS_EACH, MIN_LABELS_EACH - 1))).toThrow(NotEnoughLabelsError);
    expect(() => relearn(base, reviews(5, 80))).toThrow(/at least 30 "same child".*there are 5 and 80/);
  });

  it('gives more weight against the pattern reviewers reject, and scores the rejected pairs lower', () => {
    const labels = reviews(40, 40);
    const learnt = relearn(base, labels);
    const before = level(base, 'date of birth', 'one digit different');
    const after = level(learnt, 'date of birth', 'one digit different');
    expect(after).toBeLessThan(before - 1);
    const rejectedPair = labels.find((p) => !p.match)!;
    expect(labelledWeight(learnt, rejectedPair)).toBeLessThan(labelledWeight(base, rejectedPair));
    // u is not learnt from reviews (they are no sample of all pairs), and the structure is kept.
    expect(learnt.comparisons.map((c) => c.levels.map((l) => l.u))).toEqual(
      base.comparisons.map((c) => c.levels.map((l) => l.u)),
    );
    for (const c of learnt.comparisons) expect(c.levels.reduce((a, l) => a + l.m, 0)).toBeCloseTo(1, 6);
    expect(figuresOn(learnt, labels).f1).toBeGreaterThan(figuresOn(base, labels).f1);
  });

  it('is measured by cross-validation, and few labels move the model little', () => {
    const labels = reviews(40, 40);
    const { before, after } = crossValidate(base, labels);
    expect(before.precision).toBeLessThan(1);
    expect(after.f1).toBeGreaterThan(before.f1);
    expect(after.pairs).toBe(80);
    // Thirty of each, against the same model: bounded shifts, every weight still finite.
    const small = relearn(base, reviews(30, 30));
    const big = relearn(base, reviews(300, 300));
    const shift = (m: typeof base) =>
      Math.abs(
        level(m, 'date of birth', 'one digit different') -
          level(base, 'date of birth', 'one digit different'),
      );
    expect(shift(small)).toBeLessThan(shift(big));
    // Each parameter moves at most maxShiftBits (4), and renormalising m at most as much again.
    expect(shift(big)).toBeLessThanOrEqual(8);
  });
});
