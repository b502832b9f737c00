import { describe, expect, it } from 'vitest';
import { assertNoSmallDifferences, smallDifferences } from './differencing.ts';
import type { TableInput } from './table.ts';

const table = (fixed: Record<string, string>, counts: number[]): TableInput => ({
  measure: 'children identified',
  fixed,
  rows: 'region',
  cells: counts.map((count, i) => ({ labels: { region: `r${i}` }, count })),
});

describe('differencing between overlapping tables', () => {
  const all = table({ ages: '0–17' }, [40, 25, 9]);
  const under16 = table({ ages: '0–15' }, [38, 25, 2]);

  it('finds cells (and totals) whose difference would be a small count', () => {
    // r0 differs by 2 (small), r1 by 0 (nothing new), r2 by 7, the totals by 9.
    expect(smallDifferences(all, under16)).toEqual([{ labels: { region: 'r0' }, difference: 2 }]);
    expect(
      smallDifferences(all, table({ ages: '0–15' }, [38, 25, 8])).map((d) => [d.labels, d.difference]),
    ).toEqual([
      [{ region: 'r0' }, 2],
      [{ region: 'r2' }, 1],
      [{}, 3],
    ]);
  });

  it('throws with the cells named when asked to assert', () => {
    expect(() => {
      assertNoSmallDifferences(all, under16);
    }).toThrow(/1 cell\(s\) differ by fewer than 6.*region=r0/);
    expect(() => {
      assertNoSmallDifferences(all, all);
    }).not.toThrow();
    expect(() => {
      assertNoSmallDifferences(all, under16, { threshold: 2 });
    }).not.toThrow();
  });
});
