import { describe, expect, it } from 'vitest';
import { calibrateOneToOne, expectedF1Threshold } from './calibrate.ts';
import { entityOf } from './evaluate.ts';
import { febrlConfig } from './config.ts';
import { generateAgencyPair } from './generate-agencies.ts';
import { link } from './linkage.ts';
import { weightOf } from './model.ts';

const LAMBDA = 1e-4;
/** A pair whose evidence alone (prior taken out) is `bits` bits, scored under the prior `lambda`. */
const pair = (a: string, b: string, bits: number, lambda = LAMBDA) => ({
  a,
  b,
  weight: weightOf(lambda) + bits,
});

describe('one-to-one calibration', () => {
  it('counts no more matches than the smaller file holds, however many pairs look alike', () => {
    // 100 left and 100 right records, each left record with three strong candidates (namesakes):
    // taken one by one, the model would count 300 matches.
    const pairs = [];
    for (let i = 0; i < 100; i++)
      for (let k = 0; k < 3; k++) pairs.push(pair(`a${i}`, `b${(i + k) % 100}`, 30));
    const cal = calibrateOneToOne(pairs, LAMBDA, 100, 100);
    expect(cal.matches).toBeLessThanOrEqual(100);
    // Three equally good candidates each: none is more likely than not.
    for (const p of cal.probabilities) expect(p).toBeLessThan(0.5);
  });

  it('keeps a pair without rivals sure, and splits one between two equally good rivals', () => {
    const pairs = [pair('a1', 'b1', 30), pair('a2', 'b2', 30), pair('a2', 'b3', 30)];
    const cal = calibrateOneToOne(pairs, LAMBDA, 50, 50);
    expect(cal.probabilities[0]).toBeGreaterThan(0.99);
    expect(cal.probabilities[1]).toBeLessThan(0.5);
    expect(cal.probabilities[1]).toBeGreaterThan(0.49);
    expect(cal.probabilities[1]).toBeCloseTo(cal.probabilities[2] ?? 0, 6);
  });

  it('lowers a prior that counted too many matches, and raises one that counted too few', () => {
    // 20 clear matches (30 bits) among 1,000 × 1,000 records, and many weak look-alikes (8 bits).
    const pairs = (lambda: number) => [
      ...Array.from({ length: 20 }, (_, i) => pair(`a${i}`, `b${i}`, 30, lambda)),
      ...Array.from({ length: 880 }, (_, i) => pair(`a${i + 20}`, `b${i + 20}`, 8, lambda)),
    ];
    const high = calibrateOneToOne(pairs(1e-3), 1e-3, 1000, 1000);
    const low = calibrateOneToOne(pairs(1e-8), 1e-8, 1000, 1000);
    expect(high.matches).toBeGreaterThan(15);
    expect(high.matches).toBeLessThan(40);
    expect(low.matches).toBeCloseTo(high.matches, 0);
  });

  it('links at the threshold that maximises the F1 the probabilities expect', () => {
    const sure = Array.from({ length: 90 }, () => 0.99);
    const { threshold, expectedF1 } = expectedF1Threshold([...sure, 0.6, 0.45, 0.3, 0.1, 0.05]);
    // Half the expected F1 (about 0.47) is where a pair starts to pay: 0.45 is below, 0.6 above.
    expect(threshold).toBe(0.6);
    expect(expectedF1).toBeGreaterThan(0.9);
    expect(expectedF1Threshold([]).threshold).toBe(1);
  });
});

describe('one-to-one calibration on generated NZ files', () => {
  // A small file: few children, so many share a name, and little data to learn from.
  const { left, right } = generateAgencyPair({ count: 600, seed: 7, overlap: 0.4 });
  const truth = left.filter((l) => right.some((r) => entityOf(r.id) === entityOf(l.id))).length;
  const quality = (pairs: { a: string; b: string }[]) => {
    const correct = pairs.filter((p) => entityOf(p.a) === entityOf(p.b)).length;
    const precision = correct / Math.max(1, pairs.length);
    const recall = correct / truth;
    return { precision, recall, f1: (2 * precision * recall) / Math.max(1e-9, precision + recall) };
  };

  it('does not collapse on a small file: no more matches than the model can see, twins not linked', async () => {
    const res = await link(left, right, { config: febrlConfig(), oneToOne: true });
    const before = await link(left, right, { config: febrlConfig(), oneToOne: true, calibration: 'none' });
    const cal = res.stats.calibration;
    expect(cal).toBeDefined();
    // The model's own prior counts far more matches than there are children in both files.
    expect((before.model.lambda * left.length * right.length) / truth).toBeGreaterThan(1.3);
    expect(cal?.matches ?? 0).toBeGreaterThan(0.5 * truth);
    expect(cal?.matches ?? 0).toBeLessThan(1.3 * truth);
    expect(cal?.threshold ?? 0).toBeGreaterThan(0.2);
    expect(cal?.threshold ?? 1).toBeLessThan(0.8);
    const after = quality(res.pairs);
    expect(after.precision).toBeGreaterThan(0.85);
    expect(after.f1).toBeGreaterThan(quality(before.pairs).f1 - 0.02);
    // Twins (one family name, one date of birth, different children) are never linked.
    const byId = new Map([...left, ...right].map((r) => [r.id, r]));
    const twins = res.pairs.filter((p) => {
      const a = byId.get(p.a);
      const b = byId.get(p.b);
      return (
        entityOf(p.a) !== entityOf(p.b) &&
        a?.dateOfBirth !== undefined &&
        a.dateOfBirth === b?.dateOfBirth &&
        a.familyNames[0] === b.familyNames[0]
      );
    });
    expect(twins).toEqual([]);
    // 'none' keeps the model's prior and the 0.5 threshold.
    expect(before.stats.calibration).toBeUndefined();
    expect(before.pairs.every((p) => p.probability >= 0.5)).toBe(true);
  }, 180_000);
});
