// Encoded records decoded into one typed array, and locality-sensitive hashing on sampled bits:
// shared by the record-level and the field-level encoded linkers.
import { hash31, randomSource, type BlockingStats } from './blocking.ts';
import type { EncodedRecord } from './encode.ts';

export class EncodingError extends Error {
  override name = 'EncodingError';
}

export interface Decoded {
  ids: string[];
  /** Words of every encoding, `words` per encoding. */
  bits: Uint32Array;
  /** Encodings of record r: clkOffsets[r] .. clkOffsets[r+1]-1. */
  clkOffsets: Uint32Array;
  popcounts: Uint16Array;
  words: number;
  source: Uint8Array;
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function decode(...sets: EncodedRecord[][]): Decoded {
  const all = sets.flatMap((s, k) => s.map((r) => ({ r, k })));
  let words = 0;
  const clks: Uint32Array[] = [];
  const clkOffsets = new Uint32Array(all.length + 1);
  all.forEach(({ r }, idx) => {
    if (r.clks.length === 0) throw new EncodingError(`Encoded record ${r.id} has no encoding.`);
    for (const c of r.clks) {
      const buf = Buffer.from(c, 'base64');
      if (buf.length === 0 || buf.length % 4 !== 0)
        throw new EncodingError(`Encoded record ${r.id}: not a valid encoding.`);
      if (words === 0) words = buf.length / 4;
      if (buf.length / 4 !== words) {
        throw new EncodingError(`Encoded record ${r.id}: ${buf.length * 8} bits, others have ${words * 32}.`);
      }
      clks.push(new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)));
    }
    clkOffsets[idx + 1] = clks.length;
  });
  const bits = new Uint32Array(clks.length * words);
  const popcounts = new Uint16Array(clks.length);
  clks.forEach((c, k) => {
    bits.set(c, k * words);
    let p = 0;
    for (const w of c) p += popcount(w);
    popcounts[k] = p;
  });
  return {
    ids: all.map(({ r }) => r.id),
    bits,
    clkOffsets,
    popcounts,
    words,
    source: Uint8Array.from(all.map(({ k }) => k)),
  };
}

export function lshKeys(d: Decoded, bands: number, bandBits: number, seed: number): number[][][] {
  const rand = randomSource(seed);
  const totalBits = d.words * 32;
  const positions = Array.from({ length: bands }, () =>
    Array.from({ length: bandBits }, () => Math.floor(rand() * totalBits)),
  );
  const n = d.ids.length;
  return positions.map((band, b) => {
    const perRecord: number[][] = [];
    for (let r = 0; r < n; r++) {
      const keys: number[] = [];
      for (let c = d.clkOffsets[r] ?? 0; c < (d.clkOffsets[r + 1] ?? 0); c++) {
        let s = `${b}:`;
        for (const p of band) s += ((d.bits[c * d.words + (p >>> 5)] ?? 0) >>> (p & 31)) & 1 ? '1' : '0';
        keys.push(hash31(s));
      }
      perRecord.push(keys);
    }
    return perRecord;
  });
}

export interface EncodedOptions {
  /** LSH bands: each band is `bandBits` bit positions that must all agree. More bands find more pairs. */
  bands?: number;
  bandBits?: number;
  /** Use the coarse keyed blocks too (default true). */
  useBlocks?: boolean;
  /** Match probability for a link (default 0.5), from the two-part mixture fitted to Dice scores. */
  threshold?: number;
  /** Each record links to at most one of the other set (link only). */
  oneToOne?: boolean;
  maxBlockSize?: number;
  seed?: number;
  onProgress?: (event: { phase: 'candidates' | 'score' | 'cluster'; done: number }) => void;
}

export interface EncodedPair {
  a: string;
  b: string;
  dice: number;
  probability: number;
}

export interface EncodedStats {
  records: number;
  candidatePairs: number;
  links: number;
  blocking: BlockingStats;
  millis: { candidates: number; score: number; cluster?: number };
}

/** Each record links to at most one of the other set: best pairs first (the list is sorted). */
export function greedyOneToOne<T extends { a: string; b: string }>(pairs: T[]): T[] {
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  return pairs.filter((p) => {
    if (usedA.has(p.a) || usedB.has(p.b)) return false;
    usedA.add(p.a);
    usedB.add(p.b);
    return true;
  });
}
