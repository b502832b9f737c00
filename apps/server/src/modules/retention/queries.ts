import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import { rowsOfCases, type ChildSubRecordTable } from '../child-record/index.ts';
import type { RetentionKind } from './policy.ts';

/** The rows of one kind that are due: a table, the column its period runs from, extra conditions. */
export interface DueRule {
  table: string;
  anchor: string;
  where: RawBuilder<unknown>;
}

export function dueRule(kind: RetentionKind, today: string): DueRule {
  switch (kind) {
    case 'screened_out_referrals':
      return {
        table: 'referral',
        anchor: 'triaged_at',
        where: sql`status = 'screened_out' AND purged_at IS NULL`,
      };
    case 'closed_cases':
      return {
        table: 'case_record',
        anchor: 'closed_at',
        where: sql`status = 'closed' AND purged_at IS NULL`,
      };
    case 'referral_drafts':
      return { table: 'referral_draft', anchor: 'updated_at', where: sql`true` };
    case 'notifications':
      return { table: 'notification', anchor: 'created_at', where: sql`true` };
    case 'sessions':
      return { table: 'session', anchor: 'expires_at', where: sql`true` };
    case 'sign_in_attempts':
      return { table: 'sign_in_attempt', anchor: 'attempted_at', where: sql`true` };
    case 'extract_files':
      // Expired files are also cleared when next touched; retention clears the ones nobody touched.
      return {
        table: 'extract_file',
        anchor: 'expires_on',
        where: sql`content_enc IS NOT NULL AND expires_on < ${today}::date`,
      };
  }
}

/** How many rows of a kind are due, by the year their period started. */
export async function countDue(db: Db, rule: DueRule, cutoff: Date): Promise<Record<string, number>> {
  const rows = await sql<{ year: number; n: number }>`
    SELECT extract(year FROM ${sql.ref(rule.anchor)})::int AS year, count(*)::int AS n
    FROM ${sql.table(rule.table)}
    WHERE ${sql.ref(rule.anchor)} < ${cutoff} AND ${rule.where}
    GROUP BY 1 ORDER BY 1`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [String(r.year), r.n]));
}

/** Screened-out referrals due, locked until the transaction ends. */
export async function lockDueReferrals(trx: Db, rule: DueRule, cutoff: Date) {
  const due = await sql<{ id: string; child_id: string }>`
        SELECT id, child_id FROM referral
        WHERE triaged_at < ${cutoff} AND ${rule.where} FOR UPDATE`.execute(trx);
  return due.rows;
}

/** Of these children, those nothing live refers to any more: no case, no referral still kept. */
export async function childrenNothingRefersTo(trx: Db, childIds: readonly string[]) {
  if (childIds.length === 0) return [];
  return trx
    .selectFrom('child as c')
    .select('c.id')
    .where('c.id', 'in', childIds)
    .where('c.case_id', 'is', null)
    .where('c.purged_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('referral as r')
            .select('r.id')
            .whereRef('r.child_id', '=', 'c.id')
            .where('r.purged_at', 'is', null),
        ),
      ),
    )
    .execute();
}

/** Closed cases due, locked until the transaction ends. */
export async function lockDueCases(trx: Db, rule: DueRule, cutoff: Date): Promise<string[]> {
  const due = await sql<{ id: string }>`
        SELECT id FROM case_record WHERE closed_at < ${cutoff} AND ${rule.where} FOR UPDATE`.execute(trx);
  return due.rows.map((r) => r.id);
}

/** Referrals of these cases not yet purged. */
export async function keptReferralsOfCases(trx: Db, caseIds: readonly string[]) {
  return trx
    .selectFrom('referral')
    .select('id')
    .where('case_id', 'in', caseIds)
    .where('purged_at', 'is', null)
    .execute();
}

/** Children of these cases not yet purged. */
export async function keptChildrenOfCases(trx: Db, caseIds: readonly string[]) {
  return trx
    .selectFrom('child')
    .select('id')
    .where('case_id', 'in', caseIds)
    .where('purged_at', 'is', null)
    .execute();
}

export async function deleteDraftsBefore(trx: Db, cutoff: Date): Promise<void> {
  await trx.deleteFrom('referral_draft').where('updated_at', '<', cutoff).execute();
}

export async function deleteNotificationsBefore(trx: Db, cutoff: Date): Promise<void> {
  await trx.deleteFrom('notification').where('created_at', '<', cutoff).execute();
}

export async function deleteSessionsExpiredBefore(trx: Db, cutoff: Date): Promise<void> {
  await trx.deleteFrom('session').where('expires_at', '<', cutoff).execute();
}

export async function deleteSignInAttemptsBefore(trx: Db, cutoff: Date): Promise<void> {
  await trx.deleteFrom('sign_in_attempt').where('attempted_at', '<', cutoff).execute();
}

/** Clears the content of extract files that expired before the cutoff. */
export async function clearExtractFilesBefore(trx: Db, rule: DueRule, cutoff: Date): Promise<void> {
  await sql`UPDATE extract_file SET content_enc = NULL, cleared_at = now()
        WHERE expires_on < ${cutoff} AND ${rule.where}`.execute(trx);
}

/** Replaces a referral's protected part (already sealed) and marks it purged. */
export async function replaceReferralProtected(
  trx: Db,
  id: string,
  protectedEnc: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('referral')
    .set({ protected_enc: protectedEnc, purged_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Removes the children's identity, encodings and blind indexes (age band, gender, ethnicity and
 * iwi stay), marks them purged, and clears the reasons of their links.
 */
export async function deIdentifyChildRows(trx: Db, ids: readonly string[], now: Date): Promise<void> {
  await trx
    .updateTable('child')
    .set({
      identity_enc: null,
      encoded_enc: null,
      name_index: [],
      dob_index: null,
      block_index: [],
      birth_year: null,
      purged_at: now,
    })
    .where('id', 'in', ids)
    .execute();
  await trx
    .updateTable('child_link')
    .set({ reason_enc: null })
    .where((eb) => eb.or([eb('child_id', 'in', ids), eb('candidate_child_id', 'in', ids)]))
    .execute();
}

/** Deletes the rows of one of a child's sub-record tables belonging to these cases. */
export async function deleteSubRecordsOfCases(
  trx: Db,
  table: ChildSubRecordTable,
  caseIds: readonly string[],
): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)} AS t WHERE ${rowsOfCases(table, caseIds)}`.execute(trx);
}

/** Sets these columns to NULL in the rows of one sub-record table belonging to these cases. */
export async function clearColumnsOfCases(
  trx: Db,
  table: ChildSubRecordTable,
  columns: readonly string[],
  caseIds: readonly string[],
): Promise<void> {
  await sql`UPDATE ${sql.table(table)} AS t
        SET ${sql.join(columns.map((column) => sql`${sql.ref(column)} = NULL`))} WHERE ${rowsOfCases(table, caseIds)}`.execute(
    trx,
  );
}

/** Ids of the rows of one sub-record table belonging to these cases. */
export async function subRecordIdsOfCases(
  trx: Db,
  table: ChildSubRecordTable,
  caseIds: readonly string[],
): Promise<string[]> {
  const ids = await sql<{
    id: string;
  }>`SELECT t.id FROM ${sql.table(table)} AS t WHERE ${rowsOfCases(table, caseIds)}`.execute(trx);
  return ids.rows.map((r) => r.id);
}

/** Writes an already sealed value into one encrypted column of one row. */
export async function setSealedColumn(
  trx: Db,
  table: ChildSubRecordTable,
  column: string,
  id: string,
  sealed: string,
): Promise<void> {
  await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sealed}
          WHERE id = ${id}`.execute(trx);
}

export async function markCasesPurged(trx: Db, caseIds: readonly string[], now: Date): Promise<void> {
  await trx.updateTable('case_record').set({ purged_at: now }).where('id', 'in', caseIds).execute();
}

/** How many jobs of a kind finished in the last `hours` hours. */
export async function jobsDoneWithin(db: Db, kind: string, hours: number): Promise<number> {
  const recent = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM job
    WHERE kind = ${kind} AND status = 'done'
      AND finished_at > now() - make_interval(hours => ${hours})`.execute(db);
  return recent.rows[0]?.n ?? 0;
}
