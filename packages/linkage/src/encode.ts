// Privacy-preserving encodings: each agency turns a record into Bloom-filter encodings (CLK, after
// Schnell et al. 2011) with keys only the agencies hold, and sends those instead of names. The
// linkage unit compares encodings by Dice similarity and never sees a name or a date of birth.
import { createHmac } from 'node:crypto';
import { randomSource } from './blocking.ts';
import { phoneticKey } from './phonetic.ts';
import { nameFormKeys } from './name-matcher.ts';
import { normalise } from './text.ts';
import type { LinkRecord, TextField } from './types.ts';

export type EncodedFieldName = 'given' | 'family' | 'dateOfBirth' | TextField;

export interface EncodingSchema {
  /** Length of each encoding in bits (a multiple of 32). */
  bits: number;
  /**
   * 'balanced' (default): a filter of bits/2 joined with its complement and permuted under a key,
   * so every encoding has exactly half its bits set — the number of set bits no longer betrays
   * the length of a name, and frequent names are harder to pick out (Schnell 2016).
   * 'none': a plain CLK.
   */
  hardening: 'balanced' | 'none';
  /** Fields and how many bit positions each bigram sets: more for fields that should weigh more. */
  fields: { field: EncodedFieldName; hashes: number }[];
  /** Coarse blocking keys, each hashed under a key of its own (equal values give equal keys). */
  blocks: ('namePhoneticSorted' | 'familyPhoneticBirthYear' | 'dateOfBirth')[];
  /** Also encode known other forms of the given name (default true). */
  nameForms?: boolean;
  /** Also encode the given and family names in the other order (default true). */
  swappedNames?: boolean;
}

export interface EncodingKeys {
  /** A secret shared by the agencies and never given to the linkage unit (32+ random bytes). */
  secret: string | Uint8Array;
}

export interface EncodedRecord {
  id: string;
  /** Base64 encodings: the primary name first, then one per alias. */
  clks: string[];
  /** Base64 keyed hashes of coarse values, for blocking. */
  blocks: string[];
}

/** Names and date of birth, for referrals about children. */
export function childEncoding(): EncodingSchema {
  return {
    bits: 1024,
    hardening: 'balanced',
    fields: [
      // Date of birth weighs most: with common names it is what tells two children apart.
      { field: 'given', hashes: 10 },
      { field: 'family', hashes: 10 },
      { field: 'dateOfBirth', hashes: 30 },
      { field: 'gender', hashes: 3 },
    ],
    blocks: ['namePhoneticSorted', 'familyPhoneticBirthYear', 'dateOfBirth'],
  };
}

/** FEBRL-style records: names, date of birth, address and identifier, as anonlink encodes them. */
export function febrlEncoding(): EncodingSchema {
  return {
    bits: 1024,
    hardening: 'balanced',
    fields: [
      { field: 'given', hashes: 12 },
      { field: 'family', hashes: 12 },
      { field: 'dateOfBirth', hashes: 8 },
      { field: 'socId', hashes: 8 },
      { field: 'streetNumber', hashes: 4 },
      { field: 'address1', hashes: 4 },
      { field: 'address2', hashes: 3 },
      { field: 'suburb', hashes: 4 },
      { field: 'postcode', hashes: 4 },
      { field: 'state', hashes: 2 },
    ],
    blocks: ['namePhoneticSorted', 'familyPhoneticBirthYear', 'dateOfBirth'],
  };
}

function subkey(secret: string | Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`tiaki-linkage/${purpose}`).digest();
}

/** Padded bigrams: "ana" → _a an na a_ (the padding marks the first and last letters). */
export function bigrams(value: string): string[] {
  if (value === '') return [];
  const s = `_${value}_`;
  const out: string[] = [];
  for (let k = 0; k + 1 < s.length; k++) out.push(s.slice(k, k + 2));
  return out;
}

/** An encoder holds derived keys and caches bigram positions: bigrams repeat across records. */
export class Encoder {
  private readonly fieldKeys = new Map<string, Buffer>();
  private readonly positions = new Map<string, Uint16Array>();
  private readonly permutation: Uint16Array | undefined;
  private readonly blockKey: Buffer;
  private readonly baseBits: number;

  constructor(
    keys: EncodingKeys,
    readonly schema: EncodingSchema = childEncoding(),
  ) {
    if (schema.bits % 64 !== 0 || schema.bits < 64)
      throw new RangeError('bits must be a positive multiple of 64.');
    for (const f of schema.fields) this.fieldKeys.set(f.field, subkey(keys.secret, `field/${f.field}`));
    this.blockKey = subkey(keys.secret, 'blocks');
    this.baseBits = schema.hardening === 'balanced' ? schema.bits / 2 : schema.bits;
    if (schema.hardening === 'balanced') {
      // Keyed Fisher–Yates: the linkage unit cannot tell a bit from its complement.
      const seedBytes = subkey(keys.secret, 'permutation');
      const rand = randomSource(seedBytes.readUInt32BE(0));
      const p = new Uint16Array(schema.bits);
      for (let k = 0; k < p.length; k++) p[k] = k;
      for (let k = p.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        const t = p[k] ?? 0;
        p[k] = p[j] ?? 0;
        p[j] = t;
      }
      this.permutation = p;
    }
  }

  /** Bit positions of one bigram: HMAC-SHA256 under the field's key, double hashing for k positions. */
  private bitsOf(field: string, hashes: number, gram: string): Uint16Array {
    const cacheKey = `${field}\u0000${gram}`;
    let p = this.positions.get(cacheKey);
    if (!p) {
      const digest = createHmac('sha256', this.fieldKeys.get(field) ?? '')
        .update(gram)
        .digest();
      const h1 = digest.readUInt32BE(0);
      const h2 = digest.readUInt32BE(4) | 1;
      p = new Uint16Array(hashes);
      for (let k = 0; k < hashes; k++) p[k] = (h1 + k * h2) % this.baseBits;
      this.positions.set(cacheKey, p);
    }
    return p;
  }

  private filter(values: Partial<Record<EncodedFieldName, string>>): Uint32Array {
    const base = new Uint32Array(this.baseBits / 32);
    for (const { field, hashes } of this.schema.fields) {
      for (const gram of bigrams(values[field] ?? '')) {
        for (const bit of this.bitsOf(field, hashes, gram))
          base[bit >>> 5] = (base[bit >>> 5] ?? 0) | (1 << (bit & 31));
      }
    }
    const perm = this.permutation;
    if (!perm) return base;
    const out = new Uint32Array(this.schema.bits / 32);
    for (let k = 0; k < this.schema.bits; k++) {
      const src = k < this.baseBits ? k : k - this.baseBits;
      let on = ((base[src >>> 5] ?? 0) >>> (src & 31)) & 1;
      if (k >= this.baseBits) on ^= 1;
      if (on) {
        const to = perm[k] ?? 0;
        out[to >>> 5] = (out[to >>> 5] ?? 0) | (1 << (to & 31));
      }
    }
    return out;
  }

  private blockHash(value: string): string {
    return createHmac('sha256', this.blockKey).update(value).digest().subarray(0, 9).toString('base64');
  }

  encode(record: LinkRecord): EncodedRecord {
    const primaryGiven = normalise(record.givenNames[0]);
    const primaryFamily = normalise(record.familyNames.join(' '));
    const dob = record.dateOfBirth?.replace(/-/g, '') ?? '';
    const common: Partial<Record<EncodedFieldName, string>> = { dateOfBirth: dob };
    for (const { field } of this.schema.fields) {
      if (field !== 'given' && field !== 'family' && field !== 'dateOfBirth')
        common[field] = normalise(record[field]);
    }
    const variants: [string, string][] = [[primaryGiven, primaryFamily]];
    for (const a of record.aliases ?? []) {
      const v: [string, string] = [
        a.given === undefined ? primaryGiven : normalise(a.given),
        a.family === undefined ? primaryFamily : normalise(a.family),
      ];
      if (!variants.some(([g, f]) => g === v[0] && f === v[1])) variants.push(v);
    }
    // Known other forms of the given name (Bill, Wiremu, Viliami → william), so two agencies'
    // different forms meet in one encoding; and the names in the other order, as many records
    // about Asian and Pacific children have them. Both sides encode the same extra forms.
    const extra: [string, string][] = [];
    for (const [given, family] of variants) {
      const first = given.split(' ')[0] ?? '';
      for (const form of this.schema.nameForms === false ? [] : nameFormKeys(first)) {
        if (form !== first) extra.push([form, family]);
      }
      if (this.schema.swappedNames !== false && given && family) extra.push([family, given]);
    }
    for (const v of extra) if (!variants.some(([g, f]) => g === v[0] && f === v[1])) variants.push(v);
    const clks = variants.map(([given, family]) =>
      Buffer.from(this.filter({ ...common, given, family }).buffer).toString('base64'),
    );
    const blocks = new Set<string>();
    for (const [given, family] of variants) {
      for (const b of this.schema.blocks) {
        const g = phoneticKey(given);
        const f = phoneticKey(family);
        if (b === 'namePhoneticSorted' && g && f)
          blocks.add(this.blockHash(`n:${g < f ? `${g}|${f}` : `${f}|${g}`}`));
        if (b === 'familyPhoneticBirthYear' && f && dob)
          blocks.add(this.blockHash(`fy:${f}|${dob.slice(0, 4)}`));
        if (b === 'dateOfBirth' && dob) blocks.add(this.blockHash(`d:${dob}`));
      }
    }
    return { id: record.id, clks, blocks: [...blocks] };
  }
}

/** Encodes one record; for many, make one Encoder and reuse it (it caches bigram positions). */
export function encodeRecord(record: LinkRecord, keys: EncodingKeys, schema?: EncodingSchema): EncodedRecord {
  return new Encoder(keys, schema).encode(record);
}
