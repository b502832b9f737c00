import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCount, type DisclosureOptions } from './rounding.ts';
import { entries, protectSeries, protectTable, tabulate, type TableInput } from './table.ts';

const options: DisclosureOptions = { secret: 'test release secret, tables', method: 'rr3' };

const regionBySex: TableInput = {
  measure: 'children identified',
  fixed: { year: '2025' },
  rows: { name: 'region', categories: ['02', '09', '13'] },
  columns: { name: 'sex', categories: ['female', 'male'] },
  cells: [
    { labels: { region: '02', sex: 'female' }, count: 40 },
    { labels: { region: '02', sex: 'male' }, count: 17 },
    { labels: { region: '09', sex: 'female' }, count: 22 },
    { labels: { region: '09', sex: 'male', year: '2025' }, count: 3 },
    { labels: { region: '13', sex: 'female' }, count: 13 },
    // 13 male: no cell, counts 0
  ],
};

describe('tables', () => {
  it('computes totals from raw values', () => {
    const t = tabulate(regionBySex);
    expect(t.body).toEqual([
      [40, 17],
      [22, 3],
      [13, 0],
    ]);
    expect(t.rowTotals).toEqual([57, 25, 13]);
    expect(t.columnTotals).toEqual([75, 20]);
    expect(t.total).toBe(95);
  });

  it('rounds each total independently from its raw value, under its own labels', () => {
    const t = protectTable(regionBySex, options);
    expect(t.total).toEqual(roundCount(95, { measure: 'children identified', year: '2025' }, options));
    expect(t.rowTotals?.[0]).toEqual(
      roundCount(57, { measure: 'children identified', year: '2025', region: '02' }, options),
    );
    expect(t.columnTotals?.[1]).toEqual(
      roundCount(20, { measure: 'children identified', year: '2025', sex: 'male' }, options),
    );
    expect(t.body[2]?.[0]).toEqual(
      roundCount(13, { measure: 'children identified', year: '2025', region: '13', sex: 'female' }, options),
    );
  });

  it('suppresses the small cell and enough others that it cannot be worked out', () => {
    const t = protectTable(regionBySex, options);
    const mark = (v: { suppressed: boolean; reason?: string } | undefined | null): string =>
      v?.suppressed ? (v.reason === 'primary' ? '*' : 'S') : 'n';
    // 09/male = 3 is primary. The fewest cells that protect it close a rectangle: 02/male (smallest
    // non-zero in its column), 09/female (its row), then 02/female protects both open lines at once.
    expect(t.body.map((row, i) => [...row.map(mark), mark(t.rowTotals?.[i])].join(''))).toEqual([
      'SSn',
      'S*n',
      'nnn',
    ]);
    expect([...(t.columnTotals ?? []).map(mark), mark(t.total)].join('')).toEqual('nnn');
  });

  it('does not add rounded cells up to make a total', () => {
    // Over many one-way tables the total differs from the sum of rounded cells somewhere.
    let differs = 0;
    for (let k = 0; k < 50; k++) {
      const t = protectTable(
        {
          measure: `m${k}`,
          rows: 'region',
          cells: [7, 8, 10, 11].map((n, i) => ({ labels: { region: `r${i}` }, count: n })),
        },
        options,
      );
      const sum = t.body.reduce((s, [v]) => s + (v && !v.suppressed ? v.value : 0), 0);
      if (t.total && !t.total.suppressed && t.total.value !== sum) differs++;
      expect(t.total).toEqual(roundCount(36, { measure: `m${k}` }, options));
    }
    expect(differs).toBeGreaterThan(10);
  });

  it('rounds a category the same in a one-way table as in the margin of a two-way table', () => {
    const oneWay = protectTable(
      {
        measure: 'children identified',
        fixed: { year: '2025' },
        rows: 'region',
        cells: [
          { labels: { region: '02' }, count: 57 },
          { labels: { region: '09' }, count: 25 },
          { labels: { region: '13' }, count: 13 },
        ],
      },
      options,
    );
    const twoWay = protectTable(regionBySex, options);
    expect(oneWay.body.map(([v]) => v)).toEqual(twoWay.rowTotals);
    expect(oneWay.total).toEqual(twoWay.total);
  });

  it('publishes no count below the threshold anywhere in a table, and is the same on every run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom<'rr3' | 'grr'>('rr3', 'grr'),
        (body, method) => {
          const input: TableInput = {
            measure: 'referrals',
            rows: 'district',
            columns: { name: 'age band', categories: ['0–12', '13–15', '16–17'] },
            cells: body.flatMap((row, i) =>
              row.map((n, j) => ({
                labels: { district: `d${i}`, 'age band': ['0–12', '13–15', '16–17'][j]! },
                count: n,
              })),
            ),
          };
          const t = protectTable(input, { ...options, method });
          for (const e of entries(t))
            if (!e.value.suppressed) expect(e.value.value === 0 || e.value.value >= 6).toBe(true);
          expect(protectTable(input, { ...options, method })).toEqual(t);
          expect(protectTable(tabulate(input), { ...options, method })).toEqual(t);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('labels every entry for JSON, margins without the dimension they add up', () => {
    const e = entries(protectTable(regionBySex, options));
    expect(e).toHaveLength(6 + 3 + 2 + 1);
    expect(e.at(-1)).toMatchObject({
      kind: 'total',
      labels: { measure: 'children identified', year: '2025' },
    });
    expect(e.find((x) => x.kind === 'columnTotal')?.labels).toEqual({
      measure: 'children identified',
      year: '2025',
      sex: 'female',
    });
    expect(
      e.find((x) => x.kind === 'cell' && x.labels.region === '09' && x.labels.sex === 'male')?.value,
    ).toEqual({
      suppressed: true,
      reason: 'primary',
    });
  });

  it('leaves totals out when asked, and then needs no secondary suppression', () => {
    const t = protectTable({ ...regionBySex, totals: false }, options);
    expect([t.rowTotals, t.columnTotals, t.total]).toEqual([null, null, null]);
    expect(
      entries(t)
        .filter((x) => x.value.suppressed)
        .map((x) => x.value),
    ).toEqual([{ suppressed: true, reason: 'primary' }]);
    expect(t.rules.secondarySuppression).toBe(false);
  });

  it('says which rules it applied', () => {
    expect(protectTable(regionBySex, { ...options, method: 'grr', publishZeros: false }).rules).toEqual({
      method: 'grr',
      bases: [
        { from: 0, to: 18, base: 3 },
        { from: 19, to: 19, base: 2 },
        { from: 20, to: 99, base: 5 },
        { from: 100, to: 999, base: 10 },
        { from: 1000, to: null, base: 100 },
      ],
      threshold: 6,
      zeros: 'suppressed',
      totals: 'rounded independently',
      secondarySuppression: true,
      seeding: 'hmac-sha256(release secret, labels) v1',
      zerosProtectedBelow: 0,
      markers: { primary: '*', secondary: 'S' },
    });
  });

  it('refuses malformed tables with a clear message', () => {
    const bad =
      (patch: Partial<TableInput>): (() => unknown) =>
      () =>
        protectTable({ ...regionBySex, ...patch }, options);
    expect(bad({ measure: '' })).toThrow(/needs a measure/);
    expect(
      bad({ cells: [...regionBySex.cells, { labels: { region: '02', sex: 'male' }, count: 1 }] }),
    ).toThrow(/two cells for region=02, sex=male/);
    expect(bad({ cells: [{ labels: { region: '99', sex: 'male' }, count: 1 }] })).toThrow(
      /"99" is not a category of region/,
    );
    expect(bad({ cells: [{ labels: { region: '02' }, count: 1 }] })).toThrow(/no "sex" label/);
    expect(bad({ cells: [{ labels: { region: '02', sex: 'male', year: '2024' }, count: 1 }] })).toThrow(
      /year=2024/,
    );
    expect(bad({ cells: [{ labels: { region: '02', sex: 'male' }, count: -4 }] })).toThrow(
      /region=02, sex=male must be a whole number/,
    );
    expect(bad({ cells: [{ labels: { region: '02', sex: 'male' }, count: 1.5 }] })).toThrow(/whole number/);
    expect(bad({ columns: 'region' })).toThrow(/different names/);
    expect(bad({ rows: 'measure' })).toThrow(/reserved/);
    expect(bad({ fixed: { region: 'x' } })).toThrow(/both a dimension and a fixed label/);
    expect(bad({ rows: { name: 'region', categories: ['02', '02'] } })).toThrow(/listed twice/);
    expect(() => protectTable(regionBySex, { ...options, secret: '' })).toThrow(/secret is empty/);
  });
});

describe('time series', () => {
  const secret = 'test release secret, series';
  const points = [
    { period: '2025-Q1', count: 14 },
    { period: '2025-Q2', count: 4 },
    { period: '2025-Q3', count: 20 },
  ];

  it('rounds each period as a cell labelled with its period, the same in the next release', () => {
    const first = protectSeries({ measure: 'referrals received', points }, { secret, method: 'rr3' });
    const next = protectSeries(
      { measure: 'referrals received', points: [...points, { period: '2025-Q4', count: 11 }] },
      { secret, method: 'rr3' },
    );
    expect(first.body).toEqual(next.body.slice(0, 3));
    expect(first.body[0]?.[0]).toEqual(
      roundCount(14, { measure: 'referrals received', period: '2025-Q1' }, { secret, method: 'rr3' }),
    );
    expect(first.body[1]?.[0]).toEqual({ suppressed: true, reason: 'primary' });
    expect(first.total).toBeNull(); // no total, so a lone suppressed period stays unrecoverable
  });

  it('adds a total with secondary suppression when asked', () => {
    const t = protectSeries(
      { measure: 'referrals received', dimension: 'quarter', points, total: true },
      { secret, method: 'rr3' },
    );
    expect(t.rows.name).toBe('quarter');
    expect(t.body.map(([v]) => v?.suppressed)).toEqual([true, true, false]);
    expect(t.total?.suppressed).toBe(false);
  });
});
