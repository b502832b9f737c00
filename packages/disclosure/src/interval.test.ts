import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { narrowCells, simplexMax, sliceRange, type AuditCell, type LineTerms } from './interval.ts';
import { determinedCells } from './linked.ts';
import type { PublishedValue } from './rounding.ts';
import { protectRelease, type ReleaseRef, type TableInput } from './table.ts';

const sum = (parts: string[], total: string): LineTerms =>
  new Map([...parts.map((p): [string, number] => [p, 1]), [total, -1]]);

describe('the linear programme', () => {
  it('finds the range of a variable under equalities and bounds', () => {
    // x + y = 4, x ≤ 3 (x + s = 3): x in [0, 3], y in [1, 4].
    const A = [
      [1, 1, 0],
      [1, 0, 1],
    ];
    expect(
      simplexMax(
        A,
        [4, 3],
        [
          [1, 0, 0],
          [-1, 0, 0],
          [0, 1, 0],
          [0, -1, 0],
        ],
      ),
    ).toEqual([3, -0, 4, -1]);
    // Infeasible: x + y = −1 with x, y ≥ 0.
    expect(simplexMax([[1, 1]], [-1], [[1, 0]])).toBeNull();
    // Unbounded: x − y = 0.
    expect(simplexMax([[1, -1]], [0], [[1, 0]])).toEqual([Infinity]);
  });

  it('finds the documented case: nation 39, the only other region 42, the hidden region can only be 1', () => {
    const cells = new Map<string, AuditCell>([
      ['nation', { raw: 41, lo: 37, hi: 41 }],
      ['auckland', { raw: 40, lo: 40, hi: 44 }],
      ['wellington', { raw: 1, lo: 1, hi: 5 }],
    ]);
    const lines = [sum(['auckland', 'wellington'], 'nation')];
    const linesOf = new Map([
      ['nation', [0]],
      ['auckland', [0]],
      ['wellington', [0]],
    ]);
    expect(sliceRange('wellington', cells, lines, linesOf)).toEqual({ least: 1, most: 1 });
    expect(narrowCells(['wellington'], cells, lines)).toEqual([{ id: 'wellington', least: 1, most: 1 }]);
    // With Auckland's count hidden (6 or more), Wellington is anywhere in 1–5 again.
    const hidden = new Map(cells).set('auckland', { raw: 40, lo: 6, hi: Infinity });
    expect(sliceRange('wellington', hidden, lines, linesOf)).toEqual({ least: 1, most: 5 });
  });
});

/**
 * What an attacker can say of each hidden small cell from the published figures of the whole
 * release (no slice): published v (RR3) → [max(v − 2, 6), v + 2], `*` → 1–5, `S` → 6 or more (its
 * true branch: an attacker who also allows 0 gets a range at least as wide).
 */
function attackerRanges(
  cells: ReadonlyMap<string, { raw: number; shown: PublishedValue }>,
  lines: readonly LineTerms[],
  /** Knowing of each published figure only that it is not small (6 or more, or 0). */
  markersOnly = false,
): Map<string, { least: number; most: number }> {
  const audit = new Map<string, AuditCell>();
  for (const [id, { raw, shown }] of cells) {
    if (markersOnly && !shown.suppressed && shown.value > 0) {
      audit.set(id, { raw, lo: 6, hi: Infinity });
      continue;
    }
    const [lo, hi] = shown.suppressed
      ? shown.reason === 'primary'
        ? [1, 5]
        : raw === 0
          ? [0, 0]
          : [6, Infinity]
      : shown.value === 0
        ? [0, 0]
        : [Math.max(shown.value - 2, 6), shown.value + 2];
    audit.set(id, { raw, lo, hi });
  }
  const linesOf = new Map<string, number[]>();
  lines.forEach((t, l) => {
    for (const id of t.keys()) linesOf.set(id, [...(linesOf.get(id) ?? []), l]);
  });
  const out = new Map<string, { least: number; most: number }>();
  for (const [id, { shown }] of cells)
    if (shown.suppressed && shown.reason === 'primary')
      out.set(id, sliceRange(id, audit, lines, linesOf, Number.MAX_SAFE_INTEGER));
  return out;
}

describe('the interval audit after rounding (random secrets)', () => {
  // Months and their quarter for the nation and a few regions (the referral cube of one quarter):
  // nation = Σ regions for each period, quarter = Σ months for each area.
  const count = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 5 }) },
    { weight: 3, arbitrary: fc.integer({ min: 6, max: 60 }) },
  );
  const secret = fc.string({ minLength: 16, maxLength: 40 });

  function cube(byRegion: number[][]) {
    const periods = ['m1', 'm2', 'm3', 'q'];
    const areas = ['all', ...byRegion.map((_, r) => `r${r}`)];
    const withQuarter = byRegion.map((months) => [...months, months.reduce((a, b) => a + b, 0)]);
    const national = periods.map((_, p) => withQuarter.reduce((s, row) => s + row[p]!, 0));
    const counts = [national, ...withQuarter];
    const tables: TableInput[] = areas.map((area, k) => ({
      measure: 'referrals',
      fixed: { area },
      rows: { name: 'period', categories: periods },
      cells: periods.map((p, i) => ({ labels: { period: p }, count: counts[k]![i]! })),
      totals: false,
    }));
    const ref = (table: number, row: string): ReleaseRef => ({ table, row });
    const regions = areas.map((_, k) => k).slice(1);
    const sums = [
      ...periods.map((p) => ({ parts: regions.map((k) => ref(k, p)), total: ref(0, p) })),
      ...areas.map((_, k) => ({ parts: ['m1', 'm2', 'm3'].map((m) => ref(k, m)), total: ref(k, 'q') })),
    ];
    const id = (k: number, p: string) => `${areas[k]}|${p}`;
    const lines: LineTerms[] = [
      ...periods.map((p) =>
        sum(
          regions.map((k) => id(k, p)),
          id(0, p),
        ),
      ),
      ...areas.map((_, k) =>
        sum(
          ['m1', 'm2', 'm3'].map((m) => id(k, m)),
          id(k, 'q'),
        ),
      ),
    ];
    return { tables, sums, lines, counts, areas, periods, id };
  }

  it('leaves every hidden small cell at least three possible values, exactly unrecoverable, the same every time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(count, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        secret,
        (byRegion, key) => {
          const options = { secret: key, method: 'rr3' } as const;
          const c = cube(byRegion);
          const release = () =>
            protectRelease(
              c.tables.map((table) => ({ table })),
              options,
              { sums: c.sums },
            );
          const published = release();
          // Deterministic: the same inputs give the same release.
          expect(release()).toEqual(published);
          const cells = new Map<string, { raw: number; shown: PublishedValue }>();
          published.forEach((t, k) => {
            c.periods.forEach((p, i) => {
              cells.set(c.id(k, p), { raw: c.counts[k]![i]!, shown: t.body[i]![0]! });
            });
          });
          const hidden = new Set([...cells].filter(([, v]) => v.shown.suppressed).map(([id]) => id));
          expect(determinedCells(c.lines, hidden)).toEqual([]);
          const ranges = attackerRanges(cells, c.lines);
          const markers = attackerRanges(cells, c.lines, true);
          for (const [id, r] of ranges) {
            const raw = cells.get(id)!.raw;
            expect(raw, id).toBeGreaterThanOrEqual(r.least);
            expect(raw, id).toBeLessThanOrEqual(r.most);
            // At least three values, unless the `*` and `S` markers alone leave fewer (four
            // regions' `*`, each 1–5, under a national `*` make it 4 or 5, rounded or not).
            const m = markers.get(id)!;
            if (m.most - m.least < 2) expect(r, id).toEqual(m);
            else
              expect(
                r.most - r.least + 1,
                `${id} (count ${raw}) in ${r.least}–${r.most}`,
              ).toBeGreaterThanOrEqual(3);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('the interval audit does not hide more than the attacker needs', () => {
  // A year's referral cube as the server builds it (release.ts): 12 months, 4 quarters and the year
  // for the nation and 16 regions; an area's year of fewer than 20 referrals hides its zeros too.
  // July: Auckland 11, Wellington 3, nobody else all year. The 14 other regions are all `*`
  // (0–5 each), so the nation's and Auckland's rounded figures leave Wellington anywhere in 0–5:
  // nothing more needs hiding. A slice that held the empty regions at their true counts (0) saw
  // Wellington pinned at 3 and hid Auckland's July (`S`) on the dashboard for no reason.
  const months = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
  const quarters = ['q1', 'q2', 'q3', 'q4'];
  const periods = [...months, ...quarters, 'year'];
  const monthsOf = (p: string) =>
    p === 'year' ? months : p.startsWith('q') ? months.slice((Number(p[1]) - 1) * 3, Number(p[1]) * 3) : [p];
  const areas = ['all', ...Array.from({ length: 16 }, (_, r) => `r${r + 1}`)];

  function yearCube(july: Record<string, number>) {
    const monthly = (area: string, m: string) =>
      m !== 'm7' ? 0 : area === 'all' ? Object.values(july).reduce((a, b) => a + b, 0) : (july[area] ?? 0);
    const count = (area: string, p: string) => monthsOf(p).reduce((s, m) => s + monthly(area, m), 0);
    // Cell keys as the server gives them: the sum of the records' fixed keys, so a quarter holding
    // July's records only rounds as July does.
    const recordKeys = (area: string, m: string): number => {
      if (area === 'all') return areas.slice(1).reduce((s, a) => (s + recordKeys(a, m)) % 2 ** 32, 0);
      return monthly(area, m) === 0
        ? 0
        : (area.length * 2654435761 + Number(area.slice(1)) * 40503) % 2 ** 32;
    };
    const key = (area: string, p: string) =>
      monthsOf(p).reduce((s, m) => (s + recordKeys(area, m)) % 2 ** 32, 0);
    const tables = areas.map((area) => ({
      table: {
        measure: 'referrals',
        fixed: { area },
        rows: { name: 'period', categories: periods },
        cells: periods.map((p) => ({ labels: { period: p }, count: count(area, p), key: key(area, p) })),
        totals: false,
      } satisfies TableInput,
      protectZerosBelow: count(area, 'year') < 20 ? Number.MAX_SAFE_INTEGER : 0,
    }));
    const ref = (table: number, row: string): ReleaseRef => ({ table, row });
    const regions = areas.map((_, k) => k).slice(1);
    const sums = [
      ...periods.map((p) => ({ parts: regions.map((k) => ref(k, p)), total: ref(0, p) })),
      ...areas.flatMap((_, k) => [
        ...quarters.map((q) => ({ parts: monthsOf(q).map((m) => ref(k, m)), total: ref(k, q) })),
        { parts: quarters.map((q) => ref(k, q)), total: ref(k, 'year') },
      ]),
    ];
    return { tables, sums };
  }

  it('keeps Auckland and the nation published beside a Wellington of 3 when every other region is empty', () => {
    for (const secret of ['one secret of sixteen', 'another secret, longer', 'a third secret here']) {
      const { tables, sums } = yearCube({ r2: 11, r9: 3 });
      const published = protectRelease(tables, { secret, method: 'rr3', protectZerosBelow: 20 }, { sums });
      const july = (area: string) => published[areas.indexOf(area)]!.body[periods.indexOf('m7')]![0]!;
      expect(july('r9'), secret).toMatchObject({ suppressed: true, reason: 'primary' });
      expect(july('r2').suppressed, secret).toBe(false);
      expect(july('all').suppressed, secret).toBe(false);
    }
  });
});
