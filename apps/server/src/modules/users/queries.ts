import { sql } from 'kysely';
import type { Role } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';

function userColumns(db: Db) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.organisation_id',
      'o.name as organisation_name',
      'u.is_active',
      'u.mfa_enabled',
      'u.is_demo',
      'u.locked_until',
      'u.last_sign_in_at',
      'u.created_at',
      'u.version',
      sql<
        Role[]
      >`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM role_assignment r WHERE r.user_id = u.id), '{}')`.as(
        'roles',
      ),
    ]);
}

export type UserRow = Awaited<ReturnType<ReturnType<typeof userColumns>['executeTakeFirstOrThrow']>>;

export async function listUsers(db: Db): Promise<UserRow[]> {
  return userColumns(db).orderBy('o.name').orderBy('u.display_name').execute();
}

export async function getUser(db: Db, id: string): Promise<UserRow | undefined> {
  return userColumns(db).where('u.id', '=', id).executeTakeFirst();
}

export async function replaceRoles(db: Db, userId: string, roles: readonly Role[], grantedBy: string | null) {
  await db.deleteFrom('role_assignment').where('user_id', '=', userId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('role_assignment')
      .values([...new Set(roles)].map((role) => ({ user_id: userId, role, granted_by: grantedBy })))
      .execute();
  }
}

export async function endSessionsOf(db: Db, userId: string) {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}
