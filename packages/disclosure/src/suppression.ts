// Secondary suppression: no suppressed cell may be worked out from the rest of its table.
//
// A table with totals is a set of additive lines (each row and column, margins included). A
// suppressed cell can be recovered exactly iff, in the graph whose vertices are the lines and whose
// edges are the suppressed cells, that edge is a bridge (lies on no cycle). A line with exactly one
// suppressed cell is the simple case (plain subtraction); a chain joining two closed groups is the
// subtle one. We fix the simple cases first, then any remaining bridges.

export type TableKind = 'one-way' | 'two-way';

export interface SuppressionGrid {
  /** Raw values, row-major; the last row and (two-way) last column are the margins. */
  readonly raw: readonly (readonly number[])[];
  readonly margin: readonly (readonly boolean[])[];
  /** Primary suppressions; not modified. */
  readonly suppressed: readonly (readonly boolean[])[];
}

type Position = readonly [number, number];

/** Returns the cells to suppress as well, in the order they were chosen. */
export function secondarySuppression(grid: SuppressionGrid, kind: TableKind): Position[] {
  const suppressed = grid.suppressed.map((row) => [...row]);
  const rows = suppressed.length;
  const cols = suppressed[0]?.length ?? 0;
  const chosen: Position[] = [];
  const at = (i: number, j: number): boolean => suppressed[i]?.[j] === true;

  // Lines: one-way, the single column; two-way, every row then every column (margins included).
  const lines: Position[][] = [];
  const column = (j: number): Position[] => Array.from({ length: rows }, (_, i): Position => [i, j]);
  if (kind === 'one-way') lines.push(column(0));
  else {
    for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, (_, j): Position => [i, j]));
    for (let j = 0; j < cols; j++) lines.push(column(j));
  }
  const linesOf = (p: Position): number[] => (kind === 'one-way' ? [0] : [p[0], rows + p[1]]);
  const counts = lines.map((line) => line.filter(([i, j]) => at(i, j)).length);
  const suppressedIn = (line: number): number => counts[line] ?? 0;
  const suppress = (p: Position): void => {
    const row = suppressed[p[0]];
    if (row) row[p[1]] = true;
    for (const l of linesOf(p)) counts[l] = (counts[l] ?? 0) + 1;
    chosen.push(p);
  };

  // Preference, in order: a cell before a margin (totals are the figures most used, and appear in
  // other tables); a cell whose other line this also protects, then one whose other line already has
  // two suppressed, before one that exposes a new line; non-zero before a true zero (a suppressed
  // pair adding to a tiny number protects little); smallest raw value; then position.
  const score = (p: Position, line: number): number[] => {
    const raw = grid.raw[p[0]]?.[p[1]] ?? 0;
    const other = linesOf(p).find((l) => l !== line);
    const n = other === undefined ? 2 : suppressedIn(other);
    const effect = n === 1 ? 0 : n >= 2 ? 1 : 2;
    return [grid.margin[p[0]]?.[p[1]] ? 1 : 0, effect, raw === 0 ? 1 : 0, raw, p[0], p[1]];
  };
  const less = (a: number[], b: number[]): boolean => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return (a[k] ?? 0) < (b[k] ?? 0);
    return false;
  };
  const pickFrom = (candidates: Iterable<Position>, line: number): Position | null => {
    let pick: { p: Position; score: number[] } | null = null;
    for (const p of candidates) {
      if (at(p[0], p[1])) continue;
      const sc = score(p, line);
      if (pick === null || less(sc, pick.score)) pick = { p, score: sc };
    }
    return pick?.p ?? null;
  };

  // 1. No line with exactly one suppressed cell: each step takes the best cell over all such lines.
  for (;;) {
    let pick: { p: Position; score: number[] } | null = null;
    for (const [l, line] of lines.entries()) {
      if (suppressedIn(l) !== 1) continue;
      const p = pickFrom(line, l);
      if (p && (pick === null || less(score(p, l), pick.score))) pick = { p, score: score(p, l) };
    }
    if (pick === null) break;
    suppress(pick.p);
  }
  if (kind === 'one-way') return chosen; // one line: two unknowns are never determined

  // 2. Bridges. Vertices: rows 0..rows-1, then columns rows..rows+cols-1.
  const reach = (start: number, skip: Position): Set<number> => {
    const seen = new Set([start]);
    const queue = [start];
    for (let v = queue.pop(); v !== undefined; v = queue.pop()) {
      const next: number[] = [];
      if (v < rows) {
        for (let j = 0; j < cols; j++) if (at(v, j) && !(v === skip[0] && j === skip[1])) next.push(rows + j);
      } else {
        const j = v - rows;
        for (let i = 0; i < rows; i++) if (at(i, j) && !(i === skip[0] && j === skip[1])) next.push(i);
      }
      for (const w of next) {
        if (!seen.has(w)) {
          seen.add(w);
          queue.push(w);
        }
      }
    }
    return seen;
  };
  for (let found = true; found;) {
    found = false;
    for (let i = 0; i < rows && !found; i++) {
      for (let j = 0; j < cols && !found; j++) {
        if (!at(i, j)) continue;
        const fromRow = reach(i, [i, j]);
        if (fromRow.has(rows + j)) continue;
        // A cell joining the column's side (its rows) to the row's side (its columns) closes a cycle.
        const fromColumn = reach(rows + j, [i, j]);
        const candidates: Position[] = [];
        for (const r of fromColumn) {
          if (r >= rows) continue;
          for (const c of fromRow) if (c >= rows) candidates.push([r, c - rows]);
        }
        const pick = pickFrom(candidates, -1);
        if (pick) {
          suppress(pick);
          found = true;
        }
      }
    }
  }
  return chosen;
}
