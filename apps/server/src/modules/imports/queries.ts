// An import's staging table: rows are COPYed into a temporary table of the import's own session
// as they are prepared (each COPY its own short statement, touching no shared table), then
// published in one transaction of set-based INSERT … SELECT into the real tables (5,000 rows a
// statement), with the audit entries and the linkage jobs. Until then nothing of the import is
// visible, and a failure (or a killed process: a temporary table ends with its session) leaves
// nothing behind.
import { CURRENT_TAXONOMY } from '@tiaki/domain';
import { sql } from 'kysely';
import type { BulkSession } from '../../db/database.ts';
import type { Actor } from '../audit/index.ts';
import type { Submitter } from '../referrals/index.ts';
import { STAGE_COLUMNS } from './prepare.ts';

/** Children a linkage job scores (as `insertReferrals` queues them). */
const CHILDREN_PER_LINKAGE_JOB = 100;
/** Rows published by one statement of each kind (see publishStage). */
const PUBLISH_SLICE_ROWS = 5000;

export const stageColumns = STAGE_COLUMNS.map(([column]) => column);

export async function createStage(session: BulkSession, table: string): Promise<void> {
  const columns = STAGE_COLUMNS.map(([column, type]) => `${column} ${type}`).join(', ');
  await sql.raw(`CREATE TEMPORARY TABLE ${table} (${columns})`).execute(session.db);
}

export async function dropStage(session: BulkSession, table: string): Promise<void> {
  await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(session.db);
}

/** Milliseconds spent in each step of an import, added up (for the benchmark). */
export type Timings = Record<string, number>;

export interface Published {
  imported: number;
}

/**
 * Publishes the staged rows, in the caller's transaction on the session: rows whose source key
 * the organisation already has, or that come again later in the file, are left out; the others
 * get reference numbers in file order and become children, referrals, one audit entry each and
 * linkage jobs of a hundred children, all set-based.
 */
export async function publishStage(
  trx: BulkSession['db'],
  table: string,
  actor: Actor,
  submitter: Submitter,
  batchId: string,
  today: string,
  timings?: Timings,
  /** Called after each slice is published (progress: the importer's answer is never silent long). */
  onSlice?: () => void,
): Promise<Published> {
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      if (timings) timings[step] = (timings[step] ?? 0) + performance.now() - t0;
    }
  };
  const stage = sql.table(table);
  const fresh = sql.table(`${table}_fresh`);
  const now = new Date();
  // Each statement below sorts the staged rows into file order: in memory, not in files on disk
  // (at the default 4 MB, 50,000 rows spilled 35–40 MB to disk in each of four sorts).
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  // The rows to publish, narrow: what the audit entries and linkage jobs need is read from here,
  // not from the wide staging table (encrypted identity and narrative) again.
  await sql`CREATE TEMPORARY TABLE ${fresh} (line integer PRIMARY KEY, reference text NOT NULL,
      child_id uuid NOT NULL, referral_id uuid NOT NULL, identified boolean NOT NULL,
      manifestations text[] NOT NULL, urgent boolean NOT NULL) ON COMMIT DROP`.execute(trx);
  // Numbers taken in file order (PostgreSQL evaluates nextval after the ORDER BY below it).
  const numbered = await timed('publish.number', () =>
    sql`INSERT INTO ${fresh} (line, reference, child_id, referral_id, identified, manifestations, urgent)
    SELECT line, 'TKI-' || ${String(now.getUTCFullYear())}::text || '-' || lpad(n::text, greatest(6, length(n::text)), '0'),
      child_id, referral_id, identified, manifestations, urgent
    FROM (
      SELECT line, nextval('referral_number_seq') AS n, child_id, referral_id, identified, manifestations, urgent
      FROM (
        SELECT DISTINCT ON (s.source_key) s.line, s.child_id, s.referral_id, s.identified, s.manifestations, s.urgent
        FROM ${stage} s
        WHERE NOT EXISTS (
          SELECT 1 FROM referral r
          WHERE r.organisation_id = ${submitter.organisationId}::uuid
            AND r.source_key IS NOT NULL AND r.source_key = s.source_key)
        ORDER BY s.source_key, s.line
      ) d
      ORDER BY line
    ) numbered`.execute(trx),
  );
  const imported = Number(numbered.numAffectedRows ?? 0);
  if (imported === 0) return { imported };
  // The big inserts go a slice of rows at a time, still in the one transaction (each slice reads
  // its lines of the staging table through an index on them, not the whole table again). Between
  // slices the event loop turns (on PGlite every statement holds the process's only thread), so
  // other requests are read, and the importer is told the import is still going.
  await sql`CREATE INDEX ON ${stage} (line)`.execute(trx);
  // Each slice starts at every PUBLISH_SLICE_ROWS-th row to publish (a row may span lines).
  const starts = (
    await sql<{ line: number }>`
      SELECT line FROM (SELECT line, row_number() OVER (ORDER BY line) AS k FROM ${fresh}) numbered
      WHERE k % ${PUBLISH_SLICE_ROWS} = 1 ORDER BY line`.execute(trx)
  ).rows.map((r) => r.line);
  for (const [i, from] of starts.entries()) {
    const to = (starts[i + 1] ?? 2 ** 31) - 1; // the last slice: to the largest integer
    await timed('publish.children', () =>
      sql`INSERT INTO child (id, identified, identity_enc, name_index, block_index, encoded_enc,
        dob_index, age_band, birth_year, gender, ethnicities, iwi, citizenship,
        created_by_organisation_id, created_at, updated_at)
      SELECT s.child_id, s.identified, s.identity_enc, s.name_index, s.block_index, s.encoded_enc,
        s.dob_index, s.age_band, s.birth_year, s.gender, s.ethnicities, s.iwi, s.citizenship,
        ${submitter.organisationId}::uuid, ${now}::timestamptz, ${now}::timestamptz
      FROM ${fresh} f JOIN ${stage} s USING (line)
      WHERE f.line BETWEEN ${from} AND ${to} AND s.line BETWEEN ${from} AND ${to}
      ORDER BY f.line`.execute(trx),
    );
    await timed('publish.referrals', () =>
      sql`INSERT INTO referral (id, reference, taxonomy_version, child_id, organisation_id,
        submitted_by_user_id, submitted_by_api_key_id, concern_date, region, police_district,
        manifestations, manifestation_subtypes, contexts, indicators, concern_level, urgent,
        child_safety, child_aware, lawful_basis, protected_enc, import_batch_id, source_key,
        received_on, submitted_at, updated_at)
      SELECT s.referral_id, f.reference, ${CURRENT_TAXONOMY.version}::text, s.child_id,
        ${submitter.organisationId}::uuid, ${submitter.userId}::uuid, ${submitter.apiKeyId}::uuid,
        s.concern_date, s.region, s.police_district, s.manifestations, s.manifestation_subtypes,
        s.contexts, s.indicators, s.concern_level, s.urgent, s.child_safety, s.child_aware,
        s.lawful_basis, s.protected_enc, ${batchId}::uuid, s.source_key, ${today}::date,
        ${now}::timestamptz, ${now}::timestamptz
      FROM ${fresh} f JOIN ${stage} s USING (line)
      WHERE f.line BETWEEN ${from} AND ${to} AND s.line BETWEEN ${from} AND ${to}
      ORDER BY f.line`.execute(trx),
    );
    // One entry a referral, as `insertReferrals` records it, in file order (ids from a sequence).
    await timed('publish.audit', () =>
      sql`INSERT INTO audit_event (occurred_at, actor_user_id, actor_organisation_id, action,
        subject_type, subject_id, details, request_id)
      SELECT ${now}::timestamptz, ${actor.userId}::uuid, ${actor.organisationId}::uuid,
        'referral.submitted', 'referral', f.referral_id::text,
        jsonb_build_object('reference', f.reference, 'childId', f.child_id,
          'manifestations', to_jsonb(f.manifestations), 'urgent', f.urgent,
          'importBatchId', ${batchId}::text)
          || CASE WHEN ${submitter.apiKeyId}::text IS NULL THEN '{}'::jsonb
             ELSE jsonb_build_object('apiKeyId', ${submitter.apiKeyId}::text) END,
        ${actor.requestId}::text
      FROM ${fresh} f WHERE f.line BETWEEN ${from} AND ${to} ORDER BY f.line`.execute(trx),
    );
    onSlice?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Scored in the background (the job queue), a hundred children a job.
  await timed('publish.linkage', () =>
    sql`INSERT INTO job (kind, payload)
    SELECT 'linkage.score', jsonb_build_object('childIds', jsonb_agg(child_id ORDER BY line))
    FROM (
      SELECT f.child_id, f.line, (row_number() OVER (ORDER BY f.line) - 1) / ${CHILDREN_PER_LINKAGE_JOB} AS g
      FROM ${fresh} f
      WHERE f.identified
    ) identified
    GROUP BY g ORDER BY g`.execute(trx),
  );
  return { imported };
}
