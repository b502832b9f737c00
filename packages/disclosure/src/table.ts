// Count tables: one-way (a dimension and its total) or two-way (rows × columns with margins).
import {
  checkCount,
  DisclosureError,
  protectCountWith,
  resolveOptions,
  type DisclosureOptions,
  type Labels,
  type PublishedValue,
} from './rounding.ts';
import { rulesNote, type RulesNote } from './rules.ts';
import { secondarySuppression } from './suppression.ts';

export interface Dimension {
  readonly name: string;
  /** Categories in display order; a category without a cell counts 0. Default: as the cells come. */
  readonly categories?: readonly string[];
}

export interface Cell {
  readonly labels: Labels;
  readonly count: number;
}

export interface TableInput {
  /** What is counted, e.g. "children identified". Part of every cell's labels, so of its seed. */
  readonly measure: string;
  /** Dimension name, or name and categories. */
  readonly rows: string | Dimension;
  /** Omit for a one-way table. */
  readonly columns?: string | Dimension;
  /** Labels shared by every cell, e.g. `{ year: '2025' }`. */
  readonly fixed?: Labels;
  /** Raw counts, one per category (combination); labels name the dimensions (fixed labels may repeat). */
  readonly cells: readonly Cell[];
  /** Row, column and grand totals, computed from raw values. Default true. */
  readonly totals?: boolean;
}

export interface ResolvedDimension {
  readonly name: string;
  readonly categories: readonly string[];
}

export interface TableShape<V> {
  readonly measure: string;
  readonly fixed: Labels;
  readonly rows: ResolvedDimension;
  readonly columns: ResolvedDimension | null;
  /** `body[row][column]`; a one-way table has one column. */
  readonly body: readonly (readonly V[])[];
  /** Two-way tables with totals only. */
  readonly rowTotals: readonly V[] | null;
  readonly columnTotals: readonly V[] | null;
  /** The grand total (one-way: the total). */
  readonly total: V | null;
}

/** Exact counts: for authorised staff inside the system only; never publish. */
export type ExactTable = TableShape<number> & { readonly exact: true };

export type PublishedTable = TableShape<PublishedValue> & { readonly rules: RulesNote };

export type EntryKind = 'cell' | 'rowTotal' | 'columnTotal' | 'total';

export interface Entry<V> {
  readonly kind: EntryKind;
  readonly labels: Labels;
  readonly value: V;
}

function dimension(d: string | Dimension, what: string): { name: string; categories?: readonly string[] } {
  const dim = typeof d === 'string' ? { name: d } : d;
  if (typeof dim.name !== 'string' || dim.name === '') throw new DisclosureError(`${what} need a name`);
  if (dim.name === 'measure')
    throw new DisclosureError(`"measure" is reserved; name the ${what} something else`);
  if (dim.categories) {
    const seen = new Set<string>();
    for (const c of dim.categories as readonly unknown[]) {
      if (typeof c !== 'string') throw new DisclosureError(`categories of ${dim.name} must be strings`);
      if (seen.has(c)) throw new DisclosureError(`category "${c}" of ${dim.name} is listed twice`);
      seen.add(c);
    }
  }
  return dim;
}

/** Builds the exact table (totals from raw values). Validates every label and count. */
export function tabulate(input: TableInput): ExactTable {
  const measure: unknown = input.measure;
  if (typeof measure !== 'string' || measure === '') throw new DisclosureError('a table needs a measure');
  const fixed: Labels = { ...input.fixed };
  for (const [k, v] of Object.entries(fixed) as [string, unknown][]) {
    if (typeof v !== 'string') throw new DisclosureError(`fixed label "${k}" must be a string`);
    if (k === 'measure') throw new DisclosureError('"measure" is reserved; set it as the table measure');
  }
  const rowDim = dimension(input.rows, 'rows');
  const colDim = input.columns === undefined ? null : dimension(input.columns, 'columns');
  const names = [rowDim.name, ...(colDim ? [colDim.name] : [])];
  if (colDim && colDim.name === rowDim.name)
    throw new DisclosureError('rows and columns need different names');
  for (const n of names) {
    if (n in fixed) throw new DisclosureError(`"${n}" is both a dimension and a fixed label`);
  }

  // Categories: as given, else in the order the cells first name them.
  const rowCats = rowDim.categories ? [...rowDim.categories] : [];
  const colCats = colDim ? (colDim.categories ? [...colDim.categories] : []) : [''];
  const counts = new Map<string, number>();
  for (const cell of input.cells) {
    const labels = cell.labels;
    for (const [k, v] of Object.entries(labels)) {
      if (names.includes(k)) continue;
      if (k === 'measure' ? v !== measure : fixed[k] !== v) {
        throw new DisclosureError(`cell label ${k}=${v} is neither a dimension nor a matching fixed label`);
      }
    }
    const category = (dim: { name: string; categories?: readonly string[] }, cats: string[]): string => {
      const value: unknown = labels[dim.name];
      if (typeof value !== 'string') throw new DisclosureError(`a cell has no "${dim.name}" label`);
      if (!cats.includes(value)) {
        if (dim.categories) throw new DisclosureError(`"${value}" is not a category of ${dim.name}`);
        cats.push(value);
      }
      return value;
    };
    const r = category(rowDim, rowCats);
    const c = colDim ? category(colDim, colCats) : '';
    checkCount(cell.count, labels);
    const key = JSON.stringify([r, c]);
    if (counts.has(key))
      throw new DisclosureError(`two cells for ${rowDim.name}=${r}${colDim ? `, ${colDim.name}=${c}` : ''}`);
    counts.set(key, cell.count);
  }
  if (rowCats.length === 0) throw new DisclosureError(`a table needs at least one ${rowDim.name} category`);
  if (colCats.length === 0)
    throw new DisclosureError(`a table needs at least one ${colDim?.name ?? ''} category`);

  const body = rowCats.map((r) => colCats.map((c) => counts.get(JSON.stringify([r, c])) ?? 0));
  const totals = input.totals ?? true;
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const columnSums = colCats.map((_, j) => sum(body.map((row) => row[j] ?? 0)));
  return {
    exact: true,
    measure,
    fixed,
    rows: { name: rowDim.name, categories: rowCats },
    columns: colDim ? { name: colDim.name, categories: colCats } : null,
    body,
    rowTotals: totals && colDim ? body.map(sum) : null,
    columnTotals: totals && colDim ? columnSums : null,
    total: totals ? sum(columnSums) : null,
  };
}

/**
 * The labels of a position. Margins leave out the dimension they add up, so a row total here is the
 * same cell (and rounds the same way) as that category in a one-way table of the same measure.
 */
function labelsAt(t: TableShape<unknown>, i: number | null, j: number | null): Labels {
  const labels: Record<string, string> = { measure: t.measure, ...t.fixed };
  if (i !== null) labels[t.rows.name] = t.rows.categories[i] ?? '';
  if (j !== null && t.columns) labels[t.columns.name] = t.columns.categories[j] ?? '';
  return labels;
}

/** Every value with its labels and kind: the flat form for JSON. */
export function entries<V>(t: TableShape<V>): Entry<V>[] {
  const out: Entry<V>[] = [];
  t.body.forEach((row, i) => {
    row.forEach((value, j) => {
      out.push({ kind: 'cell', labels: labelsAt(t, i, j), value });
    });
  });
  t.rowTotals?.forEach((value, i) => out.push({ kind: 'rowTotal', labels: labelsAt(t, i, null), value }));
  t.columnTotals?.forEach((value, j) =>
    out.push({ kind: 'columnTotal', labels: labelsAt(t, null, j), value }),
  );
  if (t.total !== null) out.push({ kind: 'total', labels: labelsAt(t, null, null), value: t.total });
  return out;
}

/**
 * Protects a table for publication: primary suppression and random rounding of every cell and every
 * total (each rounded from its raw value), then secondary suppression along every additive line.
 */
export function protectTable(input: TableInput | ExactTable, options: DisclosureOptions): PublishedTable {
  const o = resolveOptions(options);
  const t = 'exact' in input ? input : tabulate(input);
  const twoWay = t.columns !== null;
  const hasTotals = t.total !== null;

  // Grid with margins as the last row / column, so suppression sees one uniform structure.
  type Slot = { raw: number; labels: Labels; margin: boolean };
  const grid: Slot[][] = t.body.map((row, i) =>
    row.map((raw, j) => ({ raw, labels: labelsAt(t, i, j), margin: false })),
  );
  if (twoWay && t.rowTotals) {
    t.rowTotals.forEach((raw, i) => grid[i]?.push({ raw, labels: labelsAt(t, i, null), margin: true }));
  }
  if (hasTotals) {
    const last: Slot[] = (t.columnTotals ?? []).map((raw, j) => ({
      raw,
      labels: labelsAt(t, null, j),
      margin: true,
    }));
    last.push({ raw: t.total, labels: labelsAt(t, null, null), margin: true });
    grid.push(last);
  }

  const values: PublishedValue[][] = grid.map((row) => row.map((s) => protectCountWith(s.raw, s.labels, o)));
  if (hasTotals) {
    const extra = secondarySuppression(
      {
        raw: grid.map((row) => row.map((s) => s.raw)),
        margin: grid.map((row) => row.map((s) => s.margin)),
        suppressed: values.map((row) => row.map((v) => v.suppressed)),
      },
      twoWay ? 'two-way' : 'one-way',
    );
    for (const [i, j] of extra) {
      const row = values[i];
      if (row) row[j] = { suppressed: true, reason: 'secondary' };
    }
  }

  const rowCount = t.body.length;
  const at = (i: number, j: number): PublishedValue => {
    const v = values[i]?.[j];
    if (!v) throw new Error(`internal: no value at ${i},${j}`);
    return v;
  };
  const columnCount = t.body[0]?.length ?? 0;
  return {
    measure: t.measure,
    fixed: t.fixed,
    rows: t.rows,
    columns: t.columns,
    body: t.body.map((row, i) => row.map((_, j) => at(i, j))),
    rowTotals: twoWay && hasTotals ? t.body.map((_, i) => at(i, columnCount)) : null,
    columnTotals: twoWay && hasTotals ? Array.from({ length: columnCount }, (_, j) => at(rowCount, j)) : null,
    total: hasTotals ? at(rowCount, twoWay ? columnCount : 0) : null,
    rules: rulesNote(o, hasTotals),
  };
}

export interface SeriesInput {
  readonly measure: string;
  /** Dimension name of the period. Default "period". */
  readonly dimension?: string;
  readonly fixed?: Labels;
  /** One point per period, e.g. `{ period: '2025-Q1', count: 14 }`, in display order. */
  readonly points: readonly { readonly period: string; readonly count: number }[];
  /** Publish a total over all periods (with secondary suppression). Default false. */
  readonly total?: boolean;
}

/** A time series: each period is a cell labelled with its period, so it rounds the same in every release. */
export function protectSeries(series: SeriesInput, options: DisclosureOptions): PublishedTable {
  const name = series.dimension ?? 'period';
  return protectTable(
    {
      measure: series.measure,
      rows: { name, categories: series.points.map((p) => p.period) },
      ...(series.fixed ? { fixed: series.fixed } : {}),
      cells: series.points.map((p) => ({ labels: { [name]: p.period }, count: p.count })),
      totals: series.total ?? false,
    },
    options,
  );
}
