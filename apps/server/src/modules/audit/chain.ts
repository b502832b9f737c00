import { createHash } from 'node:crypto';
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
