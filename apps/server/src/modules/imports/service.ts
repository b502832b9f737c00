import { createHash, randomUUID } from 'node:crypto';
import {
  referralInput,
  type ImportMode,
  type ImportPhase,
  type ImportReport,
  type ImportRowProblem,
  type ReferralData,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { canonicalJson } from '../../security/canonical-json.ts';
import { insertReferrals, type NewReferral, type Submitter } from '../referrals/index.ts';
import { readRows, referralFromCsv, type ImportFormat, type RowSource, type SourceRow } from './rows.ts';

export type Progress = (phase: ImportPhase, done: number) => void;

/** Referrals written per round of multi-row statements: large enough to amortise round trips. */
const IMPORT_CHUNK_ROWS = 1000;

interface ParsedRow {
  line: number;
  sourceKey: string;
  data?: ReferralData;
  problems?: ImportRowProblem['problems'];
}

function parseRow(row: SourceRow, format: ImportFormat): ParsedRow {
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

async function* parsedRows(source: RowSource, format: ImportFormat): AsyncGenerator<ParsedRow> {
  for await (const row of readRows(source, format)) yield parseRow(row, format);
}

/** Thrown inside the import's transaction to roll it back when nothing may be imported. */
class NothingToImport extends Error {}

/**
 * Imports referrals from a file for one organisation, in one pass and one transaction: each row is
 * validated as it is read and the good ones written in chunks, so a failure part-way (or a bad row
 * in all-or-nothing mode, found however late) leaves nothing behind. Every bad row is reported
 * with its line. Rows already imported (same source id, or same content) are skipped, so
 * re-running a file imports nothing twice. A dry run only checks.
 */
export async function importReferrals(
  ctx: AppContext,
  actor: Actor,
  submitter: Submitter,
  file: RowSource,
  format: ImportFormat,
  options: { mode: ImportMode; dryRun?: boolean; onProgress?: Progress },
): Promise<ImportReport> {
  const invalid: ImportRowProblem[] = [];
  let rows = 0;
  const batchId = randomUUID();
  let imported = 0;
  let alreadyImported = 0;
  // All-or-nothing: after the first bad row the rest is only checked, for the report.
  const importing = () => !options.dryRun && (options.mode === 'good-rows' || invalid.length === 0);
  const progress = () => options.onProgress?.(importing() ? 'importing' : 'validating', rows);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      let chunk: ParsedRow[] = [];
      // Rows already in the database (this import's earlier chunks included) or earlier in the
      // chunk are skipped; the rest go in with a few multi-row statements.
      const importChunk = async (chunk: ParsedRow[]) => {
        const keys = [...new Set(chunk.map((row) => row.sourceKey))];
        const existing = new Set(
          (
            await trx
              .selectFrom('referral')
              .select('source_key')
              .where('organisation_id', '=', submitter.organisationId)
              // Said outright so the partial unique index is used: PostgreSQL does not infer it
              // from a list of more than 100 values, and would read every referral of the sender.
              .where('source_key', 'is not', null)
              .where('source_key', 'in', keys)
              .execute()
          ).map((row) => row.source_key),
        );
        const fresh: NewReferral[] = [];
        for (const row of chunk) {
          if (!row.data) continue;
          if (existing.has(row.sourceKey)) {
            alreadyImported++;
            continue;
          }
          existing.add(row.sourceKey);
          fresh.push({ data: row.data, source: { importBatchId: batchId, sourceKey: row.sourceKey } });
        }
        await insertReferrals(ctx, trx, actor, submitter, fresh);
        imported += fresh.length;
      };
      // The database writes one chunk while the next is read and validated. A write still in
      // flight is always waited for before the transaction ends, even on an error, so nothing
      // can reach the connection after its rollback.
      let writing: Promise<void> = Promise.resolve();
      const write = async () => {
        const full = chunk;
        chunk = [];
        await writing;
        writing = importChunk(full);
        // Seen by the await that follows; marked handled so a failure is not reported twice.
        writing.catch(() => undefined);
      };
      try {
        for await (const row of parsedRows(file, format)) {
          rows++;
          if (rows % 500 === 0) progress();
          if (row.problems) {
            invalid.push({ line: row.line, problems: row.problems });
            continue;
          }
          if (!importing()) continue;
          chunk.push(row);
          if (chunk.length === IMPORT_CHUNK_ROWS) await write();
        }
        if (importing() && chunk.length > 0) await write();
      } finally {
        await writing.catch(() => undefined);
      }
      await writing;
      progress();
      if (!importing() || rows === 0) throw new NothingToImport();
      await recordAudit(trx, actor, {
        action: 'import.completed',
        subjectType: 'import_batch',
        subjectId: batchId,
        details: {
          organisationId: submitter.organisationId,
          rows,
          imported,
          alreadyImported,
          invalid: invalid.length,
          mode: options.mode,
        },
      });
    });
  } catch (error) {
    if (!(error instanceof NothingToImport)) throw error;
    imported = 0;
    alreadyImported = 0;
  }
  const valid = rows - invalid.length;
  const report = (fields: Partial<ImportReport> & { message: string }): ImportReport => ({
    batchId: null,
    rows,
    valid,
    invalid,
    imported: 0,
    alreadyImported: 0,
    committed: false,
    ...fields,
  });
  if (rows === 0) return report({ message: 'The file has no rows to import.' });
  // A check only reports, whatever the mode.
  if (options.dryRun)
    return report({
      message: `Checked ${rows} rows: ${valid} valid, ${invalid.length} with problems. Nothing was imported.`,
    });
  if (options.mode === 'all-or-nothing' && invalid.length > 0) {
    return report({
      message: `Nothing was imported: ${invalid.length} of ${rows} rows have problems. Fix them, or import only the good rows.`,
    });
  }
  return report({
    batchId,
    imported,
    alreadyImported,
    committed: true,
    message:
      `Imported ${imported} referral${imported === 1 ? '' : 's'}` +
      (alreadyImported ? `; ${alreadyImported} already imported before, skipped` : '') +
      (invalid.length ? `; ${invalid.length} rows with problems were left out` : '') +
      '.',
  });
}
