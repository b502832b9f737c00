// Secondary suppression over linked tables: one set of additive lines for a whole release.
//
// A release publishes the same cell in several places (a region's referrals are a cell of the
// national table by region, that region's headline and the total of each of its tables) and its
// tables are tied by sums (the nation is the sum of its regions; a quarter the sum of its months).
// Each cell has one identity; each sum is a line `parts − total = 0`. A suppressed cell is safe
// when no linear combination of the lines, with every published value known, determines it.
//
// The choice of extra cells is greedy and cheap on information: for a line that would give a
// suppressed cell away by subtraction, take the cell that costs least — its own value, plus the
// value of the cheapest partner it would itself need in its other lines — a body cell before a
// total. Then an exact check (linear algebra on the suppressed cells) finds anything still
// determined by a combination of lines, and suppresses more until nothing is.

export interface LinkedCell {
  /** Raw value: the information lost when this cell is hidden. */
  readonly raw: number;
  /** A total (margin): chosen only when no body cell will do. */
  readonly margin: boolean;
  /** Suppressed before secondary suppression (primary, or never published at all). */
  readonly suppressed: boolean;
  /**
   * May not be chosen for secondary suppression (its value is fixed elsewhere, e.g. in a release
   * already out); chosen only if nothing else can protect a line.
   */
  readonly locked?: boolean;
}

export interface LinkedLine {
  /** Cells that add up to the total. A cell listed twice counts twice. */
  readonly parts: readonly string[];
  readonly total: string;
  /**
   * A group: when every part is small (suppressed before secondary suppression), its total is
   * suppressed too: it is the size of a small group (e.g. the transgender girls of an age × gender
   * table, every age band of whom is fewer than 6).
   */
  readonly group?: boolean;
}

export interface LinkedResult {
  /** Cells to suppress as well, in the order chosen. */
  readonly secondary: readonly string[];
  /** Of those, the totals suppressed because every part of their group is. */
  readonly groups: readonly string[];
}

type Terms = Map<string, number>;

/** A line as terms `Σ coefficient · cell = 0` (parts +1, total −1; a cell on both sides cancels). */
export function termsOf(line: LinkedLine): Terms {
  const terms: Terms = new Map();
  const add = (id: string, c: number) => {
    const next = (terms.get(id) ?? 0) + c;
    if (next === 0) terms.delete(id);
    else terms.set(id, next);
  };
  for (const p of line.parts) add(p, 1);
  add(line.total, -1);
  return terms;
}

/**
 * Suppressed cells (ids) whose value follows from the published ones through the lines: in the
 * reduced row echelon form of the lines restricted to suppressed cells, a pivot whose row holds no
 * other (free) cell. Fraction-free integer arithmetic, so exact.
 */
export function determinedCells(
  lines: readonly ReadonlyMap<string, number>[],
  suppressed: ReadonlySet<string>,
): string[] {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const pivots = new Map<number, Map<number, number>>();
  // row := b·row − a·pivot, cancelling column `col` (a = row[col], b = pivot[col]); then divided by its gcd.
  const cancel = (row: Map<number, number>, pivot: Map<number, number>, col: number) => {
    const a = row.get(col);
    const b = pivot.get(col);
    if (a === undefined || b === undefined) return row;
    const next = new Map<number, number>();
    for (const [k, v] of row) next.set(k, v * b);
    for (const [k, v] of pivot) {
      const x = (next.get(k) ?? 0) - a * v;
      if (x === 0) next.delete(k);
      else next.set(k, x);
    }
    const g = gcdOf([...next.values()]);
    return new Map([...next].map(([k, v]) => [k, v / g]));
  };
  for (const terms of lines) {
    let row = new Map<number, number>();
    for (const [id, c] of terms) {
      if (!suppressed.has(id)) continue;
      let k = index.get(id);
      if (k === undefined) {
        k = ids.length;
        index.set(id, k);
        ids.push(id);
      }
      row.set(k, c);
    }
    for (const [col, pivot] of pivots) row = cancel(row, pivot, col);
    if (row.size === 0) continue;
    const col = Math.min(...row.keys());
    for (const [c, pivot] of pivots) pivots.set(c, cancel(pivot, row, col));
    pivots.set(col, row);
  }
  return ids.filter((_, k) => pivots.get(k)?.size === 1);
}

function less(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return (a[k] ?? 0) < (b[k] ?? 0);
  return false;
}

function gcdOf(xs: number[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  return xs.reduce((g, x) => gcd(g, x), 0) || 1;
}

/**
 * Chooses the cells to suppress as well, so that no suppressed cell can be worked out from the
 * published ones through any combination of the lines. `cells` must name every cell of every line.
 */
export function linkedSuppression(
  cells: ReadonlyMap<string, LinkedCell>,
  lines: readonly LinkedLine[],
  /**
   * Cells to hide as well from the start (e.g. chosen by an earlier pass and the interval audit),
   * after the groups: listed in `secondary` with whatever else is needed.
   */
  alsoHidden: Iterable<string> = [],
): LinkedResult {
  const suppressed = new Set([...cells].filter(([, c]) => c.suppressed).map(([id]) => id));
  const secondary: string[] = [];
  const groups: string[] = [];
  const terms = lines.map(termsOf);
  for (const t of terms)
    for (const id of t.keys()) if (!cells.has(id)) throw new Error(`linked suppression: no cell "${id}"`);
  const linesOf = new Map<string, number[]>();
  terms.forEach((t, l) => {
    for (const id of t.keys()) {
      const list = linesOf.get(id);
      if (list) list.push(l);
      else linesOf.set(id, [l]);
    }
  });
  const counts = terms.map((t) => [...t.keys()].filter((id) => suppressed.has(id)).length);
  const hidden = (l: number) => counts[l] ?? 0;
  const suppress = (id: string) => {
    suppressed.add(id);
    secondary.push(id);
    for (const l of linesOf.get(id) ?? []) counts[l] = (counts[l] ?? 0) + 1;
  };

  // Groups first: the total of parts that are all small (primary) is hidden too. Only primary
  // parts count, so hiding cells to protect others never spreads to the totals of their lines.
  for (const line of lines) {
    if (!line.group || line.parts.length === 0 || suppressed.has(line.total)) continue;
    if (line.parts.every((p) => cells.get(p)?.suppressed === true)) {
      suppress(line.total);
      groups.push(line.total);
    }
  }

  for (const id of alsoHidden) if (cells.has(id) && !suppressed.has(id)) suppress(id);

  // The cost of hiding a cell, compared in order: locked cells hidden, totals hidden, true zeros
  // hidden (a hidden pair that adds to a small number protects little), then the value hidden.
  // A cell's cost includes, for each of its other lines it would leave with exactly one hidden
  // cell, the cheapest partner there: one step of look-ahead, so a cheap cell that drags a big
  // one after it loses to a slightly dearer cell that closes two lines at once.
  const own = (id: string): number[] => {
    const c = cells.get(id);
    const raw = c?.raw ?? 0;
    return [c?.locked ? 1 : 0, c?.margin ? 1 : 0, raw === 0 ? 1 : 0, raw];
  };
  const add = (a: number[], b: number[]) => a.map((x, k) => x + (b[k] ?? 0));
  const cost = (id: string, line: number): number[] => {
    let total = own(id);
    for (const l of linesOf.get(id) ?? []) {
      if (l === line || hidden(l) !== 0) continue;
      let cheapest: number[] | null = null;
      for (const other of terms[l]?.keys() ?? []) {
        if (other === id || suppressed.has(other)) continue;
        const c = own(other);
        if (cheapest === null || less(c, cheapest)) cheapest = c;
      }
      if (cheapest) total = add(total, cheapest);
    }
    return total;
  };
  const best = (candidates: Iterable<string>, line: number): { id: string; score: number[] } | null => {
    let pick: { id: string; score: number[] } | null = null;
    for (const id of candidates) {
      if (suppressed.has(id)) continue;
      const score = cost(id, line);
      if (pick === null || less(score, pick.score)) pick = { id, score };
    }
    return pick;
  };

  for (;;) {
    // 1. No line with exactly one hidden cell: each step takes the cheapest cell over all such lines.
    let pick: { id: string; score: number[] } | null = null;
    for (const [l, t] of terms.entries()) {
      if (hidden(l) !== 1) continue;
      const p = best(t.keys(), l);
      if (p && (pick === null || less(p.score, pick.score))) pick = p;
    }
    if (pick !== null) {
      suppress(pick.id);
      continue;
    }
    // 2. Anything still determined by a combination of lines: hide the cheapest cell beside it.
    let chosen: { id: string; score: number[] } | null = null;
    for (const target of determinedCells(terms, suppressed)) {
      for (const l of linesOf.get(target) ?? []) {
        const p = best(terms[l]?.keys() ?? [], l);
        if (p && (chosen === null || less(p.score, chosen.score))) chosen = p;
      }
      if (chosen !== null) break;
    }
    if (chosen === null) break; // nothing determined, or nothing left that could protect it
    suppress(chosen.id);
  }
  return { secondary, groups };
}
