import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditEventTable, Schema } from '../../db/schema.ts';
import { GENESIS_HASH, hashEntry, type ChainedFields } from './chain.ts';
import { listAuditEvents, type AuditFilter } from './queries.ts';

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

const AUDIT_LOCK = 727275;

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the entry exists if and
 * only if the action it records committed. An advisory lock orders writers across processes.
 */
export async function recordAudit(trx: Transaction<Schema>, actor: Actor, input: AuditInput): Promise<void> {
  await recordAudits(trx, actor, [input]);
}

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters at 11 columns a row. */
const AUDIT_ROWS_PER_INSERT = 1000;

/**
 * Appends several entries, in order, under one lock and one look-up of the chain's end: a bulk
 * import records one entry per referral without paying a round trip for each.
 */
export async function recordAudits(
  trx: Transaction<Schema>,
  actor: Actor,
  inputs: readonly AuditInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let id = last ? Number(last.id) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const occurredAt = new Date();
  const rows = inputs.map((input) => {
    // Round-trip the details through JSON so what is hashed is exactly what jsonb will return.
    const details = JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>;
    const entry = {
      id: ++id,
      occurredAt,
      actorUserId: actor.userId,
      actorOrganisationId: actor.organisationId,
      action: input.action,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      details,
      requestId: actor.requestId,
      prevHash,
    };
    prevHash = hashEntry(entry);
    return {
      id: entry.id,
      occurred_at: entry.occurredAt,
      actor_user_id: entry.actorUserId,
      actor_organisation_id: entry.actorOrganisationId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      details: JSON.stringify(entry.details),
      request_id: entry.requestId,
      prev_hash: entry.prevHash,
      hash: prevHash,
    };
  });
  for (let at = 0; at < rows.length; at += AUDIT_ROWS_PER_INSERT) {
    await trx
      .insertInto('audit_event')
      .values(rows.slice(at, at + AUDIT_ROWS_PER_INSERT))
      .execute();
  }
}

/** A stored row in the shape the chain hashes (and the API shows). */
export function chainFieldsOf(row: Selectable<AuditEventTable>): ChainedFields & { hash: string } {
  return {
    id: Number(row.id),
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorOrganisationId: row.actor_organisation_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: row.details,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
}

/**
 * Walks the whole chain in id order; reports the first entry whose content or link is wrong.
 * The log must also reach the head recorded apart from it (migration 0016) with the very entry
 * recorded there, and must not be empty: removing the newest entries, or all of them, fails.
 */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerification> {
  // Read before the walk: entries appended meanwhile only move the head past what is checked.
  const head = await db.selectFrom('audit_head').select(['last_id', 'last_hash']).executeTakeFirst();
  const headId = head ? Number(head.last_id) : 0;
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) {
      const missing = (reason: string): ChainVerification => ({
        ok: false,
        checked,
        firstBrokenId: checked + 1,
        reason,
      });
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
      return { ok: true, checked, firstBrokenId: null, reason: null };
    }
    for (const row of rows) {
      const id = Number(row.id);
      const broken = (reason: string): ChainVerification => ({
        ok: false,
        checked,
        firstBrokenId: id,
        reason,
      });
      if (id !== expectedId) return broken(`entry ${expectedId} is missing (next is ${id})`);
      if (row.prev_hash !== prevHash) return broken('its link to the previous entry does not match');
      const recomputed = hashEntry(chainFieldsOf(row));
      if (recomputed !== row.hash) return broken('its content was changed after it was written');
      if (id === headId && row.hash !== head?.last_hash)
        return broken(
          'it is not the entry the log recorded as its newest: later entries were removed and replaced',
        );
      prevHash = row.hash;
      expectedId = id + 1;
      checked++;
    }
  }
}

/** Entries of the audit log for an auditor; reading it is itself recorded (who looked at whose activity). */
export async function readAuditLog(db: Db, actor: Actor, filter: AuditFilter) {
  const rows = await listAuditEvents(db, filter);
  await db
    .transaction()
    .execute((trx) =>
      recordAudit(trx, actor, { action: 'audit.viewed', details: { filter, returned: rows.length } }),
    );
  return rows.map((row) => {
    const { prevHash: _prevHash, occurredAt, ...fields } = chainFieldsOf(row);
    return { ...fields, occurredAt: occurredAt.toISOString() };
  });
}
