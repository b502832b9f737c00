import type { Db } from '../../db/database.ts';

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
