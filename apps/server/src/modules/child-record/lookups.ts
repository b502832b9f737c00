import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface PersonRef {
  id: string;
  displayName: string;
}
export interface OrganisationRef {
  id: string;
  name: string;
  kind: string;
}

/** Names of the professionals behind a set of user ids, in one query. */
export async function peopleById(
  db: Db,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name }]));
}

export async function organisationsById(
  db: Db,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, OrganisationRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, kind: r.kind }]));
}

/** A lookup that never fails: a deleted user shows as unknown rather than breaking a page. */
export function refOf<T extends { id: string }>(
  map: Map<string, T>,
  id: string | null,
  fallback: (id: string) => T,
): T | null {
  if (!id) return null;
  return map.get(id) ?? fallback(id);
}

export const unknownPerson = (id: string): PersonRef => ({ id, displayName: 'Unknown user' });
export const unknownOrganisation = (id: string): OrganisationRef => ({
  id,
  name: 'Unknown organisation',
  kind: 'other',
});

/** People and organisations named on a record, in one query (one round trip for a whole case). */
export async function peopleAndOrganisationsById(
  db: Db,
  userIds: Iterable<string | null | undefined>,
  organisationIds: Iterable<string | null | undefined>,
): Promise<{ people: Map<string, PersonRef>; organisations: Map<string, OrganisationRef> }> {
  const wanted = (ids: Iterable<string | null | undefined>) => [
    ...new Set([...ids].filter((id): id is string => Boolean(id))),
  ];
  const users = wanted(userIds);
  const orgs = wanted(organisationIds);
  const people = new Map<string, PersonRef>();
  const organisations = new Map<string, OrganisationRef>();
  const personRows = db
    .selectFrom('app_user')
    .select([
      'id',
      'display_name as name',
      sql<string>`''`.as('kind'),
      sql<'person' | 'organisation'>`'person'`.as('ref'),
    ])
    .where('id', 'in', users);
  const organisationRows = db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind', sql<'person' | 'organisation'>`'organisation'`.as('ref')])
    .where('id', 'in', orgs);
  const query =
    users.length && orgs.length
      ? personRows.unionAll(organisationRows)
      : users.length
        ? personRows
        : orgs.length
          ? organisationRows
          : null;
  for (const row of query ? await query.execute() : [])
    if (row.ref === 'person') people.set(row.id, { id: row.id, displayName: row.name });
    else organisations.set(row.id, { id: row.id, name: row.name, kind: row.kind });
  return { people, organisations };
}
