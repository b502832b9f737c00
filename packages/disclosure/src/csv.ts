// CSV of a published table, with suppression markers and footnotes explaining them.
import { DisclosureError, type PublishedValue } from './rounding.ts';
import { describeRules } from './rules.ts';
import type { PublishedTable } from './table.ts';
import { csvDocument, csvLine } from './csv-writer.ts';

export { csvComment, csvDocument, csvField, csvLine } from './csv-writer.ts';

export interface CsvOptions {
  /** Append the footnotes (blank line, then one "Note: …" line each). Default true. */
  footnote?: boolean;
  /** Words for a category code (e.g. a region's name); default: the code itself. */
  label?: (dimension: string, code: string) => string;
  /** The heading of a one-way table's count column; default: the measure. */
  countHeader?: string;
}

/** CSV (RFC 4180, CRLF) of a published table: "*" primary and "S" secondary suppression. */
export function toCsv(table: PublishedTable, options: CsvOptions = {}): string {
  // Exact tables have no rules note; refuse them so exact counts cannot be written out by mistake.
  if (!('rules' in table) || 'exact' in table)
    throw new DisclosureError('toCsv takes a protected table only');
  const { markers } = table.rules;
  const show = (v: PublishedValue | undefined): string =>
    v === undefined ? '' : v.suppressed ? markers[v.reason] : String(v.value);
  const lines: string[][] = [];
  const { columns } = table;
  const name = (dimension: string, code: string) => options.label?.(dimension, code) ?? code;
  const rowName = (i: number) => name(table.rows.name, table.rows.categories[i] ?? '');
  if (columns) {
    const { rowTotals } = table;
    lines.push([
      table.rows.name,
      ...columns.categories.map((code) => name(columns.name, code)),
      ...(rowTotals ? ['Total'] : []),
    ]);
    table.body.forEach((row, i) => {
      lines.push([rowName(i), ...row.map(show), ...(rowTotals ? [show(rowTotals[i])] : [])]);
    });
    if (table.columnTotals)
      lines.push(['Total', ...table.columnTotals.map(show), show(table.total ?? undefined)]);
  } else {
    lines.push([table.rows.name, options.countHeader ?? table.measure]);
    table.body.forEach((row, i) => lines.push([rowName(i), show(row[0])]));
    if (table.total) lines.push(['Total', show(table.total)]);
  }
  if (options.footnote ?? true) {
    const context = [`Measure: ${table.measure}.`];
    const fixed = Object.entries(table.fixed).map(([k, v]) => `${k} ${v}`);
    if (fixed.length > 0) context.push(`For ${fixed.join(', ')}.`);
    lines.push([], [context.join(' ')], ...describeRules(table.rules).map((n) => [n]));
  }
  return csvDocument(lines.map(csvLine));
}
