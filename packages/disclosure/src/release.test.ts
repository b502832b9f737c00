import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { determinedCells } from './linked.ts';
import type { PublishedValue } from './rounding.ts';
import {
  gridLines,
  protectRelease,
  protectTable,
  type PublishedTable,
  type ReleaseRef,
  type TableInput,
} from './table.ts';

const options = { secret: 'test release secret, linked tables', method: 'rr3' } as const;

/** The published grid of a table, margins last (as protectRelease sees it). */
function grid(t: PublishedTable): PublishedValue[][] {
  const g: PublishedValue[][] = t.body.map((row, i) => [...row, ...(t.rowTotals ? [t.rowTotals[i]!] : [])]);
  if (t.total) g.push([...(t.columnTotals ?? []), t.total]);
  return g;
}

type Terms = Map<string, number>;

/** Each table's own lines, as the attacker writes them: parts − total = 0. */
function tableLines(tables: readonly PublishedTable[]): Terms[] {
  return tables.flatMap((t, n) => {
    const g = grid(t);
    return gridLines(g.length, g[0]!.length, t.columns !== null).map((line) => {
      const terms: Terms = new Map();
      line.forEach(([i, j], k) => {
        const id = `${n}:${i},${j}`;
        terms.set(id, (terms.get(id) ?? 0) + (k === line.length - 1 ? -1 : 1));
      });
      return terms;
    });
  });
}

function hiddenIds(tables: readonly PublishedTable[]): Set<string> {
  const out = new Set<string>();
  tables.forEach((t, n) => {
    grid(t).forEach((row, i) => {
      row.forEach((v, j) => {
        if (v.suppressed) out.add(`${n}:${i},${j}`);
      });
    });
  });
  return out;
}

const count = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 2, arbitrary: fc.integer({ min: 6, max: 60 }) },
);

describe('suppression that protects without hiding the picture', () => {
  // The age × gender chart of issue #15: transgender girls are few in every age band.
  const ages = ['0-12', '13-15', '16-17'];
  const genders = ['boy', 'girl', 'transgender girl'];
  const body = [
    [40, 31, 3],
    [81, 52, 2],
    [22, 13, 4],
  ];
  const input: TableInput = {
    measure: 'children referred',
    rows: { name: 'age', categories: ages },
    columns: { name: 'gender', categories: genders },
    cells: body.flatMap((row, i) =>
      row.map((count, j) => ({ labels: { age: ages[i]!, gender: genders[j]! }, count })),
    ),
  };

  it('hides the smallest cells, never the 81 boys, and hides the total of a group it hid entirely', () => {
    const t = protectTable(input, options);
    const reasons = t.body.map((row) => row.map((v) => (v.suppressed ? v.reason : 'shown')));
    // Every transgender girl cell is small: primary.
    expect(reasons.map((row) => row[2])).toEqual(['primary', 'primary', 'primary']);
    // Their column total (9) would tell the size of a group whose every cell is hidden.
    expect(t.columnTotals?.[2]).toEqual({ suppressed: true, reason: 'secondary' });
    // No boy is hidden: each age band is protected by its girls, the cheaper column (the girls'
    // column then holds three hidden cells, so no further cell is needed there).
    expect(reasons.map((row) => row[0])).toEqual(['shown', 'shown', 'shown']);
    expect(t.columnTotals?.[0]?.suppressed).toBe(false);
    const hiddenValue = body.flat().reduce((sum, n, k) => {
      const v = t.body[Math.floor(k / 3)]![k % 3]!;
      return sum + (v.suppressed && v.reason === 'secondary' ? n : 0);
    }, 0);
    // The least a partner for each age band can cost: 31 + 52 + 13 girls (the boys would cost 143).
    expect(hiddenValue).toBe(31 + 52 + 13);
    expect(determinedCells(tableLines([t]), hiddenIds([t]))).toEqual([]);
  });
});

describe('release-wide secondary suppression', () => {
  /** The nation's table and each region's, of one measure, tied by sums; plus a by-region table. */
  function regionalRelease(byRegion: number[][]) {
    const categories = byRegion[0]!.map((_, j) => `c${j}`);
    const regions = byRegion.map((_, r) => `r${r}`);
    const oneWay = (measure: string, counts: number[], area: string): TableInput => ({
      measure,
      fixed: { area },
      rows: { name: 'category', categories },
      cells: counts.map((count, j) => ({ labels: { category: categories[j]! }, count })),
    });
    const national = byRegion[0]!.map((_, j) => byRegion.reduce((s, row) => s + row[j]!, 0));
    const tables = [
      oneWay('referrals by kind', national, 'all'),
      ...byRegion.map((row, r) => oneWay('referrals by kind', row, regions[r]!)),
      {
        measure: 'referrals by region',
        fixed: { area: 'all' },
        rows: { name: 'region', categories: regions },
        cells: byRegion.map((row, r) => ({
          labels: { region: regions[r]! },
          count: row.reduce((a, b) => a + b, 0),
        })),
      },
    ];
    const byRegionTable = tables.length - 1;
    const ref = (table: number, row: string | null): ReleaseRef => ({ table, row });
    const links = {
      // A region's total is its cell in the national table by region; the nation's totals agree.
      same: [
        ...regions.map((r, k) => [ref(k + 1, null), ref(byRegionTable, r)]),
        [ref(0, null), ref(byRegionTable, null)],
      ],
      // The nation is the sum of its regions, category by category.
      sums: categories.map((c) => ({ parts: regions.map((_, k) => ref(k + 1, c)), total: ref(0, c) })),
    };
    return { tables, links, categories, regions };
  }

  /** Every line of the release with `same` figures as one unknown, for the attacker's algebra. */
  function attackerLines(
    published: PublishedTable[],
    release: ReturnType<typeof regionalRelease>,
  ): { lines: Terms[]; hidden: Set<string>; mismatched: string[] } {
    const lines = tableLines(published);
    const position = (r: ReleaseRef) => {
      const t = published[r.table]!;
      const i = r.row === null ? t.body.length : t.rows.categories.indexOf(r.row);
      return `${r.table}:${i},0`;
    };
    const hidden = hiddenIds(published);
    const mismatched: string[] = [];
    for (const group of release.links.same) {
      const ids = group.map(position);
      // A figure shown in one place and hidden in another is not hidden at all.
      if (new Set(ids.map((id) => hidden.has(id))).size > 1) mismatched.push(ids.join(' = '));
      for (let k = 1; k < ids.length; k++)
        lines.push(
          new Map([
            [ids[0]!, 1],
            [ids[k]!, -1],
          ]),
        );
    }
    for (const sum of release.links.sums) {
      const terms: Terms = new Map(sum.parts.map((p) => [position(p), 1]));
      terms.set(position(sum.total), -1);
      lines.push(terms);
    }
    return { lines, hidden, mismatched };
  }

  it('leaves no suppressed cell recoverable across region and national tables (random releases)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((c) =>
            fc.array(fc.array(count, { minLength: c, maxLength: c }), { minLength: 2, maxLength: 5 }),
          ),
        (byRegion) => {
          const release = regionalRelease(byRegion);
          const published = protectRelease(
            release.tables.map((table) => ({ table })),
            options,
            release.links,
          );
          const { lines, hidden, mismatched } = attackerLines(published, release);
          expect(mismatched).toEqual([]);
          expect(determinedCells(lines, hidden)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails without the links: tables protected one by one give a region away', () => {
    // Region r0 holds 3 of kind c0; each table alone is safe, the nation minus r1 is not.
    const release = regionalRelease([
      [3, 20],
      [30, 40],
    ]);
    const alone = release.tables.map((t) => protectTable(t, options));
    const { lines, hidden } = attackerLines(alone, release);
    expect(determinedCells(lines, hidden).length).toBeGreaterThan(0);
    const linked = protectRelease(
      release.tables.map((table) => ({ table })),
      options,
      release.links,
    );
    const after = attackerLines(linked, release);
    expect(determinedCells(after.lines, after.hidden)).toEqual([]);
  });

  it('leaves no month recoverable from the quarter and the year (overlapping periods)', () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 12, maxLength: 12 }), (months) => {
        const series = (measure: string, periods: string[], counts: number[]): TableInput => ({
          measure,
          rows: { name: 'period', categories: periods },
          cells: periods.map((p, k) => ({ labels: { period: p }, count: counts[k]! })),
          totals: false,
        });
        const monthNames = months.map((_, k) => `m${k + 1}`);
        const quarters = [0, 1, 2, 3].map((q) => months.slice(3 * q, 3 * q + 3).reduce((a, b) => a + b, 0));
        const tables = [
          series('referrals', monthNames, months),
          series('referrals', ['Q1', 'Q2', 'Q3', 'Q4'], quarters),
          series('referrals', ['year'], [quarters.reduce((a, b) => a + b, 0)]),
        ];
        const sums = [
          ...[0, 1, 2, 3].map((q) => ({
            parts: monthNames.slice(3 * q, 3 * q + 3).map((m) => ({ table: 0, row: m })),
            total: { table: 1, row: `Q${q + 1}` },
          })),
          {
            parts: ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => ({ table: 1, row: q })),
            total: { table: 2, row: 'year' },
          },
        ];
        const published = protectRelease(
          tables.map((table) => ({ table })),
          options,
          { sums },
        );
        const id = (table: number, k: number) => `${table}:${k},0`;
        const lines: Terms[] = [
          ...[0, 1, 2, 3].map(
            (q) =>
              new Map([...[0, 1, 2].map((m): [string, number] => [id(0, 3 * q + m), 1]), [id(1, q), -1]]),
          ),
          new Map([...[0, 1, 2, 3].map((q): [string, number] => [id(1, q), 1]), [id(2, 0), -1]]),
        ];
        const hidden = new Set<string>();
        published.forEach((t, n) => {
          t.body.forEach((row, k) => {
            if (row[0]!.suppressed) hidden.add(id(n, k));
          });
        });
        expect(determinedCells(lines, hidden)).toEqual([]);
        // Small months are still hidden, and a large quarter is not hidden for nothing.
        months.forEach((m, k) => {
          if (m > 0 && m < 6) expect(hidden.has(id(0, k))).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});
