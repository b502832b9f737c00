import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface AuditFilter {
  action?: string | undefined;
  actorUserId?: string | undefined;
  subjectId?: string | undefined;
  /** First New Zealand day included (YYYY-MM-DD, Pacific/Auckland). */
  from?: string | undefined;
  /** Last New Zealand day included. */
  to?: string | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/**
 * Entries newest first. The date range is in New Zealand days: a day's bounds are its local
 * midnights turned into instants, so the index on the time still serves the range.
 */
export async function listAuditEvents(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_event').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.from) {
    const from = filter.from;
    query = query.where(
      'occurred_at',
      '>=',
      sql<Date>`(${from}::date)::timestamp AT TIME ZONE 'Pacific/Auckland'`,
    );
  }
  if (filter.to) {
    const to = filter.to;
    query = query.where(
      'occurred_at',
      '<',
      sql<Date>`(${to}::date + 1)::timestamp AT TIME ZONE 'Pacific/Auckland'`,
    );
  }
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

/** Display names of the people who acted: staff accounts only, never children. */
export async function actorNames(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}
