import type { Permission } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';
import type { PersonRef } from '../child-record/index.ts';
import { peopleWithRows } from './queries.ts';

/** Active people of an organisation who hold a permission: assignees, reminder recipients. */
export async function peopleWith(
  db: Db,
  organisationId: string,
  permission: Permission,
  onlyUserId?: string,
): Promise<PersonRef[]> {
  const rows = await peopleWithRows(db, organisationId, permission, onlyUserId);
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
