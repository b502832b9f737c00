// CSV in and out for the CLI and benchmarks: FEBRL files and Tiaki's own record format.
import { createReadStream } from 'node:fs';
import { parse, CsvError as ParseError, type Info } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { LinkRecord } from './types.ts';

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}, line ${line}: ${message}`);
  }
}

/** One CSV field, quoted when it must be (for callers writing rows one at a time). */
export function csvField(value: string | undefined): string {
  return stringify([[value ?? '']], { eof: false });
}

const FEBRL_COLUMNS = [
  'rec_id',
  'given_name',
  'surname',
  'street_number',
  'address_1',
  'address_2',
  'suburb',
  'postcode',
  'state',
  'date_of_birth',
  'soc_sec_id',
] as const;

const TIAKI_COLUMNS = [
  'id',
  'given_names',
  'family_names',
  'aliases',
  'date_of_birth',
  'estimated_age_min',
  'estimated_age_max',
  'estimated_age_at',
  'gender',
  'region',
] as const;

export type CsvFormat = 'febrl' | 'tiaki';

function opt(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function febrlRecord(row: Map<string, string>, file: string, line: number): LinkRecord {
  const get = (c: string) => opt(row.get(c));
  const id = get('rec_id');
  if (!id) throw new CsvError(file, line, 'rec_id is empty.');
  const dob = get('date_of_birth');
  let dateOfBirth: string | undefined;
  if (dob !== undefined) {
    if (!/^\d{8}$/.test(dob))
      throw new CsvError(file, line, `date_of_birth "${dob}" is not 8 digits (YYYYMMDD).`);
    dateOfBirth = `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}`;
  }
  const given = get('given_name');
  const family = get('surname');
  const record: LinkRecord = { id, givenNames: given ? [given] : [], familyNames: family ? [family] : [] };
  if (dateOfBirth) record.dateOfBirth = dateOfBirth;
  const extra: [keyof LinkRecord, string][] = [
    ['streetNumber', 'street_number'],
    ['address1', 'address_1'],
    ['address2', 'address_2'],
    ['suburb', 'suburb'],
    ['postcode', 'postcode'],
    ['state', 'state'],
    ['socId', 'soc_sec_id'],
  ];
  for (const [field, column] of extra) {
    const v = get(column);
    if (v !== undefined) (record as unknown as Record<string, string>)[field] = v;
  }
  return record;
}

function tiakiRecord(row: Map<string, string>, file: string, line: number): LinkRecord {
  const get = (c: string) => opt(row.get(c));
  const id = get('id');
  if (!id) throw new CsvError(file, line, 'id is empty.');
  const split = (v: string | undefined) =>
    v
      ? v
          .split('|')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const record: LinkRecord = {
    id,
    givenNames: split(get('given_names')),
    familyNames: split(get('family_names')),
  };
  const aliases = split(get('aliases')).map((a) => {
    const [given, family] = a.split('/').map((s) => opt(s));
    return { ...(given ? { given } : {}), ...(family ? { family } : {}) };
  });
  if (aliases.length > 0) record.aliases = aliases;
  const dob = get('date_of_birth');
  if (dob !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dob))
      throw new CsvError(file, line, `date_of_birth "${dob}" is not YYYY-MM-DD.`);
    record.dateOfBirth = dob;
  }
  const min = get('estimated_age_min');
  const max = get('estimated_age_max');
  const at = get('estimated_age_at');
  if (min !== undefined || max !== undefined || at !== undefined) {
    const lo = Number(min);
    const hi = Number(max);
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || !at || !/^\d{4}-\d{2}-\d{2}$/.test(at)) {
      throw new CsvError(
        file,
        line,
        'estimated_age_min, _max and _at must all be given: min ≤ max, at as YYYY-MM-DD.',
      );
    }
    record.estimatedAge = { min: lo, max: hi, atDate: at };
  }
  const gender = get('gender');
  if (gender) record.gender = gender;
  const region = get('region');
  if (region) record.region = region;
  return record;
}

export function tiakiHeader(): string {
  return TIAKI_COLUMNS.join(',');
}

export function tiakiRow(r: LinkRecord): string {
  return csvRow([
    r.id,
    r.givenNames.join('|'),
    r.familyNames.join('|'),
    (r.aliases ?? []).map((a) => `${a.given ?? ''}/${a.family ?? ''}`).join('|'),
    r.dateOfBirth,
    r.estimatedAge?.min.toString(),
    r.estimatedAge?.max.toString(),
    r.estimatedAge?.atDate,
    r.gender,
    r.region,
  ]);
}

function csvRow(cells: (string | undefined)[]): string {
  return stringify([cells.map((c) => c ?? '')], { eof: false });
}

export function febrlHeader(): string {
  return FEBRL_COLUMNS.join(',');
}

/** A record as a FEBRL row (date of birth as YYYYMMDD). */
export function febrlRow(r: LinkRecord): string {
  return csvRow([
    r.id,
    r.givenNames.join(' '),
    r.familyNames.join(' '),
    r.streetNumber,
    r.address1,
    r.address2,
    r.suburb,
    r.postcode,
    r.state,
    r.dateOfBirth?.replace(/-/g, ''),
    r.socId,
  ]);
}

/** Turns parsed rows of either format into records; errors name the file and line. */
export class RecordParser {
  private header: string[] | undefined;
  private readonly expected: readonly string[];
  constructor(
    private readonly format: CsvFormat,
    private readonly file = 'input',
  ) {
    this.expected = format === 'febrl' ? FEBRL_COLUMNS : TIAKI_COLUMNS;
  }

  push(cells: string[], line: number): LinkRecord | undefined {
    if (cells.every((c) => c.trim() === '')) return undefined;
    if (!this.header) {
      const header = cells.map((c) => c.trim().toLowerCase());
      const missing = this.expected.filter((c) => !header.includes(c));
      if (missing.length > 0) {
        throw new CsvError(
          this.file,
          line,
          `header lacks ${missing.join(', ')} (is this a ${this.format} file?).`,
        );
      }
      this.header = header;
      return undefined;
    }
    if (cells.length !== this.header.length) {
      throw new CsvError(this.file, line, `expected ${this.header.length} fields, found ${cells.length}.`);
    }
    const row = new Map<string, string>();
    this.header.forEach((h, k) => row.set(h, cells[k] ?? ''));
    return this.format === 'febrl' ? febrlRecord(row, this.file, line) : tiakiRecord(row, this.file, line);
  }

  end(): void {
    if (!this.header) throw new CsvError(this.file, 1, 'the file is empty.');
  }
}

// RFC 4180 with quoted newlines; rows may differ in length (reported by line, not thrown by the parser).
const PARSE_OPTIONS = { relax_column_count: true, skip_empty_lines: true, info: true, bom: true } as const;

function parseFailure(error: unknown, file: string): never {
  if (error instanceof ParseError) {
    const line = (error as ParseError & { lines?: number }).lines ?? 0;
    throw new CsvError(file, line, error.message.replace(/^Invalid [^:]*: /, ''));
  }
  throw error;
}

/** Parses CSV text of either format into records. */
export function parseRecords(text: string, format: CsvFormat, file = 'input'): LinkRecord[] {
  const parser = new RecordParser(format, file);
  let rows: { record: string[]; info: Info }[];
  try {
    rows = parseSync(text, PARSE_OPTIONS) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    parseFailure(error, file);
  }
  const out: LinkRecord[] = [];
  for (const { record, info } of rows) {
    const r = parser.push(record, info.lines);
    if (r) out.push(r);
  }
  parser.end();
  return out;
}

/** Reads a CSV file, streamed, into records. */
export async function readRecords(file: string, format: CsvFormat): Promise<LinkRecord[]> {
  const parser = new RecordParser(format, file);
  const out: LinkRecord[] = [];
  const input = createReadStream(file, 'utf8');
  const rows = input.pipe(parse(PARSE_OPTIONS));
  // pipe() does not pass on a read error (a missing file): hand it to the parser's reader.
  input.on('error', (error) => rows.destroy(error));
  try {
    for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: Info }>) {
      const r = parser.push(record, info.lines);
      if (r) out.push(r);
    }
  } catch (error) {
    parseFailure(error, file);
  }
  parser.end();
  return out;
}
