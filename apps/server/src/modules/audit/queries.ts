import type { Db } from '../../db/database.ts';

export interface AuditFilter {
  action?: string | undefined;
  actorUserId?: string | undefined;
  subjectId?: string | undefined;
  beforeId?: number | undefined;
  limit: number;
}

export async function listAuditEvents(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_event').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}
