import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PublishedValue } from './rounding.ts';
import { secondarySuppression } from './suppression.ts';
import { protectTable, type PublishedTable, type TableInput } from './table.ts';

const options = { secret: 'test release secret, suppression', method: 'rr3' } as const;

/** The table as a grid with margins as the last row and (two-way) last column. */
function grid(t: PublishedTable): PublishedValue[][] {
  const g: PublishedValue[][] = t.body.map((row, i) => [...row, ...(t.rowTotals ? [t.rowTotals[i]!] : [])]);
  if (t.total) g.push([...(t.columnTotals ?? []), t.total]);
  return g;
}

/** Additive lines as {position → coefficient}: parts minus their total is zero. */
function lines(rows: number, cols: number, twoWay: boolean): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  const line = (ps: [number, number][]): Map<string, number> =>
    new Map(ps.map(([i, j], k) => [`${i},${j}`, k === ps.length - 1 ? -1 : 1]));
  if (!twoWay) return [line(Array.from({ length: rows }, (_, i) => [i, 0]))];
  for (let i = 0; i < rows; i++) out.push(line(Array.from({ length: cols }, (_, j) => [i, j])));
  for (let j = 0; j < cols; j++) out.push(line(Array.from({ length: rows }, (_, i) => [i, j])));
  return out;
}

function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  let rank = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width; c++) {
    const pivot = m.findIndex((r, i) => i >= rank && Math.abs(r[c]!) > 1e-9);
    if (pivot < 0) continue;
    [m[rank], m[pivot]] = [m[pivot]!, m[rank]!];
    for (let i = 0; i < m.length; i++) {
      if (i === rank) continue;
      const f = m[i]![c]! / m[rank]![c]!;
      for (let k = c; k < width; k++) m[i]![k]! -= f * m[rank]![k]!;
    }
    rank++;
  }
  return rank;
}

/**
 * Suppressed positions whose value follows from the published ones by any linear combination of the
 * table's lines: unit vector e_k lies in the row space of the lines restricted to the unknowns.
 */
function recoverable(suppressed: boolean[][], twoWay: boolean): string[] {
  const unknowns = suppressed.flatMap((row, i) => row.flatMap((s, j) => (s ? [`${i},${j}`] : [])));
  const a = lines(suppressed.length, suppressed[0]!.length, twoWay).map((l) =>
    unknowns.map((u) => l.get(u) ?? 0),
  );
  const r = rank(a);
  return unknowns.filter((_, k) => rank([...a, unknowns.map((_, x) => (x === k ? 1 : 0))]) === r);
}

const count = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 2, arbitrary: fc.integer({ min: 6, max: 60 }) },
);

function twoWay(body: number[][]): TableInput {
  return {
    measure: 'children identified',
    rows: 'region',
    columns: 'sex',
    cells: body.flatMap((row, i) =>
      row.map((n, j) => ({ labels: { region: `r${i}`, sex: `s${j}` }, count: n })),
    ),
  };
}

describe('secondary suppression', () => {
  it('leaves no suppressed cell recoverable in a two-way table with margins', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((c) =>
            fc.array(fc.array(count, { minLength: c, maxLength: c }), { minLength: 1, maxLength: 6 }),
          ),
        fc.boolean(),
        (body, publishZeros) => {
          const g = grid(protectTable(twoWay(body), { ...options, publishZeros }));
          const suppressed = g.map((row) => row.map((v) => v.suppressed));
          // No line with exactly one suppressed cell (plain subtraction) …
          for (const l of lines(g.length, g[0]!.length, true)) {
            expect(
              [...l.keys()].filter((p) => suppressed[Number(p.split(',')[0])]![Number(p.split(',')[1])])
                .length,
            ).not.toBe(1);
          }
          // … and nothing recoverable by combining lines either.
          expect(recoverable(suppressed, true)).toEqual([]);
        },
      ),
    );
  });

  it('leaves no suppressed cell recoverable in a one-way table with a total', () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 1, maxLength: 12 }), (counts) => {
        const t = protectTable(
          {
            measure: 'referrals',
            rows: 'region',
            cells: counts.map((n, i) => ({ labels: { region: `r${i}` }, count: n })),
          },
          options,
        );
        const suppressed = grid(t).map((row) => row.map((v) => v.suppressed));
        expect(suppressed.filter(([s]) => s).length).not.toBe(1);
        expect(recoverable(suppressed, false)).toEqual([]);
      }),
    );
  });

  it('suppresses the smallest other cell of the line, never a total when a cell will do', () => {
    const t = protectTable(
      {
        measure: 'referrals',
        rows: 'region',
        cells: [9, 2, 30, 7, 7].map((n, i) => ({ labels: { region: `r${i}` }, count: n })),
      },
      options,
    );
    expect(t.body.map(([v]) => (v!.suppressed ? v!.reason : 'shown'))).toEqual([
      'shown',
      'primary',
      'shown',
      'secondary', // 7 ties with 7: the first wins
      'shown',
    ]);
    expect(t.total?.suppressed).toBe(false);
    // Only the total is left to pair with: it is suppressed.
    const two = protectTable(
      { measure: 'referrals', rows: 'region', cells: [{ labels: { region: 'a' }, count: 3 }] },
      options,
    );
    expect(two.total).toEqual({ suppressed: true, reason: 'primary' });
  });

  it('prefers a non-zero cell to a true zero', () => {
    const t = protectTable(
      {
        measure: 'referrals',
        rows: 'region',
        cells: [0, 2, 30, 8].map((n, i) => ({ labels: { region: `r${i}` }, count: n })),
      },
      options,
    );
    expect(t.body.map(([v]) => v!.suppressed)).toEqual([false, true, false, true]);
  });

  it('breaks a chain that joins two closed groups (recoverable although every line has two)', () => {
    // Two 2×2 blocks, joined by one cell: every line holds two or more, yet (0,2) is determined.
    const primary = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => false));
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
      [0, 2],
    ] as const) {
      primary[i]![j] = true;
    }
    expect(recoverable(primary, true)).toEqual(['0,2']);
    const raw = primary.map((row, i) => row.map((_, j) => (i === 4 || j === 4 ? 100 : 10 + i + j)));
    const margin = primary.map((row, i) => row.map((_, j) => i === 4 || j === 4));
    const extra = secondarySuppression({ raw, margin, suppressed: primary }, 'two-way');
    expect(extra.length).toBeGreaterThan(0);
    const after = primary.map((row, i) => row.map((s, j) => s || extra.some(([a, b]) => a === i && b === j)));
    expect(recoverable(after, true)).toEqual([]);
    expect(extra.every(([i, j]) => i < 4 && j < 4)).toBe(true);
  });
});
