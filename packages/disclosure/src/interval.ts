// The interval audit after rounding: what the published (rounded) figures of a release still allow
// a hidden small cell to be.
//
// Secondary suppression (linked.ts) stops exact recovery: no hidden cell is a combination of
// published ones. Rounding is then meant to blur any difference of published figures, but each
// published figure r only says that the true count is in [r − (base − 1), r + (base − 1)], and a
// total minus its published parts can leave a hidden 1–5 with a single possible value (nation 39,
// the only other region 42: the hidden region is 1). So, for every hidden small cell, the range of
// values the published figures allow is computed with a small linear programme, and where it holds
// fewer than MIN_RANGE_VALUES whole values, one more cell is hidden (see table.ts).
//
// The range is computed on a slice of the release, never on a relaxation: the cells near the target
// (those that share a line with it, then their lines' cells, up to SLICE_CELLS cells) are free within
// what the attacker knows of them, every other cell is held at its true count. Holding a cell at its
// true count can only narrow the range (the true counts are one of the solutions the attacker must
// consider), so a range wide enough on the slice is at least as wide on the whole release: the audit
// may hide a cell more than it needs, never less. Bounds are what the attacker knows, or narrower:
//  - a published value v > 0 rounded with base b: the count is in [max(v − b + 1, threshold), v + b − 1];
//    a published 0 is 0;
//  - a hidden small cell (`*`): 1 to threshold − 1 (0 to threshold − 1 when it is a hidden zero);
//  - a cell hidden to protect another (`S`) of count ≥ threshold: threshold or more (the attacker knows
//    an `S` is not 1–5); an `S` that is a true zero is held at 0.
// The linear programme is continuous; the range is then cut to whole values (ceil of the least, floor
// of the most). Lines are sums with coefficients ±1, for which the extreme points of these slices
// are whole numbers in practice.

/** A line `Σ coefficient · cell = 0` (a sum: parts +1, total −1). */
export type LineTerms = ReadonlyMap<string, number>;

export interface AuditCell {
  /** The true count. */
  readonly raw: number;
  /** What the attacker knows of it: lo ≤ count ≤ hi (hi may be Infinity). raw must be inside. */
  readonly lo: number;
  readonly hi: number;
}

/** A hidden small cell must keep at least this many whole values possible (e.g. 1–3 of 1–5). */
export const MIN_RANGE_VALUES = 3;
/** How many cells around a target are free in its slice. */
export const SLICE_CELLS = 48;
/** A cell found narrow on its slice is looked at again on a wider one before anything is hidden. */
export const WIDE_SLICE_CELLS = 120;
/** A connected part of a release this small is solved whole (exactly) for a cell narrow on its slice. */
export const WHOLE_PART_CELLS = 400;

const EPS = 1e-9;

/**
 * Dense two-phase simplex (Dantzig's rule, then Bland's after many pivots, which cannot cycle).
 * Maximises each objective over A y = b, y ≥ 0 (b any sign). Returns one optimum per objective
 * (Infinity when unbounded), or null when infeasible.
 */
export function simplexMax(
  A: readonly (readonly number[])[],
  b: readonly number[],
  objectives: readonly (readonly number[])[],
  /** When given, receives one optimal point (y) per bounded objective, in order (null if unbounded). */
  points?: (number[] | null)[],
): number[] | null {
  const solve = simplexPrepare(A, b);
  if (solve === null) return null;
  return objectives.map((c) => solve(c, points));
}

/**
 * Phase 1 of the simplex once (a feasible basis of A y = b, y ≥ 0), then any number of objectives
 * maximised from it: the function returned answers one objective's optimum (Infinity when
 * unbounded), and pushes its optimal point to `points` when given. Null when infeasible.
 */
export function simplexPrepare(
  A: readonly (readonly number[])[],
  b: readonly number[],
): ((objective: readonly number[], points?: (number[] | null)[]) => number) | null {
  const m = A.length;
  const n = A[0]?.length ?? 0;
  let width = n + m + 1; // originals, artificials, right-hand side (phase 2: originals only)
  let rhs = width - 1;
  // A row with a column of its own (coefficient 1, b ≥ 0: a slack) starts with it in the basis;
  // the others with an artificial.
  const ownColumn = new Array<number>(m).fill(-1);
  for (let j = 0; j < n; j++) {
    let only = -1;
    let count = 0;
    for (let i = 0; i < m; i++)
      if ((A[i]?.[j] ?? 0) !== 0) {
        count++;
        only = i;
      }
    if (count === 1 && A[only]?.[j] === 1 && (b[only] ?? 0) >= 0 && ownColumn[only] === -1)
      ownColumn[only] = j;
  }
  // The tableau, row by row in one array; `at` reads a cell.
  let T = new Float64Array(m * width);
  let rows = m;
  const at = (t: Float64Array, i: number, j: number): number => t[i * width + j] ?? 0;
  A.forEach((row, i) => {
    const sign = (b[i] ?? 0) < 0 ? -1 : 1;
    for (let j = 0; j < n; j++) T[i * width + j] = sign * (row[j] ?? 0);
    if (ownColumn[i] === -1) T[i * width + n + i] = 1;
    T[i * width + rhs] = sign * (b[i] ?? 0);
  });
  const basis = Array.from({ length: m }, (_, i) => {
    const own = ownColumn[i] ?? -1;
    return own >= 0 ? own : n + i;
  });
  // The pivot row is sparse (lines of ±1 over a few cells): only its non-zero columns are updated.
  const nonZero = new Int32Array(width);
  const pivot = (t: Float64Array, R: Float64Array, r: number, c: number) => {
    const p = at(t, r, c);
    const base = r * width;
    let count = 0;
    for (let j = 0; j < width; j++) {
      const v = t[base + j] ?? 0;
      if (v !== 0) {
        t[base + j] = v / p;
        nonZero[count++] = j;
      }
    }
    for (let i = 0; i < rows; i++) {
      if (i === r) continue;
      const other = i * width;
      const f = t[other + c] ?? 0;
      if (Math.abs(f) < EPS) continue;
      for (let k = 0; k < count; k++) {
        const j = nonZero[k] ?? 0;
        t[other + j] = (t[other + j] ?? 0) - f * (t[base + j] ?? 0);
      }
      t[other + c] = 0;
    }
    const f = R[c] ?? 0;
    if (Math.abs(f) >= EPS)
      for (let k = 0; k < count; k++) {
        const j = nonZero[k] ?? 0;
        R[j] = (R[j] ?? 0) - f * (t[base + j] ?? 0);
      }
    R[c] = 0;
    basis[r] = c;
  };
  // False when unbounded.
  const optimise = (t: Float64Array, R: Float64Array, allowed: number): boolean => {
    for (let iteration = 0; ; iteration++) {
      let enter = -1;
      const bland = iteration > 50 * (allowed + rows);
      for (let j = 0; j < allowed; j++) {
        const r = R[j] ?? 0;
        if (r > EPS && (enter < 0 || (!bland && r > (R[enter] ?? 0)))) {
          enter = j;
          if (bland) break;
        }
      }
      if (enter < 0) return true;
      let leave = -1;
      let best = Infinity;
      for (let i = 0; i < rows; i++) {
        const a = at(t, i, enter);
        if (a <= EPS) continue;
        const ratio = at(t, i, rhs) / a;
        if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && (basis[i] ?? 0) < (basis[leave] ?? 0))) {
          best = ratio;
          leave = i;
        }
      }
      if (leave < 0) return false;
      pivot(t, R, leave, enter);
    }
  };
  // Phase 1: minimise the artificials (maximise their negated sum).
  const R1 = new Float64Array(width);
  for (let i = 0; i < rows; i++) {
    if ((basis[i] ?? 0) < n) continue;
    for (let j = 0; j < width; j++) if (j < n || j === rhs) R1[j] = (R1[j] ?? 0) + at(T, i, j);
  }
  optimise(T, R1, n + m);
  if ((R1[rhs] ?? 0) > 1e-7) return null;
  // Artificials still in the basis (at 0): pivot them out, or drop their (redundant) rows.
  const keep: number[] = [];
  for (let i = 0; i < rows; i++) {
    if ((basis[i] ?? 0) >= n) {
      let c = -1;
      for (let j = 0; j < n; j++)
        if (Math.abs(at(T, i, j)) > EPS) {
          c = j;
          break;
        }
      if (c >= 0) pivot(T, R1, i, c);
      else continue;
    }
    keep.push(i);
  }
  if (keep.length < rows) {
    const kept = new Float64Array(keep.length * width);
    keep.forEach((i, k) => {
      kept.set(T.subarray(i * width, (i + 1) * width), k * width);
    });
    const keptBasis = keep.map((i) => basis[i] ?? 0);
    basis.splice(0, basis.length, ...keptBasis);
    T = kept;
    rows = keep.length;
  }
  // Phase 2 never uses the artificial columns: the tableau keeps the originals and the right-hand side.
  const compact = new Float64Array(rows * (n + 1));
  for (let i = 0; i < rows; i++) {
    compact.set(T.subarray(i * width, i * width + n), i * (n + 1));
    compact[i * (n + 1) + n] = at(T, i, rhs);
  }
  T = compact;
  width = n + 1;
  rhs = n;
  const startBasis = [...basis];
  return (c, points) => {
    const t = T.slice();
    basis.splice(0, basis.length, ...startBasis);
    const R = new Float64Array(width);
    for (let j = 0; j < n; j++) R[j] = c[j] ?? 0;
    for (let i = 0; i < rows; i++) {
      const cb = c[basis[i] ?? 0] ?? 0;
      if (cb !== 0) for (let j = 0; j < width; j++) R[j] = (R[j] ?? 0) - cb * at(t, i, j);
    }
    if (!optimise(t, R, n)) {
      points?.push(null);
      return Infinity;
    }
    if (points) {
      const y = new Array<number>(n).fill(0);
      for (let i = 0; i < rows; i++) {
        const k = basis[i] ?? 0;
        if (k < n) y[k] = at(t, i, rhs);
      }
      points.push(y);
    }
    return -(R[rhs] ?? 0);
  };
}

/**
 * The whole values a target cell may take on its slice of the release: [least, most] (most may be
 * Infinity). `linesOf` lists, for each cell, the lines it is in.
 */
export function sliceRange(
  target: string,
  cells: ReadonlyMap<string, AuditCell>,
  lines: readonly LineTerms[],
  linesOf: ReadonlyMap<string, readonly number[]>,
  sliceCells = SLICE_CELLS,
  /**
   * Receives the free cells' values at each optimum found. With every other cell at its true
   * count, each is a point the whole release allows (a witness: any cell's value there is possible).
   */
  witness?: (values: ReadonlyMap<string, number>) => void,
  /** More objectives to maximise on the same programme, for their witnesses only (weights by cell). */
  seeds: readonly ReadonlyMap<string, number>[] = [],
): { least: number; most: number } {
  const isFixed = (id: string) => {
    const c = cells.get(id);
    return !c || c.lo === c.hi;
  };
  // The slice: breadth first over lines from the target; at each distance, hidden (wide) cells first.
  const free: string[] = [target];
  const taken = new Set([target]);
  let frontier = [target];
  while (frontier.length > 0 && free.length < sliceCells) {
    const next: string[] = [];
    for (const id of frontier)
      for (const l of linesOf.get(id) ?? [])
        for (const other of lines[l]?.keys() ?? []) {
          if (taken.has(other) || isFixed(other)) continue;
          taken.add(other);
          next.push(other);
        }
    const width = (id: string) => {
      const c = cells.get(id);
      return c ? Math.min(c.hi - c.lo, 1e6) : 0;
    };
    next.sort((a, b) => width(b) - width(a) || (a < b ? -1 : a > b ? 1 : 0));
    for (const id of next) {
      if (free.length >= sliceCells) break;
      free.push(id);
    }
    frontier = next.filter((id) => free.includes(id));
  }
  // A free cell alone (among the free) in one of its lines is fixed by it, at its true count: held
  // there, with no change to what the slice allows. Repeated, this trims the edge of the slice.
  const isFree = new Set(free);
  for (let changed = true; changed;) {
    changed = false;
    for (const id of [...isFree]) {
      if (id === target) continue;
      const alone = (linesOf.get(id) ?? []).some((l) => {
        for (const other of lines[l]?.keys() ?? []) if (other !== id && isFree.has(other)) return false;
        return true;
      });
      if (alone) {
        isFree.delete(id);
        changed = true;
      }
    }
  }
  if (
    (linesOf.get(target) ?? []).some((l) =>
      [...(lines[l]?.keys() ?? [])].every((o) => o === target || !isFree.has(o)),
    )
  ) {
    const raw = cells.get(target)?.raw ?? 0;
    return { least: raw, most: raw };
  }
  free.splice(0, free.length, ...free.filter((id) => isFree.has(id)));
  const programme = buildProgramme(free, cells, lines, linesOf);
  return rangeOn(programme, target, cells, witness, seeds);
}

/** The linear programme of a set of free cells (every other cell held at its true count). */
interface Programme {
  readonly free: readonly string[];
  readonly column: ReadonlyMap<string, number>;
  readonly n: number;
  /** The simplex after phase 1 (null: infeasible, which the true counts rule out). */
  readonly solve: ReturnType<typeof simplexPrepare>;
}

function buildProgramme(
  free: readonly string[],
  cells: ReadonlyMap<string, AuditCell>,
  lines: readonly LineTerms[],
  linesOf: ReadonlyMap<string, readonly number[]>,
): Programme {
  const column = new Map(free.map((id, k) => [id, k]));
  const touched = new Set<number>();
  for (const id of free) for (const l of linesOf.get(id) ?? []) touched.add(l);
  // Variables: y_k = x_k − lo_k ≥ 0, then one slack per finite upper bound.
  const bounded = free.filter((id) => Number.isFinite(cells.get(id)?.hi ?? Infinity));
  const n = free.length + bounded.length;
  const A: number[][] = [];
  const b: number[] = [];
  for (const l of [...touched].sort((x, y) => x - y)) {
    const row = new Array<number>(n).fill(0);
    let constant = 0;
    for (const [id, coefficient] of lines[l] ?? []) {
      const k = column.get(id);
      const c = cells.get(id);
      if (!c) continue;
      if (k === undefined) constant += coefficient * c.raw;
      else {
        row[k] = (row[k] ?? 0) + coefficient;
        constant += coefficient * c.lo;
      }
    }
    A.push(row);
    b.push(-constant);
  }
  bounded.forEach((id, s) => {
    const row = new Array<number>(n).fill(0);
    const c = cells.get(id);
    row[column.get(id) ?? 0] = 1;
    row[free.length + s] = 1;
    A.push(row);
    b.push((c?.hi ?? 0) - (c?.lo ?? 0));
  });
  return { free, column, n, solve: simplexPrepare(A, b) };
}

/** The whole values `target` may take on a programme (its least and most), and witnesses. */
function rangeOn(
  p: Programme,
  target: string,
  cells: ReadonlyMap<string, AuditCell>,
  witness?: (values: ReadonlyMap<string, number>) => void,
  seeds: readonly ReadonlyMap<string, number>[] = [],
): { least: number; most: number } {
  const own = cells.get(target);
  const k = p.column.get(target);
  // Infeasible cannot happen (the true counts are a solution); be safe: the range is the count.
  if (p.solve === null || k === undefined) return { least: own?.raw ?? 0, most: own?.raw ?? 0 };
  const up = new Array<number>(p.n).fill(0);
  up[k] = 1;
  const down = new Array<number>(p.n).fill(0);
  down[k] = -1;
  const seeded = seeds.map((weights) => {
    const c = new Array<number>(p.n).fill(0);
    for (const [id, w] of weights) {
      const j = p.column.get(id);
      if (j !== undefined) c[j] = w;
    }
    return c;
  });
  const points: (number[] | null)[] = [];
  const solve = p.solve;
  const [most = Infinity, least = Infinity] = [up, down, ...seeded].map((c) =>
    solve(c, witness ? points : undefined),
  );
  if (witness)
    for (const y of points)
      if (y) witness(new Map(p.free.map((id, j) => [id, (cells.get(id)?.lo ?? 0) + (y[j] ?? 0)])));
  const lo = own?.lo ?? 0;
  return {
    least: Math.ceil(lo - least - 1e-7),
    most: most === Infinity ? Infinity : Math.floor(lo + most + 1e-7),
  };
}

/**
 * What each line of a cell says of it on its own, from the bounds of the line's other cells (interval
 * arithmetic), with its own bounds: an outer bound on its range (never narrower than the truth).
 */
export function lineBounds(
  id: string,
  cells: ReadonlyMap<string, AuditCell>,
  lines: readonly LineTerms[],
  its: readonly number[],
): { least: number; most: number } {
  const own = cells.get(id);
  let least = own?.lo ?? 0;
  let most = own?.hi ?? Infinity;
  for (const l of its) {
    const terms = lines[l];
    const c = terms?.get(id);
    if (!terms || c === undefined) continue;
    // c·x = −Σ others: x in −(1/c)·[Σ lows, Σ highs] of the others' terms.
    let low = 0;
    let high = 0;
    for (const [other, k] of terms) {
      if (other === id) continue;
      const b = cells.get(other);
      const lo = b?.lo ?? 0;
      const hi = b?.hi ?? Infinity;
      low += k > 0 ? k * lo : k * hi;
      high += k > 0 ? k * hi : k * lo;
    }
    const [a, b] = c > 0 ? [-high / c, -low / c] : [-low / c, -high / c];
    least = Math.max(least, Math.ceil(a - 1e-7));
    most = Math.min(most, Math.floor(b + 1e-7));
  }
  return { least, most };
}

/**
 * The hidden small cells (`targets`) whose range holds fewer than `minValues` whole values, each
 * with its range. With `markers` (the same cells, published figures known only as "not small":
 * threshold or more, or 0), a cell is left out when the markers alone already leave it as narrow a
 * range: then the rounding tells nothing more (four regions' `*` of 1–5 under a national `*` of
 * 1–5 say the nation is 4 or 5 whatever is rounded, and hiding more cannot change it).
 *
 * Work is bounded three ways, none of which can let a narrow cell through:
 *  - **Witnesses.** Every optimum of a slice's programme is a point the whole release allows (the
 *    free cells at their optimum, the others at their true counts), so every cell's value there is
 *    possible. A target whose values over the points found so far (and its true count) already
 *    span `minValues` whole values is wide: no programme of its own.
 *  - **Slices** of SLICE_CELLS cells first (holding the rest at their true counts can only narrow).
 *  - **The whole connected part of the release**, exactly, for a target still narrow on its slice,
 *    when that part holds at most `wholeCells` cells (a referral cube: 17 areas × 17 periods);
 *    beyond that a slice of WIDE_SLICE_CELLS. Holding cells at their true counts made the slice
 *    too strict wherever a region's whole year is hidden (all its cells `*`, chained by its sums
 *    to cells outside the slice): the slice fixed them, and a region's `*` of 3 looked pinned
 *    between the nation's and Auckland's published figures when it was not.
 */
/** For each cell, the lines (their indices) it is in. */
export function linesOfCells(lines: readonly LineTerms[]): Map<string, number[]> {
  const linesOf = new Map<string, number[]>();
  lines.forEach((t, l) => {
    for (const id of t.keys()) {
      const list = linesOf.get(id);
      if (list) list.push(l);
      else linesOf.set(id, [l]);
    }
  });
  return linesOf;
}

/** The audit's work so far in this process (for the benchmark): counts only, no figures. */
export const auditWork = {
  /** Hidden small cells found wide by the witnesses alone (no programme of their own). */
  byWitness: 0,
  /** Ranges computed on a whole part (exact), and on slices. */
  whole: 0,
  sliced: 0,
  /** The largest part solved whole, and the largest part met (cells that are not fixed). */
  largestWhole: 0,
  largestPart: 0,
  /** Hidden small cells left unaudited: in a part too large to solve whole, slices not allowed. */
  skipped: 0,
};

export function narrowCells(
  targets: readonly string[],
  cells: ReadonlyMap<string, AuditCell>,
  lines: readonly LineTerms[],
  minValues = MIN_RANGE_VALUES,
  markers?: ReadonlyMap<string, AuditCell>,
  wholeCells = WHOLE_PART_CELLS,
  /** False: cells of parts too large to solve whole are left unaudited (counted in auditWork.skipped). */
  slices = true,
): { id: string; least: number; most: number }[] {
  const linesOf = linesOfCells(lines);
  // The least and most value of each cell over the witnesses found so far.
  const seen = new Map<string, [number, number]>();
  const witness = (values: ReadonlyMap<string, number>) => {
    for (const [id, v] of values) {
      const s = seen.get(id);
      if (!s) seen.set(id, [v, v]);
      else {
        if (v < s[0]) s[0] = v;
        if (v > s[1]) s[1] = v;
      }
    }
  };
  const wideByWitness = (id: string, raw: number) => {
    const [a, b] = seen.get(id) ?? [raw, raw];
    return Math.floor(Math.max(b, raw) + 1e-7) - Math.ceil(Math.min(a, raw) - 1e-7) + 1 >= minValues;
  };
  // The size of each cell's connected part of the release (cells linked through lines), counting
  // only cells that are not fixed.
  const parts: Set<string>[] = [];
  const partIndex = new Map<string, number>();
  const partOf = (id: string): Set<string> => {
    const known = partIndex.get(id);
    if (known !== undefined) return parts[known] ?? new Set();
    const part = new Set([id]);
    const queue = [id];
    while (queue.length > 0) {
      const x = queue.pop() ?? '';
      for (const l of linesOf.get(x) ?? [])
        for (const y of lines[l]?.keys() ?? []) {
          const c = cells.get(y);
          if (part.has(y) || !c || c.lo === c.hi) continue;
          part.add(y);
          queue.push(y);
        }
    }
    for (const x of part) partIndex.set(x, parts.length);
    parts.push(part);
    return part;
  };
  const sizeOf = (id: string) => partOf(id).size;
  const out: { id: string; least: number; most: number }[] = [];
  // A part solved whole: its programme is built and taken through phase 1 once, then each target
  // is two objectives from that start. It is first seeded with a few witnesses (all the part's
  // targets as high as they can be together, as low, alternating halves), so that many targets
  // are found wide without programmes of their own.
  const wholeProgrammes = new Map<number, Programme>();
  const targetSet = new Set(targets);
  const wholeRange = (id: string) => {
    const index = partIndex.get(id) ?? -1;
    let p = wholeProgrammes.get(index);
    if (!p) {
      const part = [...partOf(id)].sort();
      p = buildProgramme(part, cells, lines, linesOf);
      wholeProgrammes.set(index, p);
      const inPart = part.filter((x) => targetSet.has(x));
      const weights = (sign: (k: number) => number) => new Map(inPart.map((x, k) => [x, sign(k)]));
      rangeOn(p, id, cells, witness, [
        weights(() => 1),
        weights(() => -1),
        weights((k) => (k % 2 === 0 ? 1 : -1)),
        weights((k) => (k % 2 === 0 ? -1 : 1)),
      ]);
    }
    return p;
  };
  for (const id of targets) {
    const c = cells.get(id);
    if (!c || (linesOf.get(id) ?? []).length === 0) continue;
    // A range can never be wider than what the attacker knows of the cell anyway.
    if (c.hi - c.lo + 1 < minValues) continue;
    const whole = sizeOf(id) <= wholeCells;
    auditWork.largestPart = Math.max(auditWork.largestPart, sizeOf(id));
    if (!whole && !slices) {
      auditWork.skipped++;
      continue;
    }
    const programme = whole ? wholeRange(id) : null;
    if (wideByWitness(id, c.raw)) {
      auditWork.byWitness++;
      continue;
    }
    if (programme) {
      auditWork.whole++;
      auditWork.largestWhole = Math.max(auditWork.largestWhole, sizeOf(id));
    } else auditWork.sliced++;
    let r = programme
      ? rangeOn(programme, id, cells, witness)
      : sliceRange(id, cells, lines, linesOf, SLICE_CELLS, witness);
    if (r.most - r.least + 1 >= minValues) continue;
    if (!programme) {
      r = sliceRange(id, cells, lines, linesOf, WIDE_SLICE_CELLS, witness);
      if (r.most - r.least + 1 >= minValues) continue;
    }
    if (markers) {
      // An outer bound (each line on its own, the others' bounds as they are): if even that is as
      // narrow, the markers alone say it and rounding adds nothing.
      const m = lineBounds(id, markers, lines, linesOf.get(id) ?? []);
      if (m.most - m.least <= r.most - r.least) continue;
    }
    out.push({ id, ...r });
  }
  return out;
}
