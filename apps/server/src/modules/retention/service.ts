import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { fieldContext } from '../../security/rotation.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import {
  CHILD_SUB_RECORD_TABLES,
  CHILD_SUB_RECORDS,
  referralProtectedContext,
  type EncryptedColumn,
} from '../child-record/index.ts';
import { RETENTION_KINDS, RETENTION_SPECS, type RetentionKind, type RetentionPolicy } from './policy.ts';
import {
  childrenNothingRefersTo,
  clearColumnsOfCases,
  clearExtractFilesBefore,
  countDue,
  deIdentifyChildRows,
  deleteDraftsBefore,
  deleteNotificationsBefore,
  deleteSessionsExpiredBefore,
  deleteSignInAttemptsBefore,
  deleteSubRecordsOfCases,
  dueRule,
  keptChildrenOfCases,
  keptReferralsOfCases,
  lockDueCases,
  lockDueReferrals,
  markCasesPurged,
  replaceReferralProtected,
  setSealedColumn,
  subRecordIdsOfCases,
  type DueRule,
} from './queries.ts';

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

function cutoffOf(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
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
      const due = await lockDueReferrals(trx, rule, cutoff);
      await deIdentifyReferrals(
        ctx,
        trx,
        due.map((r) => r.id),
        now,
      );
      // A child goes too once nothing live refers to them: no case, no referral still kept.
      const childIds = [...new Set(due.map((r) => r.child_id))];
      const orphans = await childrenNothingRefersTo(trx, childIds);
      return deIdentifyChildren(
        trx,
        orphans.map((c) => c.id),
        now,
      );
    }
    case 'closed_cases': {
      const caseIds = await lockDueCases(trx, rule, cutoff);
      if (caseIds.length === 0) return 0;
      const referrals = await keptReferralsOfCases(trx, caseIds);
      await deIdentifyReferrals(
        ctx,
        trx,
        referrals.map((r) => r.id),
        now,
      );
      const children = await keptChildrenOfCases(trx, caseIds);
      const childCount = await deIdentifyChildren(
        trx,
        children.map((c) => c.id),
        now,
      );
      await deIdentifyCaseRecords(ctx, trx, caseIds, now);
      return childCount;
    }
    case 'referral_drafts':
      await deleteDraftsBefore(trx, cutoff);
      return undefined;
    case 'notifications':
      await deleteNotificationsBefore(trx, cutoff);
      return undefined;
    case 'sessions':
      await deleteSessionsExpiredBefore(trx, cutoff);
      return undefined;
    case 'sign_in_attempts':
      await deleteSignInAttemptsBefore(trx, cutoff);
      return undefined;
    case 'extract_files':
      await clearExtractFilesBefore(trx, rule, cutoff);
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
    await replaceReferralProtected(
      trx,
      id,
      ctx.keyring.encrypt(protectedPart, referralProtectedContext(id)),
      now,
    );
  }
}

/** Identity, encodings and blind indexes go; age band, gender, ethnicity and iwi stay for statistics. */
async function deIdentifyChildren(trx: Transaction<Schema>, ids: string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  await deIdentifyChildRows(trx, ids, now);
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
    if (spec.purge === 'delete') {
      await deleteSubRecordsOfCases(trx, table, caseIds);
      continue;
    }
    if (spec.purge !== 'clear') continue;
    const encrypted: readonly EncryptedColumn[] = spec.encrypted;
    const nullable = encrypted.filter(([, whenPurged]) => whenPurged === 'nullable');
    if (nullable.length)
      await clearColumnsOfCases(
        trx,
        table,
        nullable.map(([column]) => column),
        caseIds,
      );
    for (const [column] of encrypted.filter(([, whenPurged]) => whenPurged === 'required')) {
      for (const id of await subRecordIdsOfCases(trx, table, caseIds))
        await setSealedColumn(
          trx,
          table,
          column,
          id,
          ctx.keyring.encrypt(removed, fieldContext(table, column, id)),
        );
    }
  }
  await markCasesPurged(trx, caseIds, now);
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
