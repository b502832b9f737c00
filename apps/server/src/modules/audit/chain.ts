import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AuditEventTable } from '../../db/schema.ts';
import { canonicalJson } from '../../security/canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  id: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
}

/** SHA-256 over every field of the entry and the previous entry's hash. */
export function hashEntry(entry: ChainedFields): string {
  return createHash('sha256')
    .update(
      canonicalJson([
        entry.id,
        entry.occurredAt.toISOString(),
        entry.actorUserId,
        entry.actorOrganisationId,
        entry.action,
        entry.subjectType,
        entry.subjectId,
        entry.details,
        entry.requestId,
        entry.prevHash,
      ]),
    )
    .digest('hex');
}

/** A stored row in the shape the chain hashes (and the API shows); `prevHash` links it when sealing. */
export function chainFieldsOf(
  row: Selectable<AuditEventTable>,
  prevHash: string = row.prev_hash ?? '',
): ChainedFields & { hash: string | null } {
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
    prevHash,
    hash: row.hash,
  };
}
