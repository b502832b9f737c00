import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CELL_KEY_MODULUS,
  DisclosureError,
  protectSeries,
  protectTable,
  recordKeySalt,
  roundCount,
  type DisclosureOptions,
  type PublishedValue,
} from './index.ts';

const options: DisclosureOptions = { secret: 'a-release-secret-for-tests-only-0123', method: 'rr3' };
const value = (v: PublishedValue | null | undefined) => (v && !v.suppressed ? v.value : null);

describe('cell-key method', () => {
  it('rounds the same records the same way whatever the labels, and different records independently', () => {
    // 17 referrals with keys summing to 123456: national, regional and in a table margin alike.
    const a = roundCount(17, { measure: 'referrals', area: 'all' }, options, 123456);
    const b = roundCount(17, { measure: 'referrals', area: '12' }, options, 123456);
    const c = roundCount(17, { measure: 'referrals', from: '2026-01-01', to: '2026-03-31' }, options, 123456);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // Over many different record sets, 17 becomes 18 two times in three (unbiased).
    let up = 0;
    for (let key = 0; key < 3000; key++) if (value(roundCount(17, {}, options, key * 7919)) === 18) up++;
    expect(up / 3000).toBeGreaterThan(0.6);
    expect(up / 3000).toBeLessThan(0.73);
  });

  it('gives a table total the key of its cells, so it equals the same records counted as one cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ count: fc.integer({ min: 0, max: 40 }), key: fc.nat() }), {
          minLength: 2,
          maxLength: 6,
        }),
        (cells) => {
          const table = protectTable(
            {
              measure: 'referrals by region',
              rows: { name: 'region', categories: cells.map((_, i) => `r${i}`) },
              cells: cells.map((c, i) => ({ labels: { region: `r${i}` }, count: c.count, key: c.key })),
            },
            options,
          );
          const count = cells.reduce((s, c) => s + c.count, 0);
          const key = cells.reduce((s, c) => s + c.key, 0) % CELL_KEY_MODULUS;
          const alone = roundCount(count, { measure: 'referrals' }, { ...options }, key);
          expect(table.total).toEqual(alone);
          expect(table.rules.seeding).toMatch(/^cell key/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('suppresses zeros in a small table, and publishes them in a large one', () => {
    const small = protectSeries(
      {
        measure: 'referrals by month',
        points: [
          { period: '2026-01', count: 3, key: 11 },
          { period: '2026-02', count: 0, key: 0 },
          { period: '2026-03', count: 0, key: 0 },
        ],
      },
      { ...options, protectZerosBelow: 20 },
    );
    expect(small.body.flat()).toEqual([
      { suppressed: true, reason: 'primary' },
      { suppressed: true, reason: 'primary' },
      { suppressed: true, reason: 'primary' },
    ]);
    const large = protectSeries(
      {
        measure: 'referrals by month',
        points: [
          { period: '2026-01', count: 30, key: 11 },
          { period: '2026-02', count: 0, key: 0 },
        ],
      },
      { ...options, protectZerosBelow: 20 },
    );
    expect(large.body[1]?.[0]).toEqual({ suppressed: false, value: 0 });
  });

  it('refuses a table where some cells have keys and others not, and a bad key', () => {
    expect(() =>
      protectTable(
        {
          measure: 'm',
          rows: 'r',
          cells: [
            { labels: { r: 'a' }, count: 7, key: 3 },
            { labels: { r: 'b' }, count: 8 },
          ],
        },
        options,
      ),
    ).toThrow(/no cell key/);
    expect(() => roundCount(7, {}, options, -1)).toThrow(DisclosureError);
    expect(() => roundCount(7, {}, options, 1.5)).toThrow(/cell key/);
  });

  it('derives the record-key salt from the secret: fixed for a series, different for another', () => {
    expect(recordKeySalt('a-release-secret-for-tests-only-0123')).toBe(
      recordKeySalt('a-release-secret-for-tests-only-0123'),
    );
    expect(recordKeySalt('another-release-secret-for-tests-456')).not.toBe(
      recordKeySalt('a-release-secret-for-tests-only-0123'),
    );
  });
});
