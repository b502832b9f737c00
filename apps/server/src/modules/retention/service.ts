import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { fieldContext } from '../../security/rotation.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import {
  CHILD_SUB_RECORD_TABLES,
  CHILD_SUB_RECORDS,
  referralProtectedContext,
  rowsOfCases,
  type EncryptedColumn,
} from '../child-record/index.ts';
import { RETENTION_KINDS, RETENTION_SPECS, type RetentionKind, type RetentionPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

/** What is due (dry run) or was done (purge) for one kind: counts only, never names or ids. */
export interface RetentionKindReport {
  kind: RetentionKind;
  retentionDays: number;
  /** Records whose period started before this instant are due. */
  cutoff: string;
  action: 'de-identified' | 'deleted' | 'cleared';
  count: number;
  /** The count by the year the retention period started (closure, screen-out, expiry…). */
  byYear: Record<string, number>;
  /** Children whose identity went with the records (referral and case kinds only). */
  childrenDeIdentified?: number | undefined;
}

export interface RetentionReport {
  mode: 'dry-run' | 'purge';
  at: string;
  kinds: RetentionKindReport[];
  durationMs: number;
}

/** The rows of one kind that are due: a table, the column its period runs from, extra conditions. */
interface DueRule {
  table: string;
  anchor: string;
  where: RawBuilder<unknown>;
}

function dueRule(kind: RetentionKind, today: string): DueRule {
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

function cutoffOf(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

async function countDue(
  db: AppContext['db'] | Transaction<Schema>,
  rule: DueRule,
  cutoff: Date,
): Promise<Record<string, number>> {
  const rows = await sql<{ year: number; n: number }>`
    SELECT extract(year FROM ${sql.ref(rule.anchor)})::int AS year, count(*)::int AS n
    FROM ${sql.table(rule.table)}
    WHERE ${sql.ref(rule.anchor)} < ${cutoff} AND ${rule.where}
    GROUP BY 1 ORDER BY 1`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [String(r.year), r.n]));
}

const total = (byYear: Record<string, number>) => Object.values(byYear).reduce((a, b) => a + b, 0);

/** What a purge would do now: counts per kind and by year, changing nothing. */
export async function retentionDryRun(
  ctx: AppContext,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<RetentionReport> {
  const started = performance.now();
  const kinds: RetentionKindReport[] = [];
  for (const kind of RETENTION_KINDS) {
    const cutoff = cutoffOf(now, policy[kind]);
    const byYear = await countDue(ctx.db, dueRule(kind, ctx.today()), cutoff);
    kinds.push({
      kind,
      retentionDays: policy[kind],
      cutoff: cutoff.toISOString(),
      action: RETENTION_SPECS[kind].action,
      count: total(byYear),
      byYear,
    });
  }
  return { mode: 'dry-run', at: now.toISOString(), kinds, durationMs: performance.now() - started };
}

/**
 * Purges what is due, one transaction per kind, each with one audit entry of its counts (the
 * audit log itself is never purged). Referrals and cases are de-identified in place rather than
 * deleted, so the fact views, and every statistic published from them, do not change.
 */
export async function retentionPurge(
  ctx: AppContext,
  actor: Actor,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<RetentionReport> {
  const started = performance.now();
  const kinds: RetentionKindReport[] = [];
  for (const kind of RETENTION_KINDS) {
    const cutoff = cutoffOf(now, policy[kind]);
    const rule = dueRule(kind, ctx.today());
    const report = await ctx.db.transaction().execute(async (trx) => {
      const byYear = await countDue(trx, rule, cutoff);
      const children = await purgeKind(ctx, trx, kind, rule, cutoff, now);
      const entry: RetentionKindReport = {
        kind,
        retentionDays: policy[kind],
        cutoff: cutoff.toISOString(),
        action: RETENTION_SPECS[kind].action,
        count: total(byYear),
        byYear,
        ...(children === undefined ? {} : { childrenDeIdentified: children }),
      };
      await recordAudit(trx, actor, {
        action: 'retention.purged',
        subjectType: 'retention',
        details: { ...entry },
      });
      return entry;
    });
    kinds.push(report);
  }
  return { mode: 'purge', at: now.toISOString(), kinds, durationMs: performance.now() - started };
}

const tombstone = (now: Date) => `Removed under the retention schedule on ${now.toISOString().slice(0, 10)}.`;

/** Does the work for one kind inside its transaction; returns the children de-identified, if any. */
async function purgeKind(
  ctx: AppContext,
  trx: Transaction<Schema>,
  kind: RetentionKind,
  rule: DueRule,
  cutoff: Date,
  now: Date,
): Promise<number | undefined> {
  switch (kind) {
    case 'screened_out_referrals': {
      const due = await sql<{ id: string; child_id: string }>`
        SELECT id, child_id FROM referral
        WHERE triaged_at < ${cutoff} AND ${rule.where} FOR UPDATE`.execute(trx);
      await deIdentifyReferrals(
        ctx,
        trx,
        due.rows.map((r) => r.id),
        now,
      );
      // A child goes too once nothing live refers to them: no case, no referral still kept.
      const childIds = [...new Set(due.rows.map((r) => r.child_id))];
      const orphans = childIds.length
        ? await trx
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
            .execute()
        : [];
      return deIdentifyChildren(
        trx,
        orphans.map((c) => c.id),
        now,
      );
    }
    case 'closed_cases': {
      const due = await sql<{ id: string }>`
        SELECT id FROM case_record WHERE closed_at < ${cutoff} AND ${rule.where} FOR UPDATE`.execute(trx);
      const caseIds = due.rows.map((r) => r.id);
      if (caseIds.length === 0) return 0;
      const referrals = await trx
        .selectFrom('referral')
        .select('id')
        .where('case_id', 'in', caseIds)
        .where('purged_at', 'is', null)
        .execute();
      await deIdentifyReferrals(
        ctx,
        trx,
        referrals.map((r) => r.id),
        now,
      );
      const children = await trx
        .selectFrom('child')
        .select('id')
        .where('case_id', 'in', caseIds)
        .where('purged_at', 'is', null)
        .execute();
      const childCount = await deIdentifyChildren(
        trx,
        children.map((c) => c.id),
        now,
      );
      await deIdentifyCaseRecords(ctx, trx, caseIds, now);
      return childCount;
    }
    case 'referral_drafts':
      await trx.deleteFrom('referral_draft').where('updated_at', '<', cutoff).execute();
      return undefined;
    case 'notifications':
      await trx.deleteFrom('notification').where('created_at', '<', cutoff).execute();
      return undefined;
    case 'sessions':
      await trx.deleteFrom('session').where('expires_at', '<', cutoff).execute();
      return undefined;
    case 'sign_in_attempts':
      await trx.deleteFrom('sign_in_attempt').where('attempted_at', '<', cutoff).execute();
      return undefined;
    case 'extract_files':
      await sql`UPDATE extract_file SET content_enc = NULL, cleared_at = now()
        WHERE expires_on < ${cutoff} AND ${rule.where}`.execute(trx);
      return undefined;
  }
}

/** Narrative, referrer and evidence go; the codes and dates the fact views read stay. */
async function deIdentifyReferrals(
  ctx: AppContext,
  trx: Transaction<Schema>,
  ids: string[],
  now: Date,
): Promise<void> {
  const protectedPart = JSON.stringify({
    referrer: { name: 'Removed under the retention schedule' },
    narrative: tombstone(now),
    evidenceReferences: [],
  });
  for (const id of ids) {
    await trx
      .updateTable('referral')
      .set({
        protected_enc: ctx.keyring.encrypt(protectedPart, referralProtectedContext(id)),
        purged_at: now,
      })
      .where('id', '=', id)
      .execute();
  }
}

/** Identity, encodings and blind indexes go; age band, gender, ethnicity and iwi stay for statistics. */
async function deIdentifyChildren(trx: Transaction<Schema>, ids: string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
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
  return ids.length;
}

/**
 * Every free-text part of the cases, table by table as the child's record declares it: what the
 * team wrote is deleted, facts kept for statistics lose their encrypted columns (a required one
 * keeps a sealed "removed"), and the rest stays as it is.
 */
async function deIdentifyCaseRecords(
  ctx: AppContext,
  trx: Transaction<Schema>,
  caseIds: string[],
  now: Date,
): Promise<void> {
  const removed = tombstone(now);
  for (const table of CHILD_SUB_RECORD_TABLES) {
    const spec = CHILD_SUB_RECORDS[table];
    const rows = rowsOfCases(table, caseIds);
    if (spec.purge === 'delete') {
      await sql`DELETE FROM ${sql.table(table)} AS t WHERE ${rows}`.execute(trx);
      continue;
    }
    if (spec.purge !== 'clear') continue;
    const encrypted: readonly EncryptedColumn[] = spec.encrypted;
    const nullable = encrypted.filter(([, whenPurged]) => whenPurged === 'nullable');
    if (nullable.length)
      await sql`UPDATE ${sql.table(table)} AS t
        SET ${sql.join(nullable.map(([column]) => sql`${sql.ref(column)} = NULL`))} WHERE ${rows}`.execute(
        trx,
      );
    for (const [column] of encrypted.filter(([, whenPurged]) => whenPurged === 'required')) {
      const ids = await sql<{ id: string }>`SELECT t.id FROM ${sql.table(table)} AS t WHERE ${rows}`.execute(
        trx,
      );
      for (const { id } of ids.rows)
        await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${ctx.keyring.encrypt(removed, fieldContext(table, column, id))}
          WHERE id = ${id}`.execute(trx);
    }
  }
  await trx.updateTable('case_record').set({ purged_at: now }).where('id', 'in', caseIds).execute();
}

/** A plain-text summary for the CLI: counts only. */
export function formatRetentionReport(report: RetentionReport): string {
  const lines = [
    report.mode === 'dry-run'
      ? `Dry run at ${report.at}: nothing was changed. Due now:`
      : `Purged at ${report.at}:`,
  ];
  for (const k of report.kinds) {
    const years = Object.entries(k.byYear)
      .map(([year, n]) => `${year}: ${n}`)
      .join(', ');
    const children =
      k.childrenDeIdentified === undefined ? '' : `; children de-identified: ${k.childrenDeIdentified}`;
    lines.push(
      `  ${k.kind.padEnd(24)} ${String(k.count).padStart(6)} ${k.action} (kept ${k.retentionDays} days from ${RETENTION_SPECS[k.kind].from})${years ? ` by year: ${years}` : ''}${children}`,
    );
  }
  lines.push(`Took ${Math.round(report.durationMs)} ms.`);
  return lines.join('\n');
}
