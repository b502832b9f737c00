import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baseFor,
  cellDraw,
  DisclosureError,
  randomRound,
  roundCount,
  type DisclosureOptions,
  type Labels,
  type RoundingMethod,
} from './rounding.ts';

const secret = 'test release secret, series A';
const rr3: DisclosureOptions = { secret, method: 'rr3' };
const grr: DisclosureOptions = { secret, method: 'grr' };
const methods: RoundingMethod[] = ['rr3', 'grr'];
const labelsArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 8 }), {
  maxKeys: 3,
});
const value = (raw: number, labels: Labels, options: DisclosureOptions): number | null => {
  const p = roundCount(raw, labels, options);
  return p.suppressed ? null : p.value;
};

describe('roundCount', () => {
  it('publishes no count from 1 to threshold − 1, whatever the raw value, labels or threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        labelsArb,
        fc.constantFrom(...methods),
        fc.integer({ min: 1, max: 25 }),
        (raw, labels, method, threshold) => {
          const v = value(raw, labels, { secret, method, threshold });
          if (v !== null) expect(v === 0 || v >= threshold).toBe(true);
          if (raw > 0 && raw < threshold) expect(v).toBeNull();
        },
      ),
    );
  });

  it('publishes a multiple of the base, within one base of the raw count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 100_000 }),
        labelsArb,
        fc.constantFrom(...methods),
        (raw, labels, m) => {
          const v = value(raw, labels, { secret, method: m });
          const base = baseFor(raw, m);
          expect(v).not.toBeNull();
          expect((v ?? 0) % base).toBe(0);
          expect(Math.abs((v ?? 0) - raw)).toBeLessThan(base);
          if (raw % base === 0) expect(v).toBe(raw);
        },
      ),
    );
  });

  it('uses the Stats NZ graduated bases', () => {
    expect([0, 18, 19, 20, 99, 100, 999, 1000, 54321].map((r) => baseFor(r, 'grr'))).toEqual([
      3, 3, 2, 5, 5, 10, 10, 100, 100,
    ]);
    expect(baseFor(54321, 'rr3')).toBe(3);
  });

  it('publishes true zeros by default and can suppress them', () => {
    expect(roundCount(0, {}, rr3)).toEqual({ suppressed: false, value: 0 });
    expect(roundCount(0, {}, { ...rr3, publishZeros: false })).toEqual({
      suppressed: true,
      reason: 'primary',
    });
    expect(roundCount(3, {}, rr3)).toEqual({ suppressed: true, reason: 'primary' });
  });

  it('gives the same output on every run, whatever the key order of the labels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        labelsArb,
        fc.constantFrom(...methods),
        (raw, labels, m) => {
          const reversed = Object.fromEntries(Object.entries(labels).reverse());
          const a = roundCount(raw, labels, { secret, method: m });
          expect(roundCount(raw, reversed, { secret: Buffer.from(secret), method: m })).toEqual(a);
          expect(roundCount(raw, { ...labels }, { secret, method: m })).toEqual(a);
        },
      ),
    );
    // Pinned: a change of seeding scheme must be a deliberate, visible change.
    expect([17, 40, 101, 1234].map((r) => value(r, { measure: 'children', region: '02' }, grr))).toEqual([
      15, 40, 100, 1200,
    ]);
  });

  it('draws differently under a different secret', () => {
    const a = Buffer.from(secret);
    const b = Buffer.from('test release secret, series B');
    const labels = Array.from({ length: 300 }, (_, i) => ({ measure: 'children', cell: String(i) }));
    expect(labels.filter((l) => cellDraw(a, l) === cellDraw(b, l))).toHaveLength(0);
    const differ = labels.filter((l) => value(17, l, rr3) !== value(17, l, { ...rr3, secret: b }));
    expect(differ.length).toBeGreaterThan(60); // about 4/9 of 300 expected
  });

  it('never moves a revised count against the direction of the revision (same cell, same draw)', () => {
    fc.assert(
      fc.property(
        labelsArb,
        fc.constantFrom(...methods),
        fc.integer({ min: 6, max: 3000 }),
        (labels, m, raw) => {
          const options = { secret, method: m };
          if (baseFor(raw, m) === baseFor(raw + 1, m)) {
            expect(value(raw + 1, labels, options) ?? 0).toBeGreaterThanOrEqual(
              value(raw, labels, options) ?? 0,
            );
          }
        },
      ),
    );
  });

  it('preserves the expected value over many distinct cells', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 20_000 }),
        fc.constantFrom(...methods),
        fc.nat(),
        (raw, m, salt) => {
          const n = 2000;
          let total = 0;
          for (let i = 0; i < n; i++)
            total += value(raw, { salt: String(salt), cell: String(i) }, { secret, method: m }) ?? 0;
          // Rounding error is within ±base, so its standard deviation is at most base/2: allow 5 standard errors.
          const tolerance = (5 * baseFor(raw, m)) / 2 / Math.sqrt(n);
          expect(Math.abs(total / n - raw)).toBeLessThan(tolerance);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rounds up with probability exactly (raw mod base) / base over evenly spread draws', () => {
    const n = 30_000; // a multiple of every base, so each share is exact
    for (const base of [2, 3, 5, 10, 100]) {
      for (let remainder = 0; remainder < base; remainder++) {
        const raw = 1000 * base + remainder;
        let up = 0;
        for (let i = 0; i < n; i++) {
          const draw = Math.floor(((i + 0.5) / n) * 2 ** 40);
          if (randomRound(raw, base, draw) > raw) up++;
        }
        expect(up / n, `base ${base}, remainder ${remainder}`).toBe(remainder / base);
      }
    }
  });

  it('gives one cell the Stats NZ probabilities across secrets (17 → 18 two times in three)', () => {
    const labels = { measure: 'children identified', region: '02' };
    const n = 20_000;
    const share = (raw: number, method: RoundingMethod, target: number): number => {
      let hits = 0;
      for (let i = 0; i < n; i++)
        if (value(raw, labels, { secret: `secret number ${i} of many`, method }) === target) hits++;
      return hits / n;
    };
    // Five standard errors of a binomial share over 20,000 secrets.
    const near = (got: number, p: number): void => {
      expect(Math.abs(got - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    };
    near(share(17, 'rr3', 18), 2 / 3);
    near(share(19, 'grr', 20), 1 / 2);
    near(share(1234, 'grr', 1300), 0.34);
  });

  it('refuses bad counts and options with a clear message', () => {
    expect(() => roundCount(-1, { region: '02' }, rr3)).toThrow(
      new DisclosureError('count for region=02 must be a whole number 0 or more, got -1'),
    );
    expect(() => roundCount(2.5, {}, rr3)).toThrow(/whole number/);
    expect(() => roundCount(Number.NaN, {}, rr3)).toThrow(/whole number/);
    expect(() => roundCount(7, {}, { ...rr3, secret: '' })).toThrow(/secret is empty/);
    expect(() => roundCount(7, {}, { ...rr3, secret: new Uint8Array() })).toThrow(/secret is empty/);
    expect(() => roundCount(7, {}, { ...rr3, secret: 'short' })).toThrow(/at least 16/);
    expect(() => roundCount(7, {}, { ...rr3, method: 'rr5' as RoundingMethod })).toThrow(/'rr3' or 'grr'/);
    expect(() => roundCount(7, {}, { ...rr3, threshold: 0 })).toThrow(/threshold/);
    expect(() => roundCount(7, { region: 2 as unknown as string }, rr3)).toThrow(
      /label "region" must be a string/,
    );
  });
});
