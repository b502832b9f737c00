import { randomUUID } from 'node:crypto';
import type { ImportMode, ImportPhase, ImportReport, ImportRowProblem } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { BulkSession } from '../../db/database.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { Submitter } from '../referrals/index.ts';
import { createPreparer, defaultImportThreads } from './pool.ts';
import type { PreparedBatch } from './prepare.ts';
import { readRows, type ImportFormat, type RowSource, type SourceRow } from './rows.ts';
import { createStage, dropStage, publishStage, stageColumns, type Timings } from './queries.ts';

export type Progress = (phase: ImportPhase, done: number) => void;

/** Rows sent to a worker at a time. */
const BATCH_ROWS = 1000;
/** Rows loaded by one COPY into the staging table: each is a short statement of its own. */
const COPY_ROWS = 5000;

export interface ImportOptions {
  mode: ImportMode;
  dryRun?: boolean;
  onProgress?: Progress;
  /** Worker threads that check and encrypt rows (0: this thread only); the machine's cores by default. */
  threads?: number;
  /** Filled with the milliseconds spent in each step (the benchmark prints them). */
  timings?: Timings;
}

/**
 * Imports referrals from a file for one organisation. The file is read once, as a stream; worker
 * threads check each row against the API's schema and encrypt the good ones; these are COPYed into
 * a staging table of the import's own (temporary, unshared) as they come, and published at the
 * end in one short transaction (queries.ts), so a failure part-way (or a bad row in all-or-nothing
 * mode, found however late) leaves nothing behind. Every bad row is reported with its line. Rows
 * already imported (same source id, or same content) are skipped, so re-running a file imports
 * nothing twice. A dry run only checks.
 */
export async function importReferrals(
  ctx: AppContext,
  actor: Actor,
  submitter: Submitter,
  file: RowSource,
  format: ImportFormat,
  options: ImportOptions,
): Promise<ImportReport> {
  const invalid: ImportRowProblem[] = [];
  let rows = 0;
  let staged = 0;
  const batchId = randomUUID();
  let imported = 0;
  let alreadyImported = 0;
  // All-or-nothing: after the first bad row the rest is only checked, for the report.
  const importing = () => !options.dryRun && (options.mode === 'good-rows' || invalid.length === 0);
  // Rows read so far: told every 500 rows as the file is read, and once more at the end.
  const progress = () => options.onProgress?.(importing() ? 'importing' : 'validating', rows);
  const preparer = createPreparer(ctx.keyring, ctx.config, options.threads ?? defaultImportThreads());
  const stage = `import_stage_${batchId.replaceAll('-', '')}`;
  let session: BulkSession | undefined;
  let stageMade = false;
  // Batches being prepared, taken in file order; the COPY text waiting to be sent; the COPY in flight.
  const preparing: Promise<PreparedBatch>[] = [];
  let copyText: string[] = [];
  let copyRows = 0;
  let copying: Promise<void> = Promise.resolve();
  const timings = options.timings;
  const started = performance.now();
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      if (timings) timings[step] = (timings[step] ?? 0) + performance.now() - t0;
    }
  };
  try {
    if (!options.dryRun) {
      session = await ctx.database.bulkSession();
      await createStage(session, stage);
      stageMade = true;
    }
    // The database loads one COPY while the next rows are read and prepared. A COPY in flight is
    // always waited for before the session is let go, even on an error.
    const flush = async () => {
      if (!session || copyRows === 0) return;
      const text = copyText.join('');
      copyText = [];
      copyRows = 0;
      await timed('wait.copy', () => copying);
      copying = session.copyIn(stage, stageColumns, text);
      copying.catch(() => undefined);
    };
    const take = async () => {
      const batch = await timed('wait.prepare', () => preparing.shift() as Promise<PreparedBatch>);
      invalid.push(...batch.invalid);
      if (importing() && batch.copy) {
        copyText.push(batch.copy);
        copyRows += batch.valid;
        staged += batch.valid;
        if (copyRows >= COPY_ROWS) await flush();
      }
    };
    let batch: SourceRow[] = [];
    const send = async () => {
      const prepared = preparer.prepare(batch, format, !importing());
      prepared.catch(() => undefined); // seen when taken, in order
      preparing.push(prepared);
      batch = [];
      while (preparing.length > preparer.capacity) await take();
    };
    for await (const row of readRows(file, format)) {
      rows++;
      if (rows % 500 === 0) progress();
      batch.push(row);
      if (batch.length === BATCH_ROWS) await timed('send', send);
    }
    if (batch.length > 0) await timed('send', send);
    while (preparing.length > 0) await take();
    if (importing()) await flush();
    await timed('wait.copy', () => copying);
    if (timings) timings.stage = performance.now() - started;
    progress();
    if (session && importing() && rows > 0) {
      const publishing = performance.now();
      await session.db.transaction().execute(async (trx) => {
        const { imported: count } = await publishStage(
          trx,
          stage,
          actor,
          submitter,
          batchId,
          ctx.today(),
          timings,
          progress,
        );
        imported = count;
        alreadyImported = staged - count;
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
      if (timings) timings.publish = performance.now() - publishing;
    }
  } finally {
    await Promise.allSettled([copying, ...preparing]);
    await preparer.close();
    if (session) {
      let broken = false;
      if (stageMade)
        broken = !(await dropStage(session, stage).then(
          () => true,
          () => false,
        ));
      await session.release(broken);
    }
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
