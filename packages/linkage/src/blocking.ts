// Blocking: candidate pairs are records that agree on every part of at least one rule. Pairs are
// generated block by block into fixed-size typed-array chunks and deduplicated across rules
// without a set: a pair is emitted only by the first rule (and the smallest key) it shares.
import type { Dataset } from './comparisons.ts';
import { nameFormKeys } from './name-matcher.ts';
import { phoneticKey } from './phonetic.ts';
import { MISSING } from './prepare.ts';
import type { BlockingRule, KeyPart, TextField } from './types.ts';

/** Per record, the sorted distinct 31-bit keys it has under one rule (several with aliases). */
export interface RuleKeys {
  offsets: Uint32Array;
  keys: Uint32Array;
}

export interface BlockingStats {
  blocksSkipped: number;
  recordsInSkippedBlocks: number;
  largestBlock: number;
}

/** FNV-1a with a final avalanche; 31 bits so key and record index pack into one float. */
export function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 1;
}

const NAME_PARTS = new Set<KeyPart>([
  'given',
  'givenPhonetic',
  'givenInitial',
  'family',
  'familyPhonetic',
  'namePhoneticSorted',
  'givenForm',
  'namePrefixSorted',
]);

function partValues(d: Dataset, part: KeyPart, r: number, variant: number): string[] {
  if (part === 'givenForm') {
    const g = d.columns.given[variant] ?? MISSING;
    if (g === MISSING) return [];
    const first = d.tokens(g)[0] ?? '';
    const forms = nameFormKeys(first);
    return forms.length > 0 ? forms : [phoneticKey(first)];
  }
  if (part !== 'birthYearRange' && part !== 'birthYearWide') {
    const v = partValue(d, part, r, variant);
    return v === '' ? [] : [v];
  }
  // Every year the child may have been born in: one for a date of birth, a few for an estimated age.
  const dob = d.columns.dob[r] ?? 0;
  if (dob !== 0) {
    const year = Math.floor(dob / 10_000);
    const monthDay = dob % 10_000;
    // 1 January or 1 July is often only an estimated year: a year either side too.
    if (part === 'birthYearWide' && (monthDay === 101 || monthDay === 701))
      return [String(year - 1), String(year), String(year + 1)];
    return [String(year)];
  }
  const lo = d.columns.bornLo[r] ?? 1;
  const hi = d.columns.bornHi[r] ?? 0;
  if (lo > hi) return [];
  const year = (day: number) => new Date(day * 86_400_000).getUTCFullYear();
  const out: string[] = [];
  for (let y = year(lo); y <= year(hi) && out.length < 6; y++) out.push(String(y));
  return out;
}

function partValue(d: Dataset, part: KeyPart, r: number, variant: number): string {
  const c = d.columns;
  const g = c.given[variant] ?? MISSING;
  const f = c.family[variant] ?? MISSING;
  switch (part) {
    case 'given':
      return d.str(g);
    case 'givenPhonetic':
      return d.phonetic(g);
    case 'givenInitial':
      return d.str(g).slice(0, 1);
    case 'family':
      return d.str(f);
    case 'familyPhonetic':
      return d.phonetic(f);
    case 'namePhoneticSorted': {
      if (g === MISSING || f === MISSING) return '';
      const a = d.phonetic(g);
      const b = d.phonetic(f);
      return a < b ? `${a}|${b}` : `${b}|${a}`;
    }
    case 'namePrefixSorted': {
      if (g === MISSING || f === MISSING) return '';
      const a = d.str(g).replace(/ /g, '').slice(0, 3);
      const b = d.str(f).replace(/ /g, '').slice(0, 3);
      return a < b ? `${a}|${b}` : `${b}|${a}`;
    }
    case 'dateOfBirth': {
      const v = c.dob[r] ?? 0;
      return v === 0 ? '' : String(v);
    }
    case 'dateOfBirthUnordered': {
      const v = c.dob[r] ?? 0;
      if (v === 0) return '';
      const month = Math.floor(v / 100) % 100;
      const day = v % 100;
      return `${Math.floor(v / 10_000)}-${Math.min(month, day)}-${Math.max(month, day)}`;
    }
    case 'birthYear': {
      const v = c.dob[r] ?? 0;
      return v === 0 ? '' : String(Math.floor(v / 10_000));
    }
    case 'birthMonthDay': {
      const v = c.dob[r] ?? 0;
      return v === 0 ? '' : String(v % 10_000);
    }
    default: {
      const col = c.text[part as TextField];
      return col ? d.str(col[r] ?? MISSING) : '';
    }
  }
}

/** Keys of one rule for every record, computed once per data set. */
export function computeKeys(d: Dataset, rule: BlockingRule): RuleKeys {
  const id = rule.parts.join('+');
  let keys = d.ruleKeys.get(id);
  if (!keys) {
    keys = computeKeysUncached(d, rule);
    d.ruleKeys.set(id, keys);
  }
  return keys;
}

/** Keys are every combination of the parts' values (more than one only for year ranges and name forms). */
function variantKeys(d: Dataset, rule: BlockingRule, r: number, v: number): string[] {
  let keys: string[] = [''];
  for (const part of rule.parts) {
    const values = partValues(d, part, r, v);
    keys = keys.flatMap((k) => values.map((value) => `${k}${value}\u0001`));
    if (keys.length === 0) break;
  }
  return keys;
}

/**
 * The blocking key strings of record r under each rule (prefixed with the rule), for the encoder:
 * it hashes them under a secret key, so encoded records are blocked exactly as clear ones.
 */
export function ruleKeyStrings(d: Dataset, rules: BlockingRule[], r: number): string[] {
  const c = d.columns;
  const out = new Set<string>();
  for (const rule of rules) {
    const perName = rule.parts.some((p) => NAME_PARTS.has(p));
    const from = perName ? (c.nameOffsets[r] ?? 0) : 0;
    const to = perName ? (c.nameOffsets[r + 1] ?? 0) : 1;
    const id = rule.parts.join('+');
    for (let v = from; v < to; v++) for (const key of variantKeys(d, rule, r, v)) out.add(`${id}:${key}`);
  }
  return [...out];
}

function computeKeysUncached(d: Dataset, rule: BlockingRule): RuleKeys {
  const c = d.columns;
  const offsets = new Uint32Array(c.n + 1);
  let keys = new Uint32Array(c.n);
  let count = 0;
  const perName = rule.parts.some((p) => NAME_PARTS.has(p));
  const mine: number[] = [];
  for (let r = 0; r < c.n; r++) {
    mine.length = 0;
    const from = perName ? (c.nameOffsets[r] ?? 0) : 0;
    const to = perName ? (c.nameOffsets[r + 1] ?? 0) : 1;
    for (let v = from; v < to; v++) {
      for (const key of variantKeys(d, rule, r, v)) {
        const h = hash31(key);
        if (!mine.includes(h)) mine.push(h);
      }
    }
    mine.sort((a, b) => a - b);
    if (count + mine.length > keys.length) {
      const next = new Uint32Array(Math.max(keys.length * 2, count + mine.length));
      next.set(keys);
      keys = next;
    }
    for (const h of mine) keys[count++] = h;
    offsets[r + 1] = count;
  }
  return { offsets, keys: keys.slice(0, count) };
}

function sharesKey(k: RuleKeys, i: number, j: number, below = Infinity): boolean {
  const ei = k.offsets[i + 1] ?? 0;
  const ej = k.offsets[j + 1] ?? 0;
  let a = k.offsets[i] ?? 0;
  let b = k.offsets[j] ?? 0;
  while (a < ei && b < ej) {
    const x = k.keys[a] ?? 0;
    const y = k.keys[b] ?? 0;
    if (x >= below || y >= below) return false;
    if (x === y) return true;
    if (x < y) a++;
    else b++;
  }
  return false;
}

const INDEX_BITS = 2 ** 22;

/** Record indices grouped by key: sorted (key, record) pairs packed into doubles. */
function sortedEntries(k: RuleKeys, n: number): Float64Array {
  if (n > INDEX_BITS) throw new RangeError(`Blocking handles at most ${INDEX_BITS} records per run.`);
  const entries = new Float64Array(k.keys.length);
  for (let r = 0; r < n; r++) {
    const end = k.offsets[r + 1] ?? 0;
    for (let e = k.offsets[r] ?? 0; e < end; e++) entries[e] = (k.keys[e] ?? 0) * INDEX_BITS + r;
  }
  return entries.sort();
}

export interface CandidateOptions {
  /** 'dedupe': every pair; 'link': only pairs from different sources. */
  mode: 'dedupe' | 'link';
  maxBlockSize: number;
  chunkPairs?: number;
  stats?: BlockingStats;
}

/**
 * Candidate pairs as chunks of interleaved record indices [i0, j0, i1, j1, …] (i < j).
 * Each chunk is a fresh buffer, so it can be transferred to a worker.
 */
export function candidatePairs(
  d: Dataset,
  rules: BlockingRule[],
  options: CandidateOptions,
): Generator<Uint32Array> {
  return candidatePairsFromKeys(
    rules.map((rule) => computeKeys(d, rule)),
    d.columns.n,
    d.columns.source,
    options,
  );
}

/** Candidate pairs from precomputed keys (one RuleKeys per rule); used for encoded records too. */
export function* candidatePairsFromKeys(
  allKeys: RuleKeys[],
  n: number,
  source: Uint8Array,
  options: CandidateOptions,
): Generator<Uint32Array> {
  const chunkPairs = options.chunkPairs ?? 65_536;
  const link = options.mode === 'link';
  let buf = new Uint32Array(chunkPairs * 2);
  let len = 0;
  const block: number[] = [];
  for (let r = 0; r < allKeys.length; r++) {
    const keys = allKeys[r] as RuleKeys;
    const entries = sortedEntries(keys, n);
    let start = 0;
    while (start < entries.length) {
      const key = Math.floor((entries[start] ?? 0) / INDEX_BITS);
      let end = start + 1;
      while (end < entries.length && Math.floor((entries[end] ?? 0) / INDEX_BITS) === key) end++;
      const size = end - start;
      if (options.stats && size > options.stats.largestBlock) options.stats.largestBlock = size;
      if (size > options.maxBlockSize) {
        if (options.stats) {
          options.stats.blocksSkipped++;
          options.stats.recordsInSkippedBlocks += size;
        }
      } else if (size > 1) {
        block.length = 0;
        for (let e = start; e < end; e++) block.push((entries[e] ?? 0) % INDEX_BITS);
        for (let x = 0; x < size; x++) {
          const i = block[x] ?? 0;
          for (let y = x + 1; y < size; y++) {
            const j = block[y] ?? 0;
            if (link && source[i] === source[j]) continue;
            // Emitted already by an earlier rule, or by a smaller key of this rule (aliases)?
            let seen = sharesKey(keys, i, j, key);
            for (let q = 0; q < r && !seen; q++) seen = sharesKey(allKeys[q] as RuleKeys, i, j);
            if (seen) continue;
            buf[len++] = i;
            buf[len++] = j;
            if (len === buf.length) {
              yield buf;
              buf = new Uint32Array(chunkPairs * 2);
              len = 0;
            }
          }
        }
      }
      start = end;
    }
  }
  if (len > 0) yield buf.slice(0, len);
}

/** Builds RuleKeys from per-record key lists (any 31-bit numbers). */
export function ruleKeysFrom(perRecord: number[][]): RuleKeys {
  const offsets = new Uint32Array(perRecord.length + 1);
  const flat: number[] = [];
  perRecord.forEach((list, r) => {
    const sorted = [...new Set(list)].sort((a, b) => a - b);
    for (const k of sorted) flat.push(k);
    offsets[r + 1] = flat.length;
  });
  return { offsets, keys: Uint32Array.from(flat) };
}

/** Seeded PRNG (mulberry32): reproducible sampling. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Uniformly random pairs (across sources when linking), for estimating u. */
export function randomPairs(d: Dataset, count: number, mode: 'dedupe' | 'link', seed: number): Uint32Array {
  const n = d.columns.n;
  const rand = randomSource(seed);
  const out = new Uint32Array(count * 2);
  const left: number[] = [];
  const right: number[] = [];
  if (mode === 'link') for (let r = 0; r < n; r++) (d.columns.source[r] === 0 ? left : right).push(r);
  let k = 0;
  let guard = 0;
  while (k < count && guard++ < count * 10) {
    let i: number;
    let j: number;
    if (mode === 'link') {
      if (left.length === 0 || right.length === 0) break;
      i = left[Math.floor(rand() * left.length)] ?? 0;
      j = right[Math.floor(rand() * right.length)] ?? 0;
    } else {
      if (n < 2) break;
      i = Math.floor(rand() * n);
      j = Math.floor(rand() * n);
      if (i === j) continue;
    }
    out[2 * k] = Math.min(i, j);
    out[2 * k + 1] = Math.max(i, j);
    k++;
  }
  return out.slice(0, 2 * k);
}
