import { createHash } from 'node:crypto';

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

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
