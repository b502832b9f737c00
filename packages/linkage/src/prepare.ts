// Records → column arrays. Names and other text are interned once, so a million records cost a
// few typed arrays plus one table of distinct strings, and worker threads can share them.
import { normalise } from './text.ts';
import type { LinkRecord, LinkageConfig, TextField } from './types.ts';
import { TEXT_FIELDS } from './types.ts';

export const MISSING = -1;

/** Column data of a prepared data set; everything a worker thread needs besides the string table. */
export interface Columns {
  n: number;
  /** Name variants of record r are nameOffsets[r] .. nameOffsets[r+1]-1 (primary name first, then aliases). */
  nameOffsets: Uint32Array;
  given: Int32Array;
  family: Int32Array;
  /** Date of birth as the number YYYYMMDD, 0 when absent. */
  dob: Int32Array;
  /** Range of possible birth days (days since 1970), from the date of birth or an estimated age; lo > hi when unknown. */
  bornLo: Int32Array;
  bornHi: Int32Array;
  text: Partial<Record<TextField, Int32Array>>;
  /** 0 or 1: which data set a record came from when linking two. */
  source: Uint8Array;
}

export interface Prepared {
  ids: string[];
  strings: string[];
  columns: Columns;
}

export class LinkageInputError extends Error {
  override name = 'LinkageInputError';
}

class GrowInt32 {
  buf = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD string; NaN if malformed. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) return NaN;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

function addYears(date: string, years: number): number {
  const m = DATE.exec(date);
  if (!m) return NaN;
  return Math.floor(Date.UTC(Number(m[1]) + years, Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Fields a configuration reads, so unused ones are not stored. */
export function textFieldsUsed(config: LinkageConfig): Set<TextField> {
  const used = new Set<TextField>();
  for (const c of config.comparisons) if (c.kind === 'text') used.add(c.field);
  for (const rule of config.blocking) {
    for (const part of rule.parts)
      if ((TEXT_FIELDS as readonly string[]).includes(part)) used.add(part as TextField);
  }
  return used;
}

/**
 * Interns and normalises records into columns. `sources` tags each input set (0, 1) for linking.
 * Throws LinkageInputError naming the record for a bad date or a missing id.
 */
export function prepare(config: LinkageConfig, ...sets: Iterable<LinkRecord>[]): Prepared {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (raw: string | undefined): number => {
    const s = normalise(raw);
    if (s === '') return MISSING;
    let id = index.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      index.set(s, id);
    }
    return id;
  };
  const fields = [...textFieldsUsed(config)];
  const ids: string[] = [];
  const nameOffsets = new GrowInt32();
  const given = new GrowInt32();
  const family = new GrowInt32();
  const dob = new GrowInt32();
  const bornLo = new GrowInt32();
  const bornHi = new GrowInt32();
  const source = new GrowInt32();
  const text = new Map<TextField, GrowInt32>(fields.map((f) => [f, new GrowInt32()]));
  nameOffsets.push(0);
  let variants = 0;
  sets.forEach((records, s) => {
    for (const r of records) {
      if (typeof r.id !== 'string' || r.id === '') {
        throw new LinkageInputError(`Record ${ids.length + 1} has no id.`);
      }
      ids.push(r.id);
      source.push(s);
      const primaryGiven = intern(r.givenNames[0]);
      const primaryFamily = intern(r.familyNames.join(' '));
      given.push(primaryGiven);
      family.push(primaryFamily);
      variants++;
      for (const alias of r.aliases ?? []) {
        const g = alias.given === undefined ? primaryGiven : intern(alias.given);
        const f = alias.family === undefined ? primaryFamily : intern(alias.family);
        if (g === primaryGiven && f === primaryFamily) continue;
        given.push(g);
        family.push(f);
        variants++;
      }
      nameOffsets.push(variants);
      let lo = 1;
      let hi = 0;
      let ymd = 0;
      if (r.dateOfBirth !== undefined && r.dateOfBirth !== '') {
        const m = DATE.exec(r.dateOfBirth);
        if (!m)
          throw new LinkageInputError(`Record ${r.id}: dateOfBirth "${r.dateOfBirth}" is not YYYY-MM-DD.`);
        ymd = Number(`${m[1]}${m[2]}${m[3]}`);
        lo = hi = dayNumber(r.dateOfBirth);
      } else if (r.estimatedAge) {
        const { min, max, atDate } = r.estimatedAge;
        if (!DATE.test(atDate) || !(min >= 0) || !(max >= min)) {
          throw new LinkageInputError(
            `Record ${r.id}: estimatedAge needs 0 ≤ min ≤ max and atDate YYYY-MM-DD.`,
          );
        }
        // Aged between min and max on atDate: born after atDate − (max+1) years, on or before atDate − min years.
        lo = addYears(atDate, -(max + 1)) + 1;
        hi = addYears(atDate, -min);
      }
      dob.push(ymd);
      bornLo.push(lo);
      bornHi.push(hi);
      for (const [f, col] of text) col.push(intern(r[f]));
    }
  });
  const n = ids.length;
  const columns: Columns = {
    n,
    nameOffsets: new Uint32Array(nameOffsets.toArray()),
    given: given.toArray(),
    family: family.toArray(),
    dob: dob.toArray(),
    bornLo: bornLo.toArray(),
    bornHi: bornHi.toArray(),
    text: Object.fromEntries([...text].map(([f, col]) => [f, col.toArray()])),
    source: new Uint8Array(source.toArray()),
  };
  return { ids, strings, columns };
}

/** Copies columns into shared memory so worker threads read them without a copy each. */
export function shareColumns(c: Columns): Columns {
  const share = <T extends Int32Array | Uint32Array | Uint8Array>(a: T): T => {
    const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
    const out = new Ctor(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return {
    n: c.n,
    nameOffsets: share(c.nameOffsets),
    given: share(c.given),
    family: share(c.family),
    dob: share(c.dob),
    bornLo: share(c.bornLo),
    bornHi: share(c.bornHi),
    text: Object.fromEntries(Object.entries(c.text).map(([f, col]) => [f, share(col)])),
    source: share(c.source),
  };
}
