import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** One row of an import file, as an object, with the line it started on. */
export interface SourceRow {
  line: number;
  value: unknown;
  /** Set when the row could not even be read (bad JSON, ragged CSV). */
  readError?: string;
}

export type ImportFormat = 'csv' | 'jsonl';

/** A file path, or a function that opens the file's content (an upload decrypted as it is read). */
export type RowSource = string | (() => Readable);

const openSource = (source: RowSource): Readable =>
  typeof source === 'string' ? createReadStream(source) : source();

export function formatOf(file: string): ImportFormat | null {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return null;
}

const yes = (v: string) => ['yes', 'y', 'true', '1'].includes(v.trim().toLowerCase());
const list = (v: string | undefined) =>
  (v ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
const optional = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);

/**
 * Maps a flat CSV record (documented in docs/import.md) onto the referral shape; validation
 * happens afterwards, against the same schema as the API.
 */
export function referralFromCsv(record: Record<string, string>): { sourceId?: string; referral: unknown } {
  const estimatedAge = optional(record.estimated_age);
  return {
    sourceId: optional(record.source_id),
    referral: {
      referrer: {
        name: record.referrer_name ?? '',
        role: optional(record.referrer_role),
        phone: optional(record.referrer_phone),
        email: optional(record.referrer_email),
      },
      concern: {
        date: record.concern_date ?? '',
        region: record.region ?? '',
        policeDistrict: optional(record.police_district),
      },
      child: {
        identified: yes(record.child_identified ?? ''),
        givenNames: optional(record.given_names),
        familyName: optional(record.family_name),
        aliases: list(record.aliases),
        dateOfBirth: optional(record.date_of_birth),
        estimatedAge: estimatedAge === undefined ? undefined : Number(estimatedAge),
        ageBand: optional(record.age_band),
        gender: record.gender ?? '',
        ethnicities: list(record.ethnicities),
        iwi: list(record.iwi),
        citizenship: optional(record.citizenship),
        languages: list(record.languages),
        currentLocation: optional(record.current_location),
        safety: record.child_safety ?? '',
      },
      manifestations: list(record.manifestations),
      manifestationSubtypes: list(record.manifestation_subtypes),
      contexts: list(record.contexts),
      indicators: list(record.indicators),
      narrative: record.narrative ?? '',
      immediateRisk: yes(record.immediate_risk ?? ''),
      evidenceReferences: list(record.evidence).map((entry) => {
        const [agency = '', ...rest] = entry.split(':');
        return { agency: agency.trim().toLowerCase(), reference: rest.join(':').trim() };
      }),
      childViews: optional(record.child_views),
      childAware: record.child_aware ?? '',
      lawfulBasis: record.lawful_basis ?? '',
    },
  };
}

const MAX_JSON_DEPTH = 16;

/** Whether arrays and objects nest deeper than `limit` (checked without recursion). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** Streams the rows of a CSV (with a header row) or JSON Lines file: memory stays flat. */
export async function* readRows(source: RowSource, format: ImportFormat): AsyncGenerator<SourceRow> {
  if (format === 'jsonl') {
    const lines = createInterface({ input: openSource(source), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { line, value: null, readError: 'This line is not valid JSON' };
        continue;
      }
      // A referral is a few levels deep; thousands of levels would exhaust the stack later on.
      yield nestedDeeperThan(value, MAX_JSON_DEPTH)
        ? { line, value: null, readError: `This line is nested more than ${MAX_JSON_DEPTH} levels deep` }
        : { line, value };
    }
    return;
  }
  yield* csvRows(source);
}

/**
 * The CSV rows, then (if the file breaks off) one row saying where. The parser is fed one chunk
 * of the file at a time and hands each record over as soon as it is parsed: read as a stream,
 * the records parsed just before a syntax error were still in the stream's buffer when the error
 * destroyed it, and were neither imported nor reported. Memory stays flat: the next chunk is read
 * only once the rows of this one have been taken.
 */
async function* csvRows(source: RowSource): AsyncGenerator<SourceRow> {
  const parsed: SourceRow[] = [];
  let lastLine = 0;
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: false,
    relax_column_count: true,
    on_record: (record: Record<string, string>, context: { lines: number }) => {
      lastLine = context.lines;
      parsed.push({ line: context.lines, value: record });
      return null; // taken here: nothing is left in the stream's buffer
    },
  });
  // Set from the parser's callbacks; an object so the checks below see it change.
  const read: { failure: Error | null } = { failure: null };
  parser.on('error', (error) => (read.failure ??= error));
  parser.resume();
  const feed = (chunk?: Buffer) =>
    new Promise<void>((resolve) => {
      const done = (error?: Error | null) => {
        if (error) read.failure ??= error;
        resolve();
      };
      if (chunk) parser.write(chunk, done);
      else parser.end(done);
    });
  try {
    for await (const chunk of openSource(source)) {
      await feed(chunk as Buffer);
      yield* parsed.splice(0);
      if (read.failure) break;
    }
    if (!read.failure) await feed();
    yield* parsed.splice(0);
  } finally {
    parser.destroy();
  }
  const failure = read.failure;
  if (!failure) return;
  // A malformed file (a quote never closed…) is the sender's to fix: report it as a bad row.
  if (!(failure instanceof CsvError)) throw failure;
  const at = typeof failure.lines === 'number' ? failure.lines : lastLine + 1;
  yield { line: at, value: null, readError: `The file is not valid CSV from this line on (${failure.code})` };
}
