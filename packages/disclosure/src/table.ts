// Count tables: one-way (a dimension and its total) or two-way (rows × columns with margins).
import {
  baseFor,
  CELL_KEY_MODULUS,
  checkCount,
  DisclosureError,
  normaliseCellKey,
  protectCountWith,
  resolveOptions,
  type DisclosureOptions,
  type Labels,
  type PublishedValue,
} from './rounding.ts';
import { rulesNote, type RulesNote } from './rules.ts';
import { linkedSuppression, termsOf, type LinkedCell, type LinkedLine } from './linked.ts';
import {
  linesOfCells,
  MIN_RANGE_VALUES,
  narrowCells,
  WHOLE_PART_CELLS,
  type AuditCell,
  type LineTerms,
} from './interval.ts';

export interface Dimension {
  readonly name: string;
  /** Categories in display order; a category without a cell counts 0. Default: as the cells come. */
  readonly categories?: readonly string[];
}

export interface Cell {
  readonly labels: Labels;
  readonly count: number;
  /**
   * The cell key: the sum of the fixed keys of the records counted (modulo 2^32). Given for one
   * cell, it must be given for every non-empty cell; totals add their cells' keys. The rounding
   * then follows the records (cell-key method), not the labels.
   */
  readonly key?: number;
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

interface KeyGrid {
  body: number[][];
  rowTotals: number[] | null;
  columnTotals: number[] | null;
  total: number | null;
}
/** The cell keys of an exact table, kept out of the table itself so they are never sent anywhere. */
const KEYS = new WeakMap<ExactTable, KeyGrid>();

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
  const keys = new Map<string, number>();
  const keyed = input.cells.some((cell) => cell.key !== undefined);
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
    if (keyed) {
      if (cell.key === undefined) {
        if (cell.count !== 0)
          throw new DisclosureError(`cell ${describe(labels)} has no cell key, but others in its table do`);
      } else keys.set(key, normaliseCellKey(cell.key));
    }
  }
  if (rowCats.length === 0) throw new DisclosureError(`a table needs at least one ${rowDim.name} category`);
  if (colCats.length === 0)
    throw new DisclosureError(`a table needs at least one ${colDim?.name ?? ''} category`);

  const body = rowCats.map((r) => colCats.map((c) => counts.get(JSON.stringify([r, c])) ?? 0));
  const totals = input.totals ?? true;
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const columnSums = colCats.map((_, j) => sum(body.map((row) => row[j] ?? 0)));
  const table: ExactTable = {
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
  if (keyed) {
    const add = (xs: readonly number[]): number => xs.reduce((a, b) => (a + b) % CELL_KEY_MODULUS, 0);
    const keyBody = rowCats.map((r) => colCats.map((c) => keys.get(JSON.stringify([r, c])) ?? 0));
    const keyColumns = colCats.map((_, j) => add(keyBody.map((row) => row[j] ?? 0)));
    KEYS.set(table, {
      body: keyBody,
      rowTotals: table.rowTotals ? keyBody.map(add) : null,
      columnTotals: table.columnTotals ? keyColumns : null,
      total: totals ? add(keyColumns) : null,
    });
  }
  return table;
}

function describe(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
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
  const [table] = protectRelease([{ table: input }], options);
  if (!table) throw new Error('internal: no table');
  return table;
}

/** One figure of a release: its table (index), row and column category; null names the total. */
export interface ReleaseRef {
  readonly table: number;
  readonly row: string | null;
  /** Two-way tables: the column, or null for the row total. */
  readonly column?: string | null;
}

/** How the tables of a release are tied together, beyond each table's own rows and columns. */
export interface ReleaseLinks {
  /** Figures that are one cell (the same records counted): suppressed alike everywhere. */
  readonly same?: readonly (readonly ReleaseRef[])[];
  /** Sums across tables (the nation is the sum of its regions; a quarter of its months). */
  readonly sums?: readonly { readonly parts: readonly ReleaseRef[]; readonly total: ReleaseRef }[];
  /** Figures already suppressed by a release this one must agree with. */
  readonly suppressed?: readonly ReleaseRef[];
  /** Figures published by a release this one must agree with: suppressed only if nothing else will do. */
  readonly locked?: readonly ReleaseRef[];
  /**
   * Run the interval audit after rounding (interval.ts). Default true. 'whole-parts': only the
   * hidden small cells of parts small enough to solve whole (exactly), the others left unaudited
   * (the period release: docs/statistics.md says why). False: no audit (tests that show its effect).
   */
  readonly audit?: boolean | 'whole-parts';
}

export interface ReleaseTable {
  readonly table: TableInput | ExactTable;
  /** This table's zero protection, instead of the options'. */
  readonly protectZerosBelow?: number;
}

type Slot = { raw: number; labels: Labels; margin: boolean; key: number | undefined };

/** The table as one grid, margins as the last row and (two-way) last column. */
function slotsOf(t: ExactTable): Slot[][] {
  const keys = KEYS.get(t);
  const grid: Slot[][] = t.body.map((row, i) =>
    row.map((raw, j) => ({ raw, labels: labelsAt(t, i, j), margin: false, key: keys?.body[i]?.[j] })),
  );
  if (t.columns !== null && t.rowTotals) {
    t.rowTotals.forEach((raw, i) =>
      grid[i]?.push({ raw, labels: labelsAt(t, i, null), margin: true, key: keys?.rowTotals?.[i] }),
    );
  }
  if (t.total !== null) {
    const last: Slot[] = (t.columnTotals ?? []).map((raw, j) => ({
      raw,
      labels: labelsAt(t, null, j),
      margin: true,
      key: keys?.columnTotals?.[j],
    }));
    last.push({ raw: t.total, labels: labelsAt(t, null, null), margin: true, key: keys?.total ?? undefined });
    grid.push(last);
  }
  return grid;
}

/** The additive lines of a table grid (positions; the last of each is its total). */
export function gridLines(rows: number, cols: number, twoWay: boolean): (readonly [number, number])[][] {
  if (!twoWay) return rows > 1 ? [Array.from({ length: rows }, (_, i) => [i, 0] as const)] : [];
  const lines: (readonly [number, number])[][] = [];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, (_, j) => [i, j] as const));
  for (let j = 0; j < cols; j++) lines.push(Array.from({ length: rows }, (_, i) => [i, j] as const));
  return lines;
}

/**
 * Protects the tables of one release together: every figure rounded by its own cell, and secondary
 * suppression over all of them at once, so that a figure hidden in one table is hidden wherever it
 * appears (`same`) and cannot be worked out through a sum across tables (`sums`) either.
 */
export function protectRelease(
  tables: readonly ReleaseTable[],
  options: DisclosureOptions,
  links: ReleaseLinks = {},
): PublishedTable[] {
  const o = resolveOptions(options);
  const exact = tables.map(({ table }) => ('exact' in table ? table : tabulate(table)));
  const grids = exact.map(slotsOf);
  // Primary protection, table by table. Zeros in a table of few children give them away by
  // elimination (every other category is a true zero): below `protectZerosBelow` in all, zeros
  // are suppressed like small counts.
  const zerosHidden = new Set<number>();
  const values = exact.map((t, n) => {
    const below = tables[n]?.protectZerosBelow ?? o.protectZerosBelow;
    const allRaw = t.total ?? t.body.flat().reduce((a, b) => a + b, 0);
    const zerosShown = below === 0 || allRaw >= below;
    if (!zerosShown || !o.publishZeros) zerosHidden.add(n);
    return (grids[n] ?? []).map((row) =>
      row.map((s): PublishedValue =>
        s.raw === 0 && !zerosShown
          ? { suppressed: true, reason: 'primary' }
          : protectCountWith(s.raw, s.labels, o, s.key),
      ),
    );
  });

  // Positions, joined into cells by `same`.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up;
    parent.set(x, root);
    return root;
  };
  const position = (ref: ReleaseRef): string => {
    const t = exact[ref.table];
    if (!t) throw new DisclosureError(`release: no table ${ref.table}`);
    const indexIn = (cats: readonly string[], c: string, what: string) => {
      const k = cats.indexOf(c);
      if (k < 0) throw new DisclosureError(`release: "${c}" is not a ${what} of ${t.measure}`);
      return k;
    };
    const columns = t.columns;
    const i = ref.row === null ? t.body.length : indexIn(t.rows.categories, ref.row, t.rows.name);
    const j =
      columns === null
        ? 0
        : ref.column === undefined || ref.column === null
          ? columns.categories.length
          : indexIn(columns.categories, ref.column, columns.name);
    if (grids[ref.table]?.[i]?.[j] === undefined)
      throw new DisclosureError(`release: ${t.measure} has no total there`);
    return `${ref.table}:${i},${j}`;
  };
  for (const group of links.same ?? []) {
    const [first, ...rest] = group.map(position);
    if (first === undefined) continue;
    for (const p of rest) {
      const [a, b] = [find(first), find(p)];
      if (a !== b) parent.set(b, a);
    }
  }
  const locked = new Set((links.locked ?? []).map((r) => find(position(r))));
  const cells = new Map<string, { raw: number; margin: boolean; suppressed: boolean; locked: boolean }>();
  const forced = new Set((links.suppressed ?? []).map((r) => find(position(r))));
  grids.forEach((grid, n) => {
    grid.forEach((row, i) => {
      row.forEach((slot, j) => {
        const id = find(`${n}:${i},${j}`);
        const primary = values[n]?.[i]?.[j]?.suppressed === true;
        const cell = cells.get(id);
        if (cell) {
          cell.margin ||= slot.margin;
          cell.suppressed ||= primary;
        } else
          cells.set(id, {
            raw: slot.raw,
            margin: slot.margin,
            suppressed: primary || forced.has(id),
            locked: locked.has(id),
          });
      });
    });
  });
  // The total of a sum across tables is a total too: hidden only when no part will do.
  for (const sum of links.sums ?? []) {
    const cell = cells.get(find(position(sum.total)));
    if (cell) cell.margin = true;
  }
  const lines: LinkedLine[] = [];
  grids.forEach((grid, n) => {
    const twoWay = exact[n]?.columns !== null;
    if (exact[n]?.total === null) return;
    for (const line of gridLines(grid.length, grid[0]?.length ?? 0, twoWay)) {
      const ids = line.map(([i, j]) => find(`${n}:${i},${j}`));
      lines.push({ parts: ids.slice(0, -1), total: ids[ids.length - 1] ?? '', group: twoWay });
    }
  });
  for (const sum of links.sums ?? [])
    lines.push({ parts: sum.parts.map((r) => find(position(r))), total: find(position(sum.total)) });
  // The value each cell publishes before secondary suppression (its first position; a cell shown in
  // several places rounds alike there, being the same records).
  // A `*` may be a zero only where every table showing the cell hides its zeros.
  const firstValue = new Map<string, PublishedValue>();
  const oneToFive = new Set<string>();
  grids.forEach((grid, n) => {
    grid.forEach((row, i) => {
      row.forEach((_, j) => {
        const id = find(`${n}:${i},${j}`);
        const v = values[n]?.[i]?.[j];
        if (v && !firstValue.has(id)) firstValue.set(id, v);
        if (!zerosHidden.has(n)) oneToFive.add(id);
      });
    });
  });
  const { secondary, extra } = suppressAndAudit(cells, lines, {
    audit: links.audit ?? true,
    published: firstValue,
    oneToFive,
    threshold: o.threshold,
    method: o.method,
  });
  const hidden = new Set([...secondary, ...forced, ...extra]);

  return exact.map((t, n) => {
    const twoWay = t.columns !== null;
    const hasTotals = t.total !== null;
    const at = (i: number, j: number): PublishedValue => {
      const v = values[n]?.[i]?.[j];
      if (!v) throw new Error(`internal: no value at ${i},${j}`);
      if (v.suppressed) return v;
      const id = find(`${n}:${i},${j}`);
      if (cells.get(id)?.suppressed && !forced.has(id)) return { suppressed: true, reason: 'primary' };
      return hidden.has(id) ? { suppressed: true, reason: 'secondary' } : v;
    };
    const rowCount = t.body.length;
    const columnCount = t.body[0]?.length ?? 0;
    return {
      measure: t.measure,
      fixed: t.fixed,
      rows: t.rows,
      columns: t.columns,
      body: t.body.map((row, i) => row.map((_, j) => at(i, j))),
      rowTotals: twoWay && hasTotals ? t.body.map((_, i) => at(i, columnCount)) : null,
      columnTotals:
        twoWay && hasTotals ? Array.from({ length: columnCount }, (_, j) => at(rowCount, j)) : null,
      total: hasTotals ? at(rowCount, twoWay ? columnCount : 0) : null,
      rules: rulesNote(o, hasTotals || lines.length > 0, KEYS.has(t)),
    };
  });
}

/**
 * What the secondary suppression and the interval audit have cost in this process so far (for the
 * benchmark: bench/statistics/release.ts reads it before and after each step). Counts, no figures.
 */
export const releaseCosts = {
  /** Releases protected. */
  releases: 0,
  /** Milliseconds in the first secondary suppression of each release (what it cost before the audit). */
  linkedMs: 0,
  /** Milliseconds in the audit: the linear programmes, and secondary suppression run again after it. */
  auditMs: 0,
  /** Hidden small cells whose range was computed, and cells hidden by the audit. */
  audited: 0,
  hiddenByAudit: 0,
};

/**
 * Secondary suppression (exact recovery), then the interval audit after rounding (interval.ts):
 * while a hidden small cell has fewer than three whole values left by the published figures of its
 * lines, the cheapest published cell of its lines is hidden too (`S`) and both are run again.
 * Deterministic: the same cells and values give the same choices.
 */
function suppressAndAudit(
  cells: ReadonlyMap<string, LinkedCell>,
  lines: readonly LinkedLine[],
  known: {
    /** Each cell's value before secondary suppression. */
    readonly published: ReadonlyMap<string, PublishedValue>;
    /** Cells whose `*` says 1 to threshold − 1 (shown in a table that publishes its zeros). */
    readonly oneToFive: ReadonlySet<string>;
    readonly threshold: number;
    readonly method: 'rr3' | 'grr';
    readonly audit: boolean | 'whole-parts';
  },
): { secondary: readonly string[]; extra: ReadonlySet<string> } {
  const { published, oneToFive, threshold, method } = known;
  const terms: LineTerms[] = lines.map(termsOf);
  const linesOf = linesOfCells(terms);
  const targets = [...cells]
    .filter(() => known.audit !== false)
    .filter(([id, c]) => c.suppressed && c.raw < threshold && linesOf.has(id))
    .map(([id]) => id);
  const extra = new Set<string>();
  const cost = (id: string): number[] => {
    const c = cells.get(id);
    const raw = c?.raw ?? 0;
    return [c?.locked ? 1 : 0, c?.margin ? 1 : 0, raw === 0 ? 1 : 0, raw];
  };
  const cheaper = (a: number[], b: number[]) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return (a[k] ?? 0) < (b[k] ?? 0);
    return false;
  };
  releaseCosts.releases++;
  let previous: readonly string[] = [];
  // Hiding more only widens ranges (a hidden figure is known less than a published one), so a
  // target found wide enough stays so: each round looks again only at those found narrow.
  let pending = targets;
  for (let round = 0; ; round++) {
    const started = performance.now();
    // After the first round, the cells already chosen are kept and only what the new ones need is added.
    const { secondary } = linkedSuppression(cells, lines, [...previous, ...extra]);
    previous = secondary;
    const linked = performance.now() - started;
    if (round === 0) releaseCosts.linkedMs += linked;
    else releaseCosts.auditMs += linked;
    if (targets.length === 0) return { secondary, extra };
    const auditStarted = performance.now();
    const hidden = new Set([...secondary, ...extra]);
    const audit = new Map<string, AuditCell>();
    const markers = new Map<string, AuditCell>();
    for (const [id, c] of cells) {
      const raw = c.raw;
      const v = published.get(id);
      let bounds: [number, number];
      // What a `*` tells: 1 to threshold − 1, or from 0 where zeros are hidden too.
      if (c.suppressed && raw < threshold) bounds = [raw > 0 && oneToFive.has(id) ? 1 : 0, threshold - 1];
      else if (c.suppressed || hidden.has(id) || !v || v.suppressed)
        bounds = raw === 0 ? [0, 0] : [Math.min(threshold, raw), Infinity];
      else if (v.value === 0) bounds = [0, 0];
      else {
        const spread = baseFor(raw, method) - 1;
        bounds = [Math.min(raw, Math.max(v.value - spread, threshold)), Math.max(raw, v.value + spread)];
      }
      audit.set(id, { raw, lo: bounds[0], hi: bounds[1] });
      // The same, knowing of a published figure only that it is not small.
      markers.set(
        id,
        v && !v.suppressed && v.value > 0 && bounds[0] !== bounds[1]
          ? { raw, lo: Math.min(threshold, raw), hi: Infinity }
          : { raw, lo: bounds[0], hi: bounds[1] },
      );
    }
    const narrow = narrowCells(
      pending,
      audit,
      terms,
      MIN_RANGE_VALUES,
      markers,
      WHOLE_PART_CELLS,
      known.audit !== 'whole-parts',
    );
    releaseCosts.audited += pending.length;
    pending = narrow.map((x) => x.id);
    const addedNow = new Set<string>();
    const near = (id: string, depth: number): Set<string> => {
      let ring = new Set([id]);
      const seen = new Set([id]);
      for (let d = 0; d < depth; d++) {
        const next = new Set<string>();
        for (const x of ring)
          for (const l of linesOf.get(x) ?? [])
            for (const y of terms[l]?.keys() ?? [])
              if (!seen.has(y)) {
                seen.add(y);
                next.add(y);
              }
        ring = next;
      }
      return seen;
    };
    for (const { id } of narrow) {
      const around = near(id, 1);
      // Already widened this round by a cell hidden for another target: look again next round.
      if ([...addedNow].some((x) => around.has(x))) continue;
      // The cheapest published cell sharing a line with it; failing that, one line further.
      for (const candidates of [around, near(id, 2)]) {
        let pick: { id: string; score: number[] } | null = null;
        for (const other of candidates) {
          // A true zero hidden widens nothing (an `S` is 0 or more, so the others can only be less).
          if (
            other === id ||
            hidden.has(other) ||
            cells.get(other)?.suppressed ||
            cells.get(other)?.raw === 0
          )
            continue;
          const score = cost(other);
          if (pick === null || cheaper(score, pick.score)) pick = { id: other, score };
        }
        if (pick) {
          extra.add(pick.id);
          addedNow.add(pick.id);
          break;
        }
      }
    }
    const added = addedNow.size > 0;
    releaseCosts.hiddenByAudit += addedNow.size;
    releaseCosts.auditMs += performance.now() - auditStarted;
    if (!added) return { secondary, extra };
  }
}

export interface SeriesInput {
  readonly measure: string;
  /** Dimension name of the period. Default "period". */
  readonly dimension?: string;
  readonly fixed?: Labels;
  /** One point per period, e.g. `{ period: '2025-Q1', count: 14 }`, in display order; `key`: its cell key. */
  readonly points: readonly { readonly period: string; readonly count: number; readonly key?: number }[];
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
      cells: series.points.map((p) => ({
        labels: { [name]: p.period },
        count: p.count,
        ...(p.key === undefined ? {} : { key: p.key }),
      })),
      totals: series.total ?? false,
    },
    options,
  );
}
