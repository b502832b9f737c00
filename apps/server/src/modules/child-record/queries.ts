import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import type { AuthContext } from '../auth/index.ts';
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
  decision_fact: (ids) => sql<boolean>`t.child_unit IN ${ids}`,
  service_referral_fact: (ids) => sql<boolean>`t.child_unit IN ${ids}`,
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

// The access gate's SQL (access.ts holds the decisions made on its answers).

/** How a person may see a case: as its team, as a supervisor (read-only) or by break-glass. */
export type CaseAccessVia = 'case_team' | 'oversight' | 'break_glass';

/** How a person may read a referral (access.ts referralAccess), or null when they may not. */
export type ReferralAccess = 'submitter' | 'triage' | CaseAccessVia;

/**
 * The rule, as rows `(case_id, via, expires_at)` of every case the user may read. The user's role
 * must let them read cases, and either
 * - their organisation is on the case team as a partner (Police, health, an NGO…), or
 * - their organisation owns the case (the national lead agency) and they are a member of the
 *   case team or a decision maker: the lead agency is large, so its staff see only their cases;
 * - they supervise (`cases.oversee`) and their organisation leads the case or is on its team:
 *   read-only oversight, which changes nothing (`requireAccess` refuses writes with 403);
 * - or they hold an unexpired break-glass grant for it.
 */
function caseGrants(auth: AuthContext) {
  const reads = auth.permissions.has('cases.read') && Boolean(auth.userId);
  const decides = auth.permissions.has('decisions.make');
  const oversees = reads && auth.permissions.has('cases.oversee');
  const userId = auth.userId || null;
  return sql<{ case_id: string; via: CaseAccessVia; expires_at: Date | null }>`(
    SELECT co.case_id, 'case_team' AS via, NULL::timestamptz AS expires_at FROM case_organisation co
    WHERE ${reads} AND co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
      AND (NOT co.is_owner OR ${decides} OR EXISTS (
        SELECT 1 FROM case_member m
        WHERE m.case_id = co.case_id AND m.user_id = ${userId} AND m.removed_at IS NULL))
    UNION ALL
    SELECT co.case_id, 'oversight' AS via, NULL::timestamptz AS expires_at FROM case_organisation co
    WHERE ${oversees} AND co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
    UNION ALL
    SELECT bg.case_id, 'break_glass' AS via, bg.expires_at FROM break_glass bg
    WHERE ${reads} AND bg.user_id = ${userId} AND bg.expires_at > now()
  )`;
}

/**
 * The same rule as `caseGrants`, as a condition on one row of a list: true when the user may read
 * the case whose id is in `caseIdColumn` (`where(readableCase(auth, 'k.id'))`). Lists use this form,
 * not `id IN (every readable case)` de-duplicated by a UNION: PostgreSQL cannot see into a UNION (it
 * guesses 200 rows), so it started from the gate, looked up every readable case (25,000 for a
 * lead-agency decision maker at 100,000 referrals) and sorted them for a page of 25. The rule is
 * written in one of two shapes, chosen by what the role can see (the authorisation matrix, the
 * need-to-know and list tests hold both to the same answers as `caseGrants`):
 *
 * - Organisation-wide (a decision maker or a supervisor, whose organisation's cases can be tens of
 *   thousands): a per-row probe, `EXISTS (case_organisation … UNION ALL break_glass …)`, each
 *   branch an index look-up of this one case (0036: `case_organisation_live_idx`, index-only). An
 *   `EXISTS` over a `UNION ALL` is never hashed, so the planner walks the list's sorted index and
 *   stops at the page (25 probes) instead of hashing all the organisation's cases first
 *   (`EXISTS … OR …` was hashed: 10–40 ms a query, twice a page with its count).
 * - Otherwise (a caseworker and other team members, a partner organisation): the few cases the
 *   person's grants name, as a semi-join the planner can start from: `id IN (partner cases UNION
 *   ALL cases I am a member of UNION ALL my break-glass grants)`, each an index range
 *   (0036: `case_organisation_partner_idx`; `case_member_user_idx`; `break_glass_active_idx`),
 *   estimated as the sum of its parts. A member of the team sees the case only while their
 *   organisation is on it, checked per row by the same probe as above: with P ⇒ C,
 *   `P ∨ (M ∧ C) ∨ B` = `(P ∨ M ∨ B) ∧ (C ∨ B)` (P partner, M member, C organisation on the case,
 *   B break-glass). The caseworker on 820 cases counted them by checking each of 24,871 cases
 *   against hashed grants; now from their 820 grants.
 *
 * `rows: 'all'` is for a query that checks every row its other conditions match (a list's count).
 */
export function readableCase(auth: AuthContext, caseIdColumn: string, rows: 'page' | 'all' = 'page') {
  const reads = auth.permissions.has('cases.read') && Boolean(auth.userId);
  if (!reads) return sql<boolean>`false`;
  const decides = auth.permissions.has('decisions.make');
  const oversees = auth.permissions.has('cases.oversee');
  const caseId = sql.ref(caseIdColumn);
  const organisationId = auth.organisation.id;
  // The organisation is on this case (C), or the person holds a live break-glass grant for it (B).
  const organisationOrBreakGlass = sql<boolean>`EXISTS (
    SELECT 1 FROM case_organisation co
      WHERE co.case_id = ${caseId} AND co.organisation_id = ${organisationId} AND co.removed_at IS NULL
    UNION ALL
    SELECT 1 FROM break_glass bg
      WHERE bg.case_id = ${caseId} AND bg.user_id = ${auth.userId} AND bg.expires_at > now())`;
  // A decision maker or supervisor sees every case their organisation is on (the owner's too).
  // To count every row a list's filters match (`rows: 'all'`), the same rule as an `EXISTS … OR
  // IN …` that the planner may hash once (the organisation's cases) or probe per row, whichever
  // its estimate of the rows to check says: a capped count over 10,001 of 24,871 cases took ~40 ms
  // hashed and ~70 ms probed on a loaded machine, while a filtered count of 72 is cheaper probed.
  if ((decides || oversees) && rows === 'all')
    return sql<boolean>`(EXISTS (SELECT 1 FROM case_organisation co
      WHERE co.case_id = ${caseId} AND co.organisation_id = ${organisationId} AND co.removed_at IS NULL)
      OR ${caseId} IN (SELECT bg.case_id FROM break_glass bg
        WHERE bg.user_id = ${auth.userId} AND bg.expires_at > now()))`;
  if (decides || oversees) return organisationOrBreakGlass;
  return sql<boolean>`(${caseId} IN (
    SELECT co.case_id FROM case_organisation co
      WHERE co.organisation_id = ${organisationId} AND co.removed_at IS NULL AND NOT co.is_owner
    UNION ALL
    SELECT m.case_id FROM case_member m WHERE m.user_id = ${auth.userId} AND m.removed_at IS NULL
    UNION ALL
    SELECT bg.case_id FROM break_glass bg WHERE bg.user_id = ${auth.userId} AND bg.expires_at > now())
    AND ${organisationOrBreakGlass})`;
}

/** The grants `caseGrants` gives the user on these cases, a row per grant (one query). */
export async function caseGrantRows(
  db: Db,
  auth: AuthContext,
  caseIds: readonly string[],
): Promise<{ case_id: string; via: CaseAccessVia; expires_at: Date | null }[]> {
  const { rows } = await sql<{ case_id: string; via: CaseAccessVia; expires_at: Date | null }>`
    SELECT g.case_id, g.via, g.expires_at FROM ${caseGrants(auth)} g
    WHERE g.case_id IN (${sql.join(caseIds)})`.execute(db);
  return rows;
}

/**
 * The rule of `referralAccess` as one SQL expression over a referral aliased `r`: how the user may
 * read it, or NULL. For a read whose access check, row and audit entry are one statement
 * (referrals/queries.ts readReferralAudited); the referral tests cover both forms.
 */
export function referralAccessSql(auth: AuthContext) {
  const submitter = auth.permissions.has('referrals.read_own');
  const triage = auth.permissions.has('referrals.triage') && auth.organisation.kind === 'lead_agency';
  // The team's own access wins over break-glass, as in caseAccessTo.
  return sql<ReferralAccess | null>`CASE
    WHEN ${submitter} AND r.organisation_id = ${auth.organisation.id} THEN 'submitter'
    WHEN ${triage} AND r.status IN ('submitted', 'in_triage') THEN 'triage'
    ELSE (SELECT g.via FROM ${caseGrants(auth)} g WHERE g.case_id = r.case_id
          ORDER BY g.via = 'case_team' DESC LIMIT 1)
  END`;
}
