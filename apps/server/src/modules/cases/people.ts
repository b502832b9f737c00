import { sql } from 'kysely';
import type { Permission } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { AuthContext } from '../auth/service.ts';
import { requireCaseAccess } from './access.ts';
import { rolesWith } from './triage.ts';

/** In a query over `app_user as u`: the user holds a role that grants the permission. */
export function userHolds(permission: Permission) {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM role_assignment ra WHERE ra.user_id = u.id AND ra.role IN (${sql.join(rolesWith(permission))})
  )`;
}

/** People of my own organisation who can do a piece of work: for assigning it. */
export async function listColleagues(ctx: AppContext, auth: AuthContext, permission: Permission) {
  const rows = await ctx.db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.organisation_id', '=', auth.organisation.id)
    .where('u.is_active', '=', true)
    .where(userHolds(permission))
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** People of the case team's organisations who can read cases: panel members and team members. */
export async function teamCandidates(ctx: AppContext, auth: AuthContext, caseId: string) {
  await requireCaseAccess(ctx.db, auth, caseId);
  const rows = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', 'co.organisation_id', 'u.organisation_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'o.id as org_id', 'o.name as org_name', 'o.kind as org_kind'])
    .where('co.case_id', '=', caseId)
    .where('co.removed_at', 'is', null)
    .where('u.is_active', '=', true)
    .where(userHolds('cases.read'))
    .orderBy('o.name')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    organisation: { id: r.org_id, name: r.org_name, kind: r.org_kind },
  }));
}
