import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import type { ChildSubRecordTable } from './sub-records.ts';

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

// The declared list of a child's sub-records (sub-records.ts): how each table's rows reach a case.

const byCase = (caseIds: RawBuilder<unknown>) => sql<boolean>`t.case_id IN ${caseIds}`;
const byParent =
  (column: string, parent: 'decision' | 'service_referral') => (caseIds: RawBuilder<unknown>) =>
    sql<boolean>`${sql.ref(`t.${column}`)} IN (SELECT p.id FROM ${sql.table(parent)} p WHERE p.case_id IN ${caseIds})`;

/**
 * How a row of each sub-record table belongs to a case, as SQL over the table's row alias `t`,
 * given the case ids. One entry per table of CHILD_SUB_RECORDS (the type refuses a missing one).
 */
const ROWS_OF_CASES: Record<ChildSubRecordTable, (caseIds: RawBuilder<unknown>) => RawBuilder<boolean>> = {
  // A child record belongs to the case it was opened from (case_record.child_id) or joined.
  child: (ids) =>
    sql<boolean>`(t.case_id IN ${ids} OR t.id IN (SELECT k.child_id FROM case_record k WHERE k.id IN ${ids}))`,
  referral: byCase,
  referral_fact: (ids) =>
    sql<boolean>`t.referral_id IN (SELECT r.id FROM referral r WHERE r.case_id IN ${ids})`,
  case_record: (ids) => sql<boolean>`t.id IN ${ids}`,
  case_organisation: byCase,
  case_member: byCase,
  case_event: byCase,
  disclosure: byCase,
  decision: byCase,
  panel_member: byParent('decision_id', 'decision'),
  case_goal: byCase,
  case_note: byCase,
  conference_action: byCase,
  conference: byCase,
  service_referral: byCase,
  service_referral_event: byParent('service_referral_id', 'service_referral'),
  service_referral_note: byParent('service_referral_id', 'service_referral'),
  unmet_need: byCase,
  charge: byCase,
  break_glass: byCase,
  child_link: (ids) =>
    sql<boolean>`(t.child_id IN (SELECT c.id FROM child c WHERE c.case_id IN ${ids})
        OR t.candidate_child_id IN (SELECT c.id FROM child c WHERE c.case_id IN ${ids}))`,
  case_merge: (ids) => sql<boolean>`(t.kept_case_id IN ${ids} OR t.merged_case_id IN ${ids})`,
};

/** The rows of one sub-record table that belong to these cases, as a `WHERE` condition over `t`. */
export function rowsOfCases(table: ChildSubRecordTable, caseIds: readonly string[]): RawBuilder<boolean> {
  return ROWS_OF_CASES[table](sql`(${sql.join(caseIds.map((id) => sql`${id}::uuid`))})`);
}

// Writing the record.

export async function insertDisclosure(trx: Db, row: Insertable<Schema['disclosure']>): Promise<void> {
  await trx.insertInto('disclosure').values(row).execute();
}

export async function insertCaseEvent(trx: Db, row: Insertable<Schema['case_event']>): Promise<void> {
  await trx.insertInto('case_event').values(row).execute();
}

/** The case a decision belongs to, if the decision exists. */
export async function caseOfDecision(db: Db, decisionId: string) {
  return db.selectFrom('decision').select('case_id').where('id', '=', decisionId).executeTakeFirst();
}

/** A service referral's case, status and provider, if it exists. */
export async function serviceReferralForAccess(db: Db, id: string) {
  return db
    .selectFrom('service_referral')
    .select(['case_id', 'status', 'provider_organisation_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}
