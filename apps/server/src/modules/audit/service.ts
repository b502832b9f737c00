import type { Insertable, Transaction } from 'kysely';
import { insertJsonRows } from '../../db/bulk.ts';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import { chainFieldsOf, GENESIS_HASH, hashEntry } from './chain.ts';
import type { AuditCheckpoint } from './checkpoint.ts';
import { sealAudit } from './sealer.ts';
import { csvComment, csvDocument, csvLine } from '@tiaki/disclosure';
import { auditActionLabel } from '@tiaki/domain';
import {
  actorNames,
  countUnsealed,
  insertAuditEvents,
  listAuditEvents,
  recordedAuditHead,
  sealedEntriesFrom,
  type AuditFilter,
} from './queries.ts';

/** Who is acting, for the audit trail. Never holds names or narrative. */
export interface Actor {
  userId: string | null;
  organisationId: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, organisationId: null, requestId: null };

export interface AuditInput {
  action: string;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** Ids, codes and counts only: no names, no narrative. */
  details?: Record<string, unknown> | undefined;
}

/**
 * Appends one entry inside the caller's transaction, so the entry exists if and only if the action
 * it records committed. No lock: the entry is linked into the hash chain after it commits, by the
 * sealer (sealer.ts), usually within a second.
 *
 * A read records its entry outside any transaction: given the database itself (not a transaction),
 * the entry is written by one statement that commits on its own, one round trip instead of BEGIN,
 * INSERT and COMMIT, and it is committed when this resolves, before the answer is sent.
 */
export async function recordAudit(
  db: Db | Transaction<Schema>,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  await recordAudits(db, actor, [input]);
}

/** Entries per INSERT: one statement each thousand (all in one transaction). */
const AUDIT_ROWS_PER_INSERT = 1000;
/** From this many entries on, they are sent as one JSON parameter rather than a VALUES list. */
const BULK_FROM = 20;

/**
 * Appends several entries, in order (their ids come from a sequence), in one statement per
 * thousand: a bulk import records one entry per referral without a round trip for each.
 */
export async function recordAudits(
  db: Db | Transaction<Schema>,
  actor: Actor,
  inputs: readonly AuditInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  // More than one statement must commit together: all the entries or none.
  if (!db.isTransaction && inputs.length > AUDIT_ROWS_PER_INSERT) {
    await db.transaction().execute((trx) => recordAudits(trx, actor, inputs));
    return;
  }
  const occurredAt = new Date();
  const rows = inputs.map((input) => ({
    occurred_at: occurredAt,
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    action: input.action,
    subject_type: input.subjectType ?? null,
    subject_id: input.subjectId ?? null,
    details: JSON.stringify(input.details ?? {}),
    request_id: actor.requestId,
  }));
  if (rows.length <= BULK_FROM) {
    await insertAuditEvents(db, rows);
    return;
  }
  // Many entries (a bulk import's): one parameter a statement, the entries as JSON.
  const entries = rows.map((row, i) => ({ ...row, details: inputs[i]?.details ?? {} }));
  for (let at = 0; at < entries.length; at += AUDIT_ROWS_PER_INSERT) {
    await insertJsonRows(
      db,
      'audit_event',
      entries.slice(at, at + AUDIT_ROWS_PER_INSERT) as unknown as Insertable<Schema['audit_event']>[],
    );
  }
}

export interface ChainVerification {
  ok: boolean;
  /** Sealed entries checked (the chain's length when ok). */
  checked: number;
  /** The chain position of the first entry whose content, link or place is wrong. */
  firstBrokenId: number | null;
  reason: string | null;
  /** Entries committed but not yet linked into the chain by the sealer (not covered by the check). */
  unsealed: number;
  /** How long the oldest of them has waited, in seconds: the sealing lag. */
  oldestUnsealedSeconds: number | null;
  /** When a checkpoint was given: whether the chain reaches it with the same entry. */
  checkpoint: { position: number; matched: boolean } | null;
}

export interface VerifyOptions {
  /** Rows read at a time. */
  batchSize?: number | undefined;
  /** Seal what is committed first (default), so the check covers everything up to now. */
  seal?: boolean | undefined;
  /** A checkpoint the operator kept (checkpoint.ts): the chain must reach it, unchanged. */
  checkpoint?: AuditCheckpoint | undefined;
}

/** How much of the log is committed but not yet in the chain. */
export async function unsealedTail(
  db: Db,
): Promise<{ unsealed: number; oldestUnsealedSeconds: number | null }> {
  const row = await countUnsealed(db);
  const unsealed = Number(row?.n ?? 0);
  return {
    unsealed,
    oldestUnsealedSeconds:
      unsealed > 0 && row?.age != null ? Math.max(0, Math.round(Number(row.age) * 10) / 10) : null,
  };
}

/**
 * Walks the sealed chain in position order; reports the first entry whose content or link is
 * wrong. The chain must also reach the head recorded apart from it (migration 0016) with the very
 * entry recorded there, and must not be empty: removing the newest entries, or all of them, fails.
 * With a checkpoint kept outside the database, the chain must reach it too with the same entry:
 * that catches an owner who rewrote the head as well. Entries not yet sealed are counted, not checked.
 */
export async function verifyAuditChain(
  db: Db,
  options: number | VerifyOptions = {},
): Promise<ChainVerification> {
  const {
    batchSize = 5000,
    seal = true,
    checkpoint,
  } = typeof options === 'number' ? { batchSize: options } : options;
  if (seal) await sealAudit(db, { wait: true });
  // Read before the walk: entries sealed meanwhile only move the head past what is checked.
  const head = await recordedAuditHead(db);
  const headId = head ? Number(head.last_id) : 0;
  const tail = await unsealedTail(db);
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let checkpointMatched = false;
  const result = (fields: Pick<ChainVerification, 'ok' | 'firstBrokenId' | 'reason'>): ChainVerification => ({
    ...fields,
    checked,
    ...tail,
    checkpoint: checkpoint ? { position: checkpoint.position, matched: checkpointMatched } : null,
  });
  for (;;) {
    const rows = await sealedEntriesFrom(db, expected, batchSize);
    if (rows.length === 0) {
      const missing = (reason: string) => result({ ok: false, firstBrokenId: checked + 1, reason });
      if (checked === 0)
        return missing(
          headId > 0
            ? `the audit log is empty, but it had reached entry ${headId}: it was emptied`
            : 'the audit log is empty: an installation in use always has entries (the first is written when the first organisation is created), so it was emptied',
        );
      if (checked < headId)
        return missing(
          `entries ${checked + 1} to ${headId} are missing: the log had reached entry ${headId}`,
        );
      if (checkpoint && checked < checkpoint.position)
        return missing(
          `entries ${checked + 1} to ${checkpoint.position} are missing: the checkpoint kept outside the database shows the log had reached entry ${checkpoint.position}`,
        );
      return result({ ok: true, firstBrokenId: null, reason: null });
    }
    for (const row of rows) {
      const position = Number(row.seq);
      const broken = (reason: string) => result({ ok: false, firstBrokenId: position, reason });
      if (position !== expected) return broken(`entry ${expected} is missing (next is ${position})`);
      if (row.prev_hash !== prevHash) return broken('its link to the previous entry does not match');
      const recomputed = hashEntry(chainFieldsOf(row));
      if (recomputed !== row.hash) return broken('its content was changed after it was written');
      if (position === headId && row.hash !== head?.last_hash)
        return broken(
          'it is not the entry the log recorded as its newest: later entries were removed and replaced',
        );
      if (checkpoint && position === checkpoint.position) {
        if (row.hash !== checkpoint.hash || Number(row.id) !== checkpoint.entryId)
          return broken(
            'it is not the entry the checkpoint kept outside the database recorded at this place: entries were removed and replaced',
          );
        checkpointMatched = true;
      }
      prevHash = row.hash;
      expected = position + 1;
      checked++;
    }
  }
}

/** Rows with the display names of the people who acted, for people to read. */
async function withNames(db: Db, rows: Awaited<ReturnType<typeof listAuditEvents>>) {
  const names = await actorNames(
    db,
    rows.flatMap((row) => (row.actor_user_id ? [row.actor_user_id] : [])),
  );
  return rows.map((row) => {
    const { prevHash: _prevHash, occurredAt, ...fields } = chainFieldsOf(row);
    return {
      ...fields,
      occurredAt: occurredAt.toISOString(),
      actorName: row.actor_user_id ? (names.get(row.actor_user_id) ?? null) : null,
    };
  });
}

/** Entries of the audit log for an auditor; reading it is itself recorded (who looked at whose activity). */
export async function readAuditLog(db: Db, actor: Actor, filter: AuditFilter) {
  const rows = await listAuditEvents(db, filter);
  await recordAudit(db, actor, { action: 'audit.viewed', details: { filter, returned: rows.length } });
  return withNames(db, rows);
}

/** The most entries one CSV export holds; narrow the filter for more. */
export const AUDIT_EXPORT_LIMIT = 10_000;

const NZ_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Pacific/Auckland',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export type AuditExportFilter = Omit<AuditFilter, 'beforeId' | 'limit'>;

/**
 * The filtered log as CSV (newest first, at most AUDIT_EXPORT_LIMIT entries), through the one
 * guarded CSV writer. The export is itself recorded before it is handed over.
 */
export async function exportAuditLog(
  db: Db,
  actor: Actor,
  filter: AuditExportFilter,
): Promise<{ csv: string; filename: string; rows: number }> {
  const rows = await listAuditEvents(db, { ...filter, limit: AUDIT_EXPORT_LIMIT + 1 });
  const truncated = rows.length > AUDIT_EXPORT_LIMIT;
  const events = await withNames(db, rows.slice(0, AUDIT_EXPORT_LIMIT));
  await recordAudit(db, actor, {
    action: 'audit.exported',
    details: { filter, rows: events.length, truncated },
  });
  const lines = [
    csvComment('Tiaki audit log export. Confidential: holds the names of staff, never of children.'),
    csvComment(`Times are New Zealand time (Pacific/Auckland). Newest first.`),
    ...(truncated
      ? [csvComment(`Only the newest ${AUDIT_EXPORT_LIMIT} entries: narrow the dates to export the rest.`)]
      : []),
    csvLine([
      'Entry',
      'Time (New Zealand)',
      'What happened',
      'Action code',
      'Done by',
      'Done by (user ID)',
      'Organisation ID',
      'Record type',
      'Record ID',
      'Details',
    ]),
    ...events.map((event) =>
      csvLine([
        String(event.id),
        NZ_TIME.format(new Date(event.occurredAt)),
        auditActionLabel(event.action),
        event.action,
        event.actorName ?? (event.actorUserId ? '' : 'No signed-in person'),
        event.actorUserId ?? '',
        event.actorOrganisationId ?? '',
        event.subjectType ?? '',
        event.subjectId ?? '',
        Object.keys(event.details).length ? JSON.stringify(event.details) : '',
      ]),
    ),
  ];
  const stamp = (filter.from ?? '') + (filter.to ? `_to_${filter.to}` : '');
  return {
    csv: csvDocument(lines),
    filename: `tiaki-audit-log${stamp ? `-${stamp}` : ''}.csv`,
    rows: events.length,
  };
}
