import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectMean, protectMedian, protectSum } from './magnitude.ts';

describe('sums and means', () => {
  it('suppresses any mean or sum from fewer than 20 units', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (sum, units) => {
          for (const p of [protectMean(sum, units), protectSum(sum, units), protectMedian(sum, units)]) {
            expect(p.suppressed).toBe(units < 20);
            if (p.suppressed) expect(p.reason).toBe('primary');
          }
        },
      ),
    );
  });

  it('publishes the mean to one decimal place and the sum whole, unless told otherwise', () => {
    expect(protectMean(100, 30)).toEqual({ suppressed: false, value: 3.3 });
    expect(protectMean(100, 30, { decimals: 2 })).toEqual({ suppressed: false, value: 3.33 });
    expect(protectSum(1234.6, 25)).toEqual({ suppressed: false, value: 1235 });
    expect(protectMean(100, 12, { minUnits: 10 })).toEqual({ suppressed: false, value: 8.3 });
    expect(protectMean(0, 0)).toEqual({ suppressed: true, reason: 'primary' });
    expect(protectMedian(4.5, 20)).toEqual({ suppressed: false, value: 5 });
    expect(protectMedian(4.5, 19)).toEqual({ suppressed: true, reason: 'primary' });
  });

  it('refuses bad inputs', () => {
    expect(() => protectMean(Number.NaN, 30)).toThrow(/finite/);
    expect(() => protectMean(10, -1)).toThrow(/units must be a whole number/);
    expect(() => protectMean(10, 2.5)).toThrow(/units must be a whole number/);
    expect(() => protectSum(10, 30, { minUnits: 0 })).toThrow(/minUnits/);
    expect(() => protectSum(10, 30, { decimals: 9 })).toThrow(/decimals/);
  });
});
