// Privacy-preserving encodings: each agency turns a record into Bloom-filter encodings (CLK, after
// Schnell et al. 2011) with keys only the agencies hold, and sends those instead of names. The
// linkage unit compares encodings by Dice similarity and never sees a name or a date of birth.
import { createHmac } from 'node:crypto';
import { randomSource, ruleKeyStrings } from './blocking.ts';
import { Dataset } from './comparisons.ts';
import { prepare } from './prepare.ts';
import { phoneticKey } from './phonetic.ts';
import { nameFormKeys } from './name-matcher.ts';
import { normalise } from './text.ts';
import type { BlockingRule, LinkRecord, TextField } from './types.ts';

/**
 * Fields layout only: 'address' is street number, street, locality, suburb and postcode together;
 * 'birthYear' the year of birth alone (a date that differs in the same year is often an estimate).
 */
export type EncodedFieldName = 'given' | 'family' | 'dateOfBirth' | 'birthYear' | 'address' | TextField;

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
  /**
   * 'record' (default): one encoding per name form of the whole record, compared by one Dice score.
   * 'fields': one encoding per field (`bits` each), so the linkage unit compares each field on its
   * own and weighs it as the clear engine does (Fellegi–Sunter); it learns which field agrees,
   * which is more than a record-level encoding tells it.
   */
  layout?: 'record' | 'fields';
  /** Fields and how many bit positions each bigram sets: more for fields that should weigh more. */
  fields: { field: EncodedFieldName; hashes: number; bits?: number }[];
  /** Coarse blocking keys, each hashed under a key of its own (equal values give equal keys). */
  blocks: ('namePhoneticSorted' | 'familyPhoneticBirthYear' | 'dateOfBirth')[];
  /**
   * Block as the clear engine does: the same rules (same normaliser, sounds and name forms),
   * each key hashed under the agencies' key. Replaces `blocks` when given.
   */
  blocking?: BlockingRule[];
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
  /** Fields layout: the length in bits of each field's encoding, in the schema's order. */
  segments?: number[];
  /** Fields layout: the field of each segment. */
  fields?: EncodedFieldName[];
  /** Fields layout: which fields (their index in `segments`) the record does not have. */
  missing?: number[];
  /**
   * Fields layout: which encodings carry the names in the other order. Two such encodings are
   * not compared with each other: that would pair the given names as family names, and
   * siblings, who share a family name, would look like one child with a different family name.
   */
  swapped?: number[];
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
    // Given name and date of birth weigh most: siblings share a family name and an address
    // (which also changes when a family moves), so those weigh less.
    fields: [
      { field: 'given', hashes: 14 },
      { field: 'family', hashes: 12 },
      { field: 'dateOfBirth', hashes: 12 },
      { field: 'socId', hashes: 8 },
      { field: 'streetNumber', hashes: 3 },
      { field: 'address1', hashes: 3 },
      { field: 'address2', hashes: 2 },
      { field: 'suburb', hashes: 3 },
      { field: 'postcode', hashes: 3 },
      { field: 'state', hashes: 1 },
    ],
    blocks: ['namePhoneticSorted', 'familyPhoneticBirthYear', 'dateOfBirth'],
  };
}

/**
 * FEBRL-style records encoded field by field: names, date of birth, address, identifier and
 * gender each in an encoding of its own, blocked by the clear engine's rules. Every name form of
 * the record (aliases, the other order, known other forms such as Bill/William or Wiremu/William)
 * is encoded, so two agencies' different forms meet.
 */
export function febrlFieldEncoding(blocking?: BlockingRule[]): EncodingSchema {
  return {
    bits: 1024,
    layout: 'fields',
    hardening: 'none',
    fields: [
      { field: 'given', hashes: 8, bits: 256 },
      { field: 'family', hashes: 8, bits: 256 },
      { field: 'dateOfBirth', hashes: 6, bits: 256 },
      { field: 'address', hashes: 4, bits: 512 },
      { field: 'socId', hashes: 8, bits: 256 },
      { field: 'gender', hashes: 4, bits: 64 },
    ],
    blocks: [],
    ...(blocking ? { blocking } : {}),
  };
}

const ADDRESS_PARTS = ['streetNumber', 'address1', 'address2', 'suburb', 'postcode'] as const;

/** Tokens of a date of birth: its bigrams, the year, and day and month in either order. */
function dateTokens(dob: string): string[] {
  if (dob.length !== 8) return bigrams(dob);
  const md = [dob.slice(4, 6), dob.slice(6, 8)].sort().join('');
  return [...bigrams(dob), `y${dob.slice(0, 4)}`, `u${md}`, `m${dob.slice(4, 6)}`, `d${dob.slice(6, 8)}`];
}

/** How many copies of the estimated-age token a date carries (its weight in the Dice score). */
const AGE_TOKEN_COPIES = 6;

/**
 * Field-by-field encodings only: the date's tokens plus an "estimated age" token, so that a date
 * agencies write when they know only the year (1 January or 1 July) meets the child's real date
 * of birth up to a year either side, as the clear engine's "consistent with an estimated age"
 * level does. Every date carries the token of its own year; a year-only date also carries those
 * of the years before and after. Two real dates a year apart share none of it.
 */
export function fieldDateTokens(dob: string): string[] {
  if (dob.length !== 8 || !/^\d{8}$/.test(dob)) return dateTokens(dob);
  const year = Number(dob.slice(0, 4));
  const md = dob.slice(4, 8);
  const estimated = md === '0101' || md === '0701';
  const tokens = dateTokens(dob);
  const years = estimated ? [year - 1, year, year + 1] : [year];
  for (const y of years) for (let k = 0; k < AGE_TOKEN_COPIES; k++) tokens.push(`a${y}:${k}`);
  return tokens;
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
  private readonly secret: string | Uint8Array;
  private readonly fieldPermutations = new Map<string, Uint16Array>();

  constructor(
    keys: EncodingKeys,
    readonly schema: EncodingSchema = childEncoding(),
  ) {
    if (schema.bits % 64 !== 0 || schema.bits < 64)
      throw new RangeError('bits must be a positive multiple of 64.');
    for (const f of schema.fields) {
      if (schema.layout === 'fields' && ((f.bits ?? 0) % 64 !== 0 || (f.bits ?? 0) < 64))
        throw new RangeError(`Field ${f.field}: bits must be a positive multiple of 64.`);
    }
    this.secret = keys.secret;
    for (const f of schema.fields) this.fieldKeys.set(f.field, subkey(keys.secret, `field/${f.field}`));
    this.blockKey = subkey(keys.secret, 'blocks');
    this.baseBits = schema.hardening === 'balanced' ? schema.bits / 2 : schema.bits;
    if (schema.hardening === 'balanced') {
      // Keyed Fisher–Yates: the linkage unit cannot tell a bit from its complement.
      this.permutation = Encoder.permutation(subkey(keys.secret, 'permutation'), schema.bits);
    }
  }

  /** Keyed Fisher–Yates shuffle of 0..size-1. */
  private static permutation(seed: Buffer, size: number): Uint16Array {
    const rand = randomSource(seed.readUInt32BE(0));
    const p = new Uint16Array(size);
    for (let k = 0; k < p.length; k++) p[k] = k;
    for (let k = p.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      const t = p[k] ?? 0;
      p[k] = p[j] ?? 0;
      p[j] = t;
    }
    return p;
  }

  /** One field's encoding: its tokens into bits/2 (balanced: joined with the complement, permuted). */
  private fieldFilter(field: string, hashes: number, bits: number, grams: string[]): Uint32Array {
    const balanced = this.schema.hardening === 'balanced';
    const baseBits = balanced ? bits / 2 : bits;
    const base = new Uint32Array(bits / 32);
    for (const gram of grams) {
      for (const bit of this.bitsOf(field, hashes, gram, baseBits))
        base[bit >>> 5] = (base[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
    if (!balanced) return base;
    let perm = this.fieldPermutations.get(field);
    if (!perm) {
      perm = Encoder.permutation(subkey(this.secret, `permutation/${field}`), bits);
      this.fieldPermutations.set(field, perm);
    }
    const out = new Uint32Array(bits / 32);
    for (let k = 0; k < bits; k++) {
      const src = k < baseBits ? k : k - baseBits;
      let on = ((base[src >>> 5] ?? 0) >>> (src & 31)) & 1;
      if (k >= baseBits) on ^= 1;
      if (on) {
        const to = perm[k] ?? 0;
        out[to >>> 5] = (out[to >>> 5] ?? 0) | (1 << (to & 31));
      }
    }
    return out;
  }

  /** Bit positions of one bigram: HMAC-SHA256 under the field's key, double hashing for k positions. */
  private bitsOf(field: string, hashes: number, gram: string, range = this.baseBits): Uint16Array {
    const cacheKey = `${field}\u0000${range}\u0000${gram}`;
    let p = this.positions.get(cacheKey);
    if (!p) {
      const digest = createHmac('sha256', this.fieldKeys.get(field) ?? '')
        .update(gram)
        .digest();
      const h1 = digest.readUInt32BE(0);
      const h2 = digest.readUInt32BE(4) | 1;
      p = new Uint16Array(hashes);
      for (let k = 0; k < hashes; k++) p[k] = (h1 + k * h2) % range;
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
    const { variants, swapped } = this.nameVariants(record);
    const dob = record.dateOfBirth?.replace(/-/g, '') ?? '';
    if (this.schema.layout === 'fields') return this.encodeFields(record, variants, swapped, dob);
    const common: Partial<Record<EncodedFieldName, string>> = { dateOfBirth: dob };
    for (const { field } of this.schema.fields) {
      if (
        field !== 'given' &&
        field !== 'family' &&
        field !== 'dateOfBirth' &&
        field !== 'address' &&
        field !== 'birthYear'
      )
        common[field] = normalise(record[field]);
    }
    const clks = variants.map(([given, family]) =>
      Buffer.from(this.filter({ ...common, given, family }).buffer).toString('base64'),
    );
    return { id: record.id, clks, blocks: this.blocksOf(record, variants, dob) };
  }

  /** Field by field: one encoding per field; the name fields once per name form. */
  private encodeFields(
    record: LinkRecord,
    variants: [string, string][],
    swapped: boolean[],
    dob: string,
  ): EncodedRecord {
    const segments: number[] = [];
    const missing: number[] = [];
    const fixed: Uint32Array[] = [];
    const nameFields: number[] = [];
    this.schema.fields.forEach(({ field, hashes, bits = 64 }, k) => {
      segments.push(bits);
      if (field === 'given' || field === 'family') {
        nameFields.push(k);
        const v = variants[0]?.[field === 'given' ? 0 : 1] ?? '';
        if (v === '') missing.push(k);
        fixed.push(new Uint32Array(bits / 32));
        return;
      }
      let grams: string[];
      if (field === 'dateOfBirth') grams = fieldDateTokens(dob);
      else if (field === 'birthYear') grams = dob.length === 8 ? [dob.slice(0, 4)] : [];
      else if (field === 'address')
        grams = ADDRESS_PARTS.flatMap((part) => bigrams(normalise(record[part])).map((g) => `${part}:${g}`));
      else grams = bigrams(normalise(record[field]));
      if (grams.length === 0) missing.push(k);
      fixed.push(this.fieldFilter(field, hashes, bits, grams));
    });
    const words = segments.reduce((a, b) => a + b, 0) / 32;
    const clks = variants.map(([given, family]) => {
      const out = new Uint32Array(words);
      let at = 0;
      this.schema.fields.forEach(({ field, hashes, bits = 64 }, k) => {
        const part =
          field === 'given' || field === 'family'
            ? this.fieldFilter(field, hashes, bits, bigrams(field === 'given' ? given : family))
            : (fixed[k] ?? new Uint32Array(bits / 32));
        out.set(part, at);
        at += bits / 32;
      });
      return Buffer.from(out.buffer).toString('base64');
    });
    return {
      id: record.id,
      clks,
      blocks: this.blocksOf(record, variants, dob),
      segments,
      fields: this.schema.fields.map((f) => f.field),
      missing,
      swapped: swapped.flatMap((x, k) => (x ? [k] : [])),
    };
  }

  /** The record's name forms, and which of them have the names in the other order. */
  private nameVariants(record: LinkRecord): { variants: [string, string][]; swapped: boolean[] } {
    const primaryGiven = normalise(record.givenNames[0]);
    const primaryFamily = normalise(record.familyNames.join(' '));
    const variants: [string, string][] = [];
    const swapped: boolean[] = [];
    const add = (v: [string, string], isSwapped: boolean) => {
      if (variants.some(([g, f]) => g === v[0] && f === v[1])) return;
      variants.push(v);
      swapped.push(isSwapped);
    };
    add([primaryGiven, primaryFamily], false);
    for (const a of record.aliases ?? []) {
      add(
        [
          a.given === undefined ? primaryGiven : normalise(a.given),
          a.family === undefined ? primaryFamily : normalise(a.family),
        ],
        false,
      );
    }
    // Known other forms of the given name (Bill, Wiremu, Viliami → william), so two agencies'
    // different forms meet in one encoding; and the names in the other order, as many records
    // about Asian and Pacific children have them. Both sides encode the same extra forms.
    // The other order first, then the other forms of whichever name stands first, so a record
    // written "Tupou Bill" meets "William Tupou".
    if (this.schema.swappedNames !== false) {
      const written = variants.length;
      for (let k = 0; k < written; k++) {
        const [given, family] = variants[k] ?? ['', ''];
        if (given && family) add([family, given], true);
      }
    }
    if (this.schema.nameForms !== false) {
      const before = variants.length;
      for (let k = 0; k < before; k++) {
        const [given, family] = variants[k] ?? ['', ''];
        const first = given.split(' ')[0] ?? '';
        for (const form of nameFormKeys(first)) if (form !== first) add([form, family], swapped[k] ?? false);
      }
    }
    return { variants, swapped };
  }

  private blocksOf(record: LinkRecord, variants: [string, string][], dob: string): string[] {
    if (this.schema.blocking) {
      const p = prepare({ comparisons: [], blocking: this.schema.blocking }, [record]);
      const d = new Dataset(p.strings, p.columns);
      return ruleKeyStrings(d, this.schema.blocking, 0).map((k) => this.blockHash(k));
    }
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
    return [...blocks];
  }
}

/** Encodes one record; for many, make one Encoder and reuse it (it caches bigram positions). */
export function encodeRecord(record: LinkRecord, keys: EncodingKeys, schema?: EncodingSchema): EncodedRecord {
  return new Encoder(keys, schema).encode(record);
}
