// Text normalisation and string similarity. Everything here works on already-normalised strings:
// lower case, macrons and other diacritics folded, letters and digits only, single spaces.

const COMBINING = /\p{Mn}/gu;
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;
// Apostrophes and the okina in every form people type it (ʻ U+02BB, ʼ U+02BC, ’, ‘, `, '):
// dropped, so Maʻafu, Ma'afu and Maafu are one name, and O'Brien one token.
const APOSTROPHES = /['’‘`ʻʼ]/g;

/**
 * The one name normaliser (engine, encoder and the product's candidate search): folds macrons
 * (ā → a) and other diacritics, lower-cases, drops apostrophes and okina, turns other
 * punctuation into single spaces. Letters of other scripts are kept.
 */
export function normalise(value: string | undefined | null): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(NOT_ALNUM, ' ')
    .trim();
}

/** Tokens of a normalised multi-part name: "smith ngata" → ["smith", "ngata"]. */
export function tokens(normalised: string): string[] {
  return normalised === '' ? [] : normalised.split(' ');
}

let scratchA = new Uint8Array(64);
let scratchB = new Uint8Array(64);

/** Jaro–Winkler similarity (prefix scale 0.1, at most 4 prefix characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  // Reused scratch arrays: this runs millions of times, allocation would dominate.
  if (la > scratchA.length || lb > scratchB.length) {
    scratchA = new Uint8Array(Math.max(la, scratchA.length * 2));
    scratchB = new Uint8Array(Math.max(lb, scratchB.length * 2));
  }
  const matchedA = scratchA;
  const matchedB = scratchB;
  matchedA.fill(0, 0, la);
  matchedB.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === c) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: adjacent transpositions count 1),
 * giving up early once the distance must exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  let prev2 = new Int32Array(lb + 1);
  let prev = new Int32Array(lb + 1);
  let cur = new Int32Array(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb] ?? 0;
}

/** True when b is a with exactly one pair of adjacent characters swapped. */
export function isAdjacentTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i + 1 >= a.length) return false;
  if (a.charCodeAt(i) !== b.charCodeAt(i + 1) || a.charCodeAt(i + 1) !== b.charCodeAt(i)) return false;
  return a.slice(i + 2) === b.slice(i + 2);
}

/** Number of positions at which two equal-length strings differ (Infinity if lengths differ). */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return d;
}
