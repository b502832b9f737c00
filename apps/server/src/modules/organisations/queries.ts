import { sql, type Insertable, type Updateable } from 'kysely';
import { ROLE_PERMISSIONS, type Permission, type Role } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import type { OrganisationTable } from '../../db/schema.ts';

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

/** Active people of an organisation who hold a permission (or only this one of them), by name. */
export function peopleWithRows(db: Db, organisationId: string, permission: Permission, onlyUserId?: string) {
  let q = db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.is_active', '=', true)
    .where(userHolds(permission));
  if (onlyUserId) q = q.where('u.id', '=', onlyUserId);
  return q.orderBy('u.display_name').execute();
}

export async function insertOrganisation(db: Db, row: Insertable<OrganisationTable>): Promise<string> {
  const { id } = await db.insertInto('organisation').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateOrganisationRow(
  db: Db,
  id: string,
  changes: Updateable<OrganisationTable>,
): Promise<void> {
  await db.updateTable('organisation').set(changes).where('id', '=', id).execute();
}

export function organisationColumns(db: Db) {
  return db
    .selectFrom('organisation')
    .select(['id', 'kind', 'name', 'regions_served', 'is_demo', 'created_at', 'version']);
}

export type OrganisationRow = Awaited<
  ReturnType<ReturnType<typeof organisationColumns>['executeTakeFirstOrThrow']>
>;

export async function listOrganisations(db: Db): Promise<OrganisationRow[]> {
  return organisationColumns(db).orderBy('name').execute();
}

export async function getOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return organisationColumns(db).where('id', '=', id).executeTakeFirst();
}

export async function organisationNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('organisation')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}
