import { sql } from 'kysely';
import { ROLE_PERMISSIONS, type Permission, type Role } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';
import type { PersonRef } from '../child-record/index.ts';

/** Roles that hold a permission: for checking that someone can do the work given. */
export function rolesWith(permission: Permission): Role[] {
  return (Object.entries(ROLE_PERMISSIONS) as [Role, readonly Permission[]][])
    .filter(([, permissions]) => permissions.includes(permission))
    .map(([role]) => role);
}

/** In a query over `app_user as u`: the user holds a role that grants the permission. */
export function userHolds(permission: Permission) {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM role_assignment ra WHERE ra.user_id = u.id AND ra.role IN (${sql.join(rolesWith(permission))})
  )`;
}

/** Active people of an organisation who hold a permission: assignees, reminder recipients. */
export async function peopleWith(
  db: Db,
  organisationId: string,
  permission: Permission,
  onlyUserId?: string,
): Promise<PersonRef[]> {
  let q = db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.is_active', '=', true)
    .where(userHolds(permission));
  if (onlyUserId) q = q.where('u.id', '=', onlyUserId);
  const rows = await q.orderBy('u.display_name').execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** People of my own organisation who can do a piece of work: for assigning it. */
export function listColleagues(
  ctx: AppContext,
  auth: AuthContext,
  permission: Permission,
): Promise<PersonRef[]> {
  return peopleWith(ctx.db, auth.organisation.id, permission);
}

/** An active user of the organisation who holds the permission, or a clear 400. */
export async function requireColleagueWith(
  db: Db,
  organisationId: string,
  userId: string,
  permission: Permission,
  what: string,
): Promise<void> {
  if ((await peopleWith(db, organisationId, permission, userId)).length === 0) {
    throw new HttpError(400, 'invalid_assignee', `Choose ${what} from your own organisation.`, [
      { path: 'assigneeId', message: `Not ${what}` },
    ]);
  }
}
