// Comparison functions: for a pair of records, which agreement level each field reaches.
import { areNicknames } from './nicknames.ts';
import { phoneticKey } from './phonetic.ts';
import { MISSING, type Columns } from './prepare.ts';
import { damerauLevenshtein, jaroWinkler, tokens } from './text.ts';
import type { ComparisonSpec, TextLevel } from './types.ts';

/** Columns plus per-string features, computed once per distinct string and per thread. */
export class Dataset {
  private readonly phon: (string | undefined)[] = [];
  private readonly toks: (string[] | undefined)[] = [];
  /** Blocking keys per rule, so several passes over the candidates compute them once. */
  readonly ruleKeys = new Map<string, { offsets: Uint32Array; keys: Uint32Array }>();
  constructor(
    readonly strings: readonly string[],
    readonly columns: Columns,
  ) {}
  str(id: number): string {
    return id === MISSING ? '' : (this.strings[id] ?? '');
  }
  phonetic(id: number): string {
    let p = this.phon[id];
    if (p === undefined) {
      p = phoneticKey(this.str(id));
      this.phon[id] = p;
    }
    return p;
  }
  tokens(id: number): string[] {
    let t = this.toks[id];
    if (t === undefined) {
      t = tokens(this.str(id));
      this.toks[id] = t;
    }
    return t;
  }
}

export interface Comparator {
  readonly label: string;
  readonly levels: readonly string[];
  /** Levels whose evidence is counted under another comparison. */
  readonly neutral: readonly boolean[];
  /** Index of the level that term frequencies adjust (exact agreement), or -1. */
  readonly tfLevel: number;
  /** Level reached by records i and j, or -1 when either lacks the field. Sets tfValue. */
  compare(i: number, j: number): number;
  /** String id of the agreeing value after an exact match, for the term-frequency adjustment. */
  tfValue: number;
  /** The value shown for record i in an explanation. */
  display(i: number): string;
}

const JW_HIGH = 0.92;
const JW_LOW = 0.8;
const JW_SWAP = 0.85;

function nameVariants(c: Columns, col: Int32Array, r: number): number[] {
  const out: number[] = [];
  const end = c.nameOffsets[r + 1] ?? 0;
  for (let v = c.nameOffsets[r] ?? 0; v < end; v++) {
    const id = col[v] ?? MISSING;
    if (id !== MISSING && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Whether one name agrees closely with another, comparing whole names and their parts. */
function closeName(d: Dataset, a: number, b: number): boolean {
  if (a === b || d.phonetic(a) === d.phonetic(b)) return true;
  const ta = d.tokens(a);
  const tb = d.tokens(b);
  for (const x of ta) {
    for (const y of tb) {
      if (x === y) return true;
      if (x.length < 2 || y.length < 2) continue;
      // Cheap test first: this runs for most non-matching pairs. A first letter lost or changed
      // (Hana, Ana) still counts when the rest agrees closely.
      const jw = jaroWinkler(x, y);
      if (jw >= JW_HIGH || (jw >= JW_SWAP && x.charCodeAt(0) !== y.charCodeAt(0))) return true;
      if (areNicknames(x, y)) return true;
    }
  }
  return false;
}

/** One typing error in a short name (Max, Msx; Ama, Ana), which Jaro–Winkler scores low. */
function oneEditShortName(a: string, b: string): boolean {
  return a.length >= 3 && b.length >= 3 && a.length <= 5 && damerauLevenshtein(a, b, 1) <= 1;
}

/**
 * A middle name written into the given-name field ("Sione Moana" against "Sione"): the first
 * names agree exactly (level 2, very similar) or are known forms of one name (level 1).
 */
function firstNameLevel(d: Dataset, x: number, y: number): number {
  const tx = d.tokens(x);
  const ty = d.tokens(y);
  if (tx.length < 2 && ty.length < 2) return 7;
  const fx = tx[0] ?? '';
  const fy = ty[0] ?? '';
  if (fx.length < 2) return 7;
  if (fx === fy) return 2;
  if (areNicknames(fx, fy)) return 1;
  // A middle name used as the given name ("Madison Harrison", "Harrison"; "Hana Hinemoa",
  // "Hinemoa"): one name of one agrees with the other's whole given name.
  const one = tx.length < 2 ? tx : ty.length < 2 ? ty : undefined;
  const many = one === tx ? ty : tx;
  const only = one?.[0] ?? '';
  if (only.length < 2) return 7;
  for (const t of many) {
    if (t === only) return 2;
    if (t.length >= 2 && areNicknames(t, only)) return 1;
  }
  return 7;
}

/**
 * For two records whose given names and family names both differ: whether a name of one appears
 * in the other's other field ('none' if not), and if so whether that shared name is, in this
 * data, mostly a family name (siblings written in the other order) or a given name (one child
 * under another family name).
 */
export function crossShared(
  d: Dataset,
  i: number,
  j: number,
  familyLeaning: (id: number) => number,
): 'none' | 'family' | 'given' {
  const c = d.columns;
  const shared = { found: false, leaning: 0 };
  const scan = (xs: Int32Array, x: number, ys: Int32Array, y: number) => {
    for (let a = c.nameOffsets[x] ?? 0; a < (c.nameOffsets[x + 1] ?? 0); a++) {
      const va = xs[a] ?? MISSING;
      if (va === MISSING) continue;
      for (let b = c.nameOffsets[y] ?? 0; b < (c.nameOffsets[y + 1] ?? 0); b++) {
        const vb = ys[b] ?? MISSING;
        if (vb === MISSING || !closeName(d, va, vb)) continue;
        shared.found = true;
        shared.leaning += familyLeaning(va) + familyLeaning(vb);
      }
    }
  };
  scan(c.given, i, c.family, j);
  scan(c.family, i, c.given, j);
  if (!shared.found) return 'none';
  return shared.leaning > 0 ? 'family' : 'given';
}

/** Given name of one record agrees with family name of the other, and the other way round. */
// Module-level, not a closure: tsx wraps inner functions in a naming helper, costly in hot loops.
function crossClose(
  d: Dataset,
  xs: Int32Array,
  x: number,
  ys: Int32Array,
  y: number,
  loose = false,
): boolean {
  const c = d.columns;
  for (let a = c.nameOffsets[x] ?? 0; a < (c.nameOffsets[x + 1] ?? 0); a++) {
    const va = xs[a] ?? MISSING;
    if (va === MISSING) continue;
    for (let b = c.nameOffsets[y] ?? 0; b < (c.nameOffsets[y + 1] ?? 0); b++) {
      const vb = ys[b] ?? MISSING;
      if (vb !== MISSING && (loose ? looseName(d, va, vb) : closeName(d, va, vb))) return true;
    }
  }
  return false;
}

function swapped(d: Dataset, i: number, j: number): boolean {
  const c = d.columns;
  // One way round close, the other at least loosely (a typing error, a shortened or other form:
  // Singh Xni, Xin Singh; Kim Xiaoming, Ming Kim).
  const there = crossClose(d, c.given, i, c.family, j);
  const back = crossClose(d, c.family, i, c.given, j);
  if (there && back) return true;
  if (there) return crossClose(d, c.family, i, c.given, j, true);
  if (back) return crossClose(d, c.given, i, c.family, j, true);
  return false;
}

/** Two names loosely alike: close, one edit apart, similar spelling, or one part of the other. */
function looseName(d: Dataset, a: number, b: number): boolean {
  if (closeName(d, a, b)) return true;
  for (const x of d.tokens(a)) {
    for (const y of d.tokens(b)) {
      if (x.length < 2 || y.length < 2) continue;
      if (jaroWinkler(x, y) >= JW_LOW || damerauLevenshtein(x, y, 1) <= 1) return true;
      if ((x.length >= 3 && y.includes(x)) || (y.length >= 3 && x.includes(y))) return true;
    }
  }
  return false;
}

class GivenNameComparator implements Comparator {
  readonly label = 'given name';
  readonly levels = [
    'exact',
    'known nickname or other form',
    'very similar spelling (Jaro–Winkler ≥ 0.92)',
    'sounds alike',
    'given and family names swapped',
    'similar spelling (Jaro–Winkler ≥ 0.80)',
    'different',
  ];
  readonly neutral = this.levels.map(() => false);
  readonly tfLevel: number;
  tfValue = MISSING;
  constructor(
    private readonly d: Dataset,
    termFrequency: boolean,
  ) {
    this.tfLevel = termFrequency ? 0 : -1;
  }
  display(i: number): string {
    return nameVariants(this.d.columns, this.d.columns.given, i)
      .map((id) => this.d.str(id))
      .join(' / ');
  }
  compare(i: number, j: number): number {
    const d = this.d;
    const c = d.columns;
    const col = c.given;
    this.tfValue = MISSING;
    let best = 7;
    const endA = c.nameOffsets[i + 1] ?? 0;
    const endB = c.nameOffsets[j + 1] ?? 0;
    for (let va = c.nameOffsets[i] ?? 0; va < endA; va++) {
      const x = col[va] ?? MISSING;
      if (x === MISSING) continue;
      for (let vb = c.nameOffsets[j] ?? 0; vb < endB; vb++) {
        const y = col[vb] ?? MISSING;
        if (y === MISSING) continue;
        if (best === 7) best = 6;
        if (x === y) {
          this.tfValue = x;
          return 0;
        }
        const sx = d.str(x);
        const sy = d.str(y);
        if (best > 1 && areNicknames(sx, sy)) best = 1;
        if (best > 2) {
          const jw = jaroWinkler(sx, sy);
          if (jw >= JW_HIGH) best = 2;
          else if (best > 3 && d.phonetic(x) === d.phonetic(y)) best = 3;
          else if (best > 5 && (jw >= JW_LOW || oneEditShortName(sx, sy))) best = 5;
        }
        if (best > 1) best = Math.min(best, firstNameLevel(d, x, y));
      }
    }
    if (best === 7) return -1;
    if (best > 4 && swapped(d, i, j)) best = 4;
    return best;
  }
}

class FamilyNameComparator implements Comparator {
  readonly label = 'family name';
  readonly levels = [
    'exact',
    'shares one of several family names',
    'very similar spelling (Jaro–Winkler ≥ 0.92)',
    'sounds alike',
    'swapped with given name (counted under given name)',
    'similar spelling (Jaro–Winkler ≥ 0.80)',
    'different',
  ];
  readonly neutral = this.levels.map((_, k) => k === 4);
  readonly tfLevel: number;
  tfValue = MISSING;
  constructor(
    private readonly d: Dataset,
    termFrequency: boolean,
  ) {
    this.tfLevel = termFrequency ? 0 : -1;
  }
  display(i: number): string {
    return nameVariants(this.d.columns, this.d.columns.family, i)
      .map((id) => this.d.str(id))
      .join(' / ');
  }
  compare(i: number, j: number): number {
    const d = this.d;
    const c = d.columns;
    const col = c.family;
    this.tfValue = MISSING;
    let best = 7;
    const endA = c.nameOffsets[i + 1] ?? 0;
    const endB = c.nameOffsets[j + 1] ?? 0;
    for (let va = c.nameOffsets[i] ?? 0; va < endA; va++) {
      const x = col[va] ?? MISSING;
      if (x === MISSING) continue;
      for (let vb = c.nameOffsets[j] ?? 0; vb < endB; vb++) {
        const y = col[vb] ?? MISSING;
        if (y === MISSING) continue;
        if (best === 7) best = 6;
        if (x === y) {
          this.tfValue = x;
          return 0;
        }
        const tx = d.tokens(x);
        const ty = d.tokens(y);
        if (tx.length > 1 || ty.length > 1) {
          // Hyphenated and multiple family names: same set in another order is exact; one shared part is a level.
          const shared = tx.filter((t) => ty.includes(t)).length;
          if (shared === tx.length && shared === ty.length) return 0;
          // A particle (Te Whata, Te Kani; Van der Berg) is not a shared family name.
          if (best > 1 && tx.some((t) => ty.includes(t) && !PARTICLES.has(t))) best = 1;
        }
        if (best > 2) {
          const jw = jaroWinkler(d.str(x), d.str(y));
          if (jw >= JW_HIGH) best = 2;
          else if (best > 3 && d.phonetic(x) === d.phonetic(y)) best = 3;
          else if (best > 5 && jw >= JW_LOW) best = 5;
        }
      }
    }
    if (best === 7) return -1;
    if (best > 4 && swapped(d, i, j)) best = 4;
    return best;
  }
}

/** Words that begin family names without being one: te reo Māori articles, Dutch, Romance, Gaelic, Arabic. */
const PARTICLES = new Set([
  'te',
  'ta',
  'nga',
  'o',
  'a',
  'ki',
  'van',
  'von',
  'der',
  'den',
  'de',
  'da',
  'di',
  'del',
  'la',
  'le',
  'du',
  'dos',
  'das',
  'mac',
  'mc',
  'st',
  'al',
  'el',
  'bin',
  'ibn',
  'ben',
]);

function digitAt(v: number, k: number): number {
  return Math.floor(v / 10 ** k) % 10;
}

/** Digits k and k+1 (from the right) are swapped and nothing else differs. */
function isTransposedAt(a: number, b: number, k: number): boolean {
  return digitAt(a, k) === digitAt(b, k + 1) && digitAt(a, k + 1) === digitAt(b, k);
}

function isYearOnly(v: number): boolean {
  const monthDay = v % 10_000;
  return monthDay === 101 || monthDay === 701;
}

function yyyymmdd(v: number): string {
  return String(v).padStart(8, '0');
}

class DateOfBirthComparator implements Comparator {
  readonly label = 'date of birth';
  readonly levels = [
    'exact',
    'day and month swapped',
    'two adjacent digits transposed',
    'one digit different',
    'two digits different',
    'consistent with an estimated age',
    'different',
  ];
  readonly neutral = this.levels.map(() => false);
  readonly tfLevel = -1;
  tfValue = MISSING;
  constructor(private readonly d: Dataset) {}
  display(i: number): string {
    const c = this.d.columns;
    const v = c.dob[i] ?? 0;
    if (v !== 0) {
      const s = yyyymmdd(v);
      return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
    }
    const lo = c.bornLo[i] ?? 1;
    const hi = c.bornHi[i] ?? 0;
    if (lo > hi) return '';
    const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
    return `born between ${day(lo)} and ${day(hi)} (estimated age)`;
  }
  compare(i: number, j: number): number {
    const c = this.d.columns;
    const a = c.dob[i] ?? 0;
    const b = c.dob[j] ?? 0;
    if (a !== 0 && b !== 0) {
      // Both written as 1 January or 1 July of one year, the dates agencies put down when they
      // know only the year: what they agree on is an estimated age, not a birthday.
      if (a === b) return isYearOnly(a) ? 5 : 0;
      // Digit arithmetic, no strings: this runs for every candidate pair.
      if (
        Math.floor(a / 10_000) === Math.floor(b / 10_000) &&
        Math.floor(a / 100) % 100 === b % 100 &&
        a % 100 === Math.floor(b / 100) % 100
      ) {
        return 1;
      }
      let differ = 0;
      let first = -1;
      let x = a;
      let y = b;
      for (let k = 0; k < 8; k++) {
        if (x % 10 !== y % 10) {
          differ++;
          if (differ === 1) first = k;
        }
        x = Math.floor(x / 10);
        y = Math.floor(y / 10);
      }
      if (differ === 2 && first >= 0 && first < 7 && isTransposedAt(a, b, first)) return 2;
      if (differ === 1) return 3;
      if (differ === 2) return 4;
      // A date agencies write when they only know the year: 1 January or 1 July (the middle of it).
      if (Math.abs(Math.floor(a / 10_000) - Math.floor(b / 10_000)) <= 1 && (isYearOnly(a) || isYearOnly(b)))
        return 5;
      return 6;
    }
    const loA = c.bornLo[i] ?? 1;
    const hiA = c.bornHi[i] ?? 0;
    const loB = c.bornLo[j] ?? 1;
    const hiB = c.bornHi[j] ?? 0;
    if (loA > hiA || loB > hiB) return -1;
    // At least one side is only an estimated age: agree when the ranges overlap.
    return loA <= hiB && loB <= hiA ? 5 : 6;
  }
}

function textLevelLabel(level: TextLevel): string {
  switch (level.type) {
    case 'exact':
      return 'exact';
    case 'jaroWinkler':
      return `similar (Jaro–Winkler ≥ ${level.min})`;
    case 'damerauLevenshtein':
      return level.max === 1 ? 'one edit apart' : `within ${level.max} edits`;
    case 'phonetic':
      return 'sounds alike';
  }
}

class TextComparator implements Comparator {
  readonly label: string;
  readonly levels: string[];
  readonly neutral: boolean[];
  readonly tfLevel: number;
  tfValue = MISSING;
  private readonly col: Int32Array;
  constructor(
    private readonly d: Dataset,
    field: string,
    private readonly spec: TextLevel[],
    termFrequency: boolean,
  ) {
    this.label = field;
    this.levels = [...spec.map(textLevelLabel), 'different'];
    this.neutral = this.levels.map(() => false);
    this.tfLevel = termFrequency && spec[0]?.type === 'exact' ? 0 : -1;
    this.col =
      (d.columns.text as Record<string, Int32Array | undefined>)[field] ??
      new Int32Array(d.columns.n).fill(MISSING);
  }
  display(i: number): string {
    return this.d.str(this.col[i] ?? MISSING);
  }
  compare(i: number, j: number): number {
    const a = this.col[i] ?? MISSING;
    const b = this.col[j] ?? MISSING;
    this.tfValue = MISSING;
    if (a === MISSING || b === MISSING) return -1;
    const spec = this.spec;
    for (let k = 0; k < spec.length; k++) {
      const level = spec[k];
      if (level === undefined) break;
      switch (level.type) {
        case 'exact':
          if (a === b) {
            this.tfValue = a;
            return k;
          }
          break;
        case 'jaroWinkler':
          if (a === b || jaroWinkler(this.d.str(a), this.d.str(b)) >= level.min) return k;
          break;
        case 'damerauLevenshtein':
          if (damerauLevenshtein(this.d.str(a), this.d.str(b), level.max) <= level.max) return k;
          break;
        case 'phonetic':
          if (this.d.phonetic(a) === this.d.phonetic(b)) return k;
          break;
      }
    }
    return spec.length;
  }
}

export function comparatorLabel(spec: ComparisonSpec): string {
  switch (spec.kind) {
    case 'givenName':
      return 'given name';
    case 'familyName':
      return 'family name';
    case 'dateOfBirth':
      return 'date of birth';
    case 'text':
      return spec.field;
  }
}

export function buildComparator(d: Dataset, spec: ComparisonSpec): Comparator {
  switch (spec.kind) {
    case 'givenName':
      return new GivenNameComparator(d, spec.termFrequency ?? true);
    case 'familyName':
      return new FamilyNameComparator(d, spec.termFrequency ?? true);
    case 'dateOfBirth':
      return new DateOfBirthComparator(d);
    case 'text':
      return new TextComparator(d, spec.field, spec.levels, spec.termFrequency ?? false);
  }
}
