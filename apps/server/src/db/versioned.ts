import { sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';
import { RowNotFoundError, VersionConflictError } from './errors.ts';

type VersionedTable =
  | 'organisation'
  | 'app_user'
  | 'referral'
  | 'case_record'
  | 'decision'
  | 'case_goal'
  | 'conference_action'
  | 'service'
  | 'service_referral'
  | 'charge';

/**
 * Optimistic locking: claims the next version of a row only if the caller read the current one.
 * A stale version is refused with the current version (a 409 answer), so nothing is silently overwritten.
 */
export async function claimVersion(
  trx: Transaction<Schema>,
  table: VersionedTable,
  id: string,
  expectedVersion: number,
  what: string,
): Promise<number> {
  const claimed = await trx
    .updateTable(table)
    .set({ version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (claimed) return claimed.version;
  const current = await trx.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  if (!current) throw new RowNotFoundError(what);
  throw new VersionConflictError(current.version);
}
