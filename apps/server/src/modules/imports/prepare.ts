// What happens to each row of an import before the database sees it: validation against the API's
// schema, then encryption and blind indexes, written as a line of PostgreSQL COPY text for the
// import's staging table. Pure and light (no database, no server modules), so it runs as well in
// the import's worker threads (worker.ts) as in the importing thread.
import { createHash, randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import {
  CURRENT_TAXONOMY,
  referralInput,
  screenIndicators,
  type ImportRowProblem,
  type ReferralData,
} from '@tiaki/domain';
import { canonicalJson } from '../../security/canonical-json.ts';
import type { KeyRing } from '../../security/keyring.ts';
import {
  childEncodedContext,
  encryptIdentity,
  referralProtectedContext,
  type ChildIdentity,
} from '../child-record/index.ts';
import { ageBandOf, blockIndexes, nameIndexes } from '../referrals/index.ts';
import { referralFromCsv, type ImportFormat, type SourceRow } from './rows.ts';

export interface ParsedRow {
  line: number;
  sourceKey: string;
  data?: ReferralData;
  problems?: ImportRowProblem['problems'];
}

export function parseRow(row: SourceRow, format: ImportFormat): ParsedRow {
  if (row.readError)
    return { line: row.line, sourceKey: '', problems: [{ path: '(row)', message: row.readError }] };
  let sourceId: string | undefined;
  let candidate: unknown;
  if (format === 'csv') {
    ({ sourceId, referral: candidate } = referralFromCsv(row.value as Record<string, string>));
  } else {
    const { sourceId: id, ...rest } = (row.value ?? {}) as { sourceId?: unknown };
    sourceId = typeof id === 'string' ? id : undefined;
    candidate = rest;
  }
  // The source's own id when it has one; otherwise the row's content, so a re-run matches.
  const sourceKey = sourceId
    ? `id:${sourceId}`
    : `sha256:${createHash('sha256').update(canonicalJson(candidate)).digest('hex')}`;
  const parsed = referralInput.safeParse(candidate);
  if (parsed.success) return { line: row.line, sourceKey, data: parsed.data };
  return {
    line: row.line,
    sourceKey,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(row)',
      message:
        issue.code === 'unrecognized_keys'
          ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
          : issue.message,
    })),
  };
}

/**
 * The staging table's columns, in the order of a COPY line: one row a referral, with its child.
 * What is the same for every row of an import (who sent it, when, the batch) is added when the
 * rows are published (queries.ts), not repeated here.
 */
export const STAGE_COLUMNS = [
  ['line', 'integer'],
  ['source_key', 'text'],
  ['child_id', 'uuid'],
  ['identified', 'boolean'],
  ['identity_enc', 'text'],
  ['name_index', 'text[]'],
  ['block_index', 'text[]'],
  ['encoded_enc', 'text'],
  ['dob_index', 'text'],
  ['age_band', 'text'],
  ['birth_year', 'integer'],
  ['gender', 'text'],
  ['ethnicities', 'text[]'],
  ['iwi', 'text[]'],
  ['citizenship', 'text'],
  ['referral_id', 'uuid'],
  ['concern_date', 'date'],
  ['region', 'text'],
  ['police_district', 'text'],
  ['manifestations', 'text[]'],
  ['manifestation_subtypes', 'text[]'],
  ['contexts', 'text[]'],
  ['indicators', 'text[]'],
  ['concern_level', 'text'],
  ['urgent', 'boolean'],
  ['child_safety', 'text'],
  ['child_aware', 'text'],
  ['lawful_basis', 'text'],
  ['protected_enc', 'text'],
] as const;

type Cell = string | number | boolean | null | undefined | readonly string[];

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** A value in COPY's text format: backslash, line breaks and tabs escaped. */
const copyText = (value: string) =>
  NEEDS_ESCAPE.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] ?? c) : value;
/** An array literal, every element quoted (a comma, brace or quote in an element stays inside it). */
const arrayLiteral = (items: readonly string[]) =>
  `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** One COPY text field (`\N` is NULL). */
export function copyCell(value: Cell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return copyText(value);
  return copyText(arrayLiteral(value));
}

interface ReferralProtected {
  referrer: ReferralData['referrer'];
  narrative: string;
  childViews?: string | undefined;
  evidenceReferences: ReferralData['evidenceReferences'];
}

/**
 * A valid row as a line of COPY text: the same child and referral, encrypted under the same
 * contexts, as `insertReferrals` writes one at a time (referrals/service.ts).
 */
export function stageLine(keyring: KeyRing, line: number, sourceKey: string, data: ReferralData): string {
  const taxonomy = CURRENT_TAXONOMY;
  const childId = randomUUID();
  const referralId = randomUUID();
  const child = data.child;
  const identity: ChildIdentity = {
    givenNames: child.givenNames,
    familyName: child.familyName,
    aliases: child.aliases,
    dateOfBirth: child.dateOfBirth,
    currentLocation: child.currentLocation,
    languages: child.languages,
  };
  const protectedPart: ReferralProtected = {
    referrer: data.referrer,
    narrative: data.narrative,
    childViews: data.childViews,
    evidenceReferences: data.evidenceReferences,
  };
  const cells: Record<(typeof STAGE_COLUMNS)[number][0], Cell> = {
    line,
    source_key: sourceKey,
    child_id: childId,
    identified: child.identified,
    identity_enc: encryptIdentity(keyring, childId, identity),
    name_index: child.identified ? nameIndexes(keyring, identity) : [],
    block_index: child.identified ? blockIndexes(keyring, identity) : [],
    encoded_enc: child.encoded
      ? keyring.encrypt(JSON.stringify(child.encoded), childEncodedContext(childId))
      : null,
    dob_index: child.dateOfBirth ? keyring.blindIndex(child.dateOfBirth, 'child.dob') : null,
    age_band: ageBandOf(child, data.concern.date, taxonomy),
    birth_year: child.dateOfBirth ? Number(child.dateOfBirth.slice(0, 4)) : null,
    gender: child.gender,
    ethnicities: child.ethnicities,
    iwi: child.iwi,
    citizenship: child.citizenship ?? null,
    referral_id: referralId,
    concern_date: data.concern.date,
    region: data.concern.region,
    police_district: data.concern.policeDistrict ?? null,
    manifestations: data.manifestations,
    manifestation_subtypes: data.manifestationSubtypes,
    contexts: data.contexts,
    indicators: data.indicators,
    concern_level: screenIndicators(data.indicators, taxonomy).level,
    urgent: data.immediateRisk,
    child_safety: child.safety,
    child_aware: data.childAware,
    lawful_basis: data.lawfulBasis,
    protected_enc: keyring.encrypt(JSON.stringify(protectedPart), referralProtectedContext(referralId)),
  };
  return STAGE_COLUMNS.map(([column]) => copyCell(cells[column])).join('\t') + '\n';
}

/** What a batch of rows comes to: the bad rows with their problems, the good ones as COPY text. */
export interface PreparedBatch {
  rows: number;
  invalid: ImportRowProblem[];
  /** COPY text of the valid rows (empty when only checking). */
  copy: string;
  valid: number;
  /** The thread that prepared it (0: the main thread). */
  threadId: number;
}

/** Checks a batch of rows and, unless only checking, encrypts the valid ones for staging. */
export function prepareBatch(
  keyring: KeyRing,
  rows: readonly SourceRow[],
  format: ImportFormat,
  checkOnly: boolean,
): PreparedBatch {
  const invalid: ImportRowProblem[] = [];
  let copy = '';
  let valid = 0;
  for (const row of rows) {
    const parsed = parseRow(row, format);
    if (parsed.problems) {
      invalid.push({ line: parsed.line, problems: parsed.problems });
      continue;
    }
    valid++;
    if (!checkOnly && parsed.data) copy += stageLine(keyring, parsed.line, parsed.sourceKey, parsed.data);
  }
  return { rows: rows.length, invalid, copy, valid, threadId };
}
