import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';
import { protectSeries, protectTable, tabulate, type PublishedTable, type TableInput } from './table.ts';

const options = { secret: 'test release secret, csv output', method: 'rr3' } as const;
const input: TableInput = {
  measure: 'children identified',
  fixed: { year: '2025' },
  rows: { name: 'region', categories: ['Auckland', 'Wellington, "capital"', '=cmd()'] },
  columns: { name: 'sex', categories: ['female', 'male'] },
  cells: [
    { labels: { region: 'Auckland', sex: 'female' }, count: 30 },
    { labels: { region: 'Auckland', sex: 'male' }, count: 12 },
    { labels: { region: 'Wellington, "capital"', sex: 'female' }, count: 24 },
    { labels: { region: 'Wellington, "capital"', sex: 'male' }, count: 2 },
    { labels: { region: '=cmd()', sex: 'female' }, count: 9 },
    { labels: { region: '=cmd()', sex: 'male' }, count: 0 },
  ],
};

describe('toCsv', () => {
  it('writes the grid with totals, "*" and "S", quoted and formula-safe labels, and footnotes', () => {
    const t = protectTable(input, options);
    const show = (v: PublishedTable['total']): string =>
      v === null ? '' : v.suppressed ? (v.reason === 'primary' ? '*' : 'S') : String(v.value);
    const lines = toCsv(t).split('\r\n');
    expect(lines[0]).toBe('region,female,male,Total');
    expect(lines[1]).toBe(
      `Auckland,${show(t.body[0]![0]!)},${show(t.body[0]![1]!)},${show(t.rowTotals![0]!)}`,
    );
    expect(lines[2]).toMatch(/^"Wellington, ""capital""",S,\*,/);
    expect(lines[3]).toMatch(/^'=cmd\(\),/);
    expect(lines[4]).toBe(`Total,${show(t.columnTotals![0]!)},${show(t.columnTotals![1]!)},${show(t.total)}`);
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe('Measure: children identified. For year 2025.');
    expect(lines.slice(7).join('\n')).toMatch(
      /randomly rounded to base 3[\s\S]*may not equal the sum[\s\S]*\* = suppressed because the count is fewer than 6[\s\S]*S = suppressed so that[\s\S]*0 is a true zero/,
    );
    expect(lines.at(-1)).toBe('');
  });

  it('writes a one-way table and leaves the footnotes out when asked', () => {
    const t = protectSeries(
      {
        measure: 'referrals received',
        points: [
          { period: '2025-Q1', count: 3 },
          { period: '2025-Q2', count: 9 },
        ],
      },
      { ...options, method: 'grr' },
    );
    expect(toCsv(t, { footnote: false })).toBe('period,referrals received\r\n2025-Q1,*\r\n2025-Q2,9\r\n');
    expect(toCsv(t)).toMatch(/graduated random rounding/);
    const named = toCsv(t, {
      footnote: false,
      countHeader: 'Number',
      label: (dimension, code) => `${dimension} ${code.replace('-Q', ' quarter ')}`,
    });
    expect(named).toBe('period,Number\r\nperiod 2025 quarter 1,*\r\nperiod 2025 quarter 2,9\r\n');
  });

  it('refuses an exact table', () => {
    expect(() => toCsv(tabulate(input) as unknown as PublishedTable)).toThrow(/protected table only/);
  });
});
