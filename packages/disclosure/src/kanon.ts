// k-anonymity for record-level extracts (CTDC practice: k = 11): generalise, then suppress.
import { DisclosureError } from './rounding.ts';

export type QiValue = string | number | null;

export interface HierarchyLevel {
  /** Shown in the report, e.g. "age band". */
  readonly name: string;
  /** Maps the original (not the previous level's) value to its generalised label. */
  readonly generalise: (value: QiValue) => string;
}

/** Levels from least to most general; level 0 (the exact value) is implicit. */
export type Hierarchy = readonly HierarchyLevel[];

export const DEFAULT_K = 11;
export const DEFAULT_MAX_SUPPRESSED = 0.05;

export interface KAnonymityOptions<Q extends string> {
  /** Smallest equivalence class allowed. Default 11. */
  k?: number;
  /** Generalisation hierarchy per quasi-identifier; one without a hierarchy is never generalised. */
  hierarchies?: Partial<Record<Q, Hierarchy>>;
  /** Stop generalising once at most this fraction of rows would be suppressed. Default 0.05. */
  maxSuppressed?: number;
}

export interface KAnonymityReport<Q extends string> {
  readonly k: number;
  /** Level used per quasi-identifier (0 = exact). */
  readonly levels: Record<Q, { readonly level: number; readonly name: string }>;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsSuppressed: number;
  readonly classes: number;
  /** Smallest equivalence class in the output; null when nothing is left. */
  readonly smallestClass: number | null;
}

export type Generalised<R, Q extends string> = Omit<R, Q> & Record<Q, string>;

export interface KAnonymityResult<R, Q extends string> {
  readonly rows: Generalised<R, Q>[];
  readonly report: KAnonymityReport<Q>;
}

const exact = (value: QiValue): string => (value === null ? '' : String(value));

/**
 * Generalises quasi-identifiers greedily (each step takes the one level that leaves fewest rows in
 * classes smaller than k; ties go to the quasi-identifier with most distinct values), then drops the
 * rows still in classes smaller than k. Every class in the output has at least k rows.
 */
export function kAnonymise<const Q extends string, R extends Readonly<Record<Q, QiValue>>>(
  rows: readonly R[],
  quasiIdentifiers: readonly Q[],
  options: KAnonymityOptions<Q> = {},
): KAnonymityResult<R, Q> {
  const k = options.k ?? DEFAULT_K;
  const maxSuppressed = options.maxSuppressed ?? DEFAULT_MAX_SUPPRESSED;
  if (!Number.isSafeInteger(k) || k < 1)
    throw new DisclosureError(`k must be a whole number 1 or more, got ${k}`);
  if (!(maxSuppressed >= 0 && maxSuppressed <= 1)) {
    throw new DisclosureError(`maxSuppressed must be a fraction from 0 to 1, got ${maxSuppressed}`);
  }
  if (new Set(quasiIdentifiers).size !== quasiIdentifiers.length) {
    throw new DisclosureError('a quasi-identifier is listed twice');
  }
  const hierarchies = quasiIdentifiers.map((q) => options.hierarchies?.[q] ?? []);
  for (const row of rows) {
    for (const q of quasiIdentifiers) {
      const v: unknown = row[q];
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') {
        throw new DisclosureError(`quasi-identifier "${q}" must be a string, number or null`);
      }
    }
  }

  // values[q][level][row], computed when first needed.
  const cache = quasiIdentifiers.map((): (string[] | undefined)[] => []);
  const valuesAt = (q: number, level: number): string[] => {
    const perLevel = cache[q] ?? [];
    let vs = perLevel[level];
    if (!vs) {
      const qi = quasiIdentifiers[q] as Q;
      const f = level === 0 ? exact : (hierarchies[q]?.[level - 1]?.generalise ?? exact);
      vs = rows.map((row) => f(row[qi]));
      perLevel[level] = vs;
    }
    return vs;
  };
  const classesOf = (levels: readonly number[]): { keys: string[]; sizes: Map<string, number> } => {
    const columns = levels.map((level, q) => valuesAt(q, level));
    const keys = rows.map((_, r) => JSON.stringify(columns.map((c) => c[r])));
    const sizes = new Map<string, number>();
    for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
    return { keys, sizes };
  };
  const violations = (levels: readonly number[]): number => {
    let n = 0;
    for (const size of classesOf(levels).sizes.values()) if (size < k) n += size;
    return n;
  };

  let levels = quasiIdentifiers.map(() => 0);
  let current = violations(levels);
  const budget = Math.floor(maxSuppressed * rows.length);
  while (current > budget) {
    let best: { levels: number[]; violations: number; distinct: number } | null = null;
    for (const [q, level] of levels.entries()) {
      if (level >= (hierarchies[q]?.length ?? 0)) continue;
      const trial = levels.map((l, p) => (p === q ? l + 1 : l));
      const v = violations(trial);
      const distinct = new Set(valuesAt(q, level)).size;
      if (!best || v < best.violations || (v === best.violations && distinct > best.distinct)) {
        best = { levels: trial, violations: v, distinct };
      }
    }
    if (!best) break;
    ({ levels, violations: current } = best);
  }

  const { keys, sizes } = classesOf(levels);
  const out: Generalised<R, Q>[] = [];
  rows.forEach((row, r) => {
    if ((sizes.get(keys[r] ?? '') ?? 0) < k) return;
    const generalised: Record<string, unknown> = { ...row };
    quasiIdentifiers.forEach((q, i) => (generalised[q] = valuesAt(i, levels[i] ?? 0)[r]));
    out.push(generalised as Generalised<R, Q>);
  });
  const kept = [...sizes.values()].filter((s) => s >= k);
  return {
    rows: out,
    report: {
      k,
      levels: Object.fromEntries(
        quasiIdentifiers.map((q, i) => {
          const level = levels[i] ?? 0;
          return [q, { level, name: level === 0 ? 'exact' : (hierarchies[i]?.[level - 1]?.name ?? 'exact') }];
        }),
      ) as Record<Q, { level: number; name: string }>,
      rowsIn: rows.length,
      rowsOut: out.length,
      rowsSuppressed: rows.length - out.length,
      classes: kept.length,
      smallestClass: kept.length === 0 ? null : Math.min(...kept),
    },
  };
}

// Ready-made hierarchies.

const ANY: HierarchyLevel = { name: 'any', generalise: () => 'any' };

/** Date (YYYY-MM-DD or YYYY-MM) → month → quarter → year → any. Missing dates stay "unknown". */
export const dateHierarchy: Hierarchy = (() => {
  const parts = (value: QiValue): { year: string; month: number } | null => {
    if (value === null || value === '') return null;
    const m = /^(\d{4})-(\d{2})(?:-\d{2})?/.exec(String(value));
    const month = Number(m?.[2]);
    if (!m?.[1] || !(month >= 1 && month <= 12)) throw new DisclosureError(`not a date: ${String(value)}`);
    return { year: m[1], month };
  };
  const level = (name: string, f: (year: string, month: number) => string): HierarchyLevel => ({
    name,
    generalise: (value) => {
      const p = parts(value);
      return p ? f(p.year, p.month) : 'unknown';
    },
  });
  return [
    level('month', (y, m) => `${y}-${String(m).padStart(2, '0')}`),
    level('quarter', (y, m) => `${y}-Q${Math.ceil(m / 3)}`),
    level('year', (y) => y),
    ANY,
  ];
})();

/** Age → band (starts e.g. [0, 13, 16, 18] give 0–12, 13–15, 16–17, 18+) → any. */
export function ageHierarchy(starts: readonly number[] = [0, 13, 16, 18]): Hierarchy {
  if (
    starts.length === 0 ||
    starts.some((s, i) => !Number.isInteger(s) || (i > 0 && s <= (starts[i - 1] ?? 0)))
  ) {
    throw new DisclosureError('age band starts must be increasing whole numbers');
  }
  const band = (value: QiValue): string => {
    if (value === null || value === '') return 'unknown';
    const age = Number(value);
    if (!Number.isFinite(age) || age < 0) throw new DisclosureError(`not an age: ${String(value)}`);
    let i = -1;
    starts.forEach((s, k) => {
      if (age >= s) i = k;
    });
    const from = starts[i];
    if (from === undefined) return `under ${starts[0] ?? 0}`;
    const next = starts[i + 1];
    return next === undefined ? `${from}+` : next - 1 === from ? `${from}` : `${from}–${next - 1}`;
  };
  return [{ name: 'age band', generalise: band }, ANY];
}

const SOUTH = new Set(['12', '13', '14', '15', '16', '17', '18']);
const NORTH = new Set(['01', '02', '03', '04', '05', '06', '07', '08', '09']);

/** Stats NZ regional council code → island (Chatham Islands apart) → NZ. */
export const regionHierarchy: Hierarchy = [
  {
    name: 'island',
    generalise: (value) => {
      if (value === null || value === '') return 'unknown';
      const code = String(value).padStart(2, '0');
      if (NORTH.has(code)) return 'North Island';
      if (SOUTH.has(code)) return 'South Island';
      if (code === '99') return 'Chatham Islands';
      throw new DisclosureError(`not a regional council code: ${String(value)}`);
    },
  },
  { name: 'New Zealand', generalise: () => 'NZ' },
];
