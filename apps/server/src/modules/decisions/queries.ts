import { sql, type Insertable, type RawBuilder, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { pageRequest, REGION_CODES, type DeadlineBoardQuery } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';
import type { DecisionTable } from '../../db/schema.ts';
import { userHolds } from '../organisations/index.ts';

/**
 * Decisions of a set of cases, oldest first, in one query: each with its case's region (for the
 * holiday calendar), the names of its assignee and decision maker, and its panel (members' names
 * and organisations) as a JSON array, where `viewed_at` arrives as text.
 */
export function decisionRows(db: Db, caseIds: readonly string[]) {
  return db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .leftJoin('app_user as assignee', 'assignee.id', 'd.assigned_to_user_id')
    .leftJoin('app_user as decider', 'decider.id', 'd.decided_by_user_id')
    .selectAll('d')
    .select(['c.region', 'assignee.display_name as assignee_name', 'decider.display_name as decider_name'])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('panel_member as p')
          .leftJoin('app_user as u', 'u.id', 'p.user_id')
          .leftJoin('organisation as o', 'o.id', 'p.organisation_id')
          .select([
            'p.id',
            'p.user_id',
            'p.organisation_id',
            'p.view',
            'p.comment_enc',
            sql<string | null>`p.viewed_at`.as('viewed_at'),
            'u.display_name',
            'o.name as organisation_name',
            'o.kind as organisation_kind',
          ])
          .whereRef('p.decision_id', '=', 'd.id'),
      ).as('panel'),
    )
    .where('d.case_id', 'in', [...caseIds])
    .orderBy('d.created_at')
    .execute();
}

/** One decision with the case's region, status, owner and reference. */
export function decisionWithCase(db: Db, id: string) {
  return db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .selectAll('d')
    .select(['c.region', 'c.status as case_status', 'c.owner_organisation_id', 'c.reference'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Columns of one decision, or undefined. */
export function decisionColumns<C extends 'decided_by_user_id' | 'status' | 'kind'>(
  db: Db,
  id: string,
  columns: readonly C[],
) {
  return db.selectFrom('decision').select(columns).where('id', '=', id).executeTakeFirst();
}

/** Columns of a decision known to exist (it throws otherwise). */
export function existingDecisionColumns<C extends 'status' | 'kind'>(
  db: Db,
  id: string,
  columns: readonly C[],
) {
  return db.selectFrom('decision').select(columns).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function insertDecision(db: Db, row: Insertable<DecisionTable>): Promise<void> {
  await db.insertInto('decision').values(row).execute();
}

export async function updateDecision(db: Db, id: string, changes: Updateable<DecisionTable>): Promise<void> {
  await db.updateTable('decision').set(changes).where('id', '=', id).execute();
}

/** The decision that reconsiders another, if one has been requested. */
export function reconsiderationOf(db: Db, id: string) {
  return db.selectFrom('decision').select('id').where('reconsiders_id', '=', id).executeTakeFirst();
}

/** The members of a decision's panel and the view each has recorded (null: none yet). */
export function panelViews(db: Db, decisionId: string) {
  return db
    .selectFrom('panel_member')
    .select(['user_id', 'view'])
    .where('decision_id', '=', decisionId)
    .execute();
}

/**
 * Of the people asked, those who may sit on a case's panel: active, able to read cases, and
 * working for an organisation on the case team.
 */
export function panelEligible(db: Db, caseId: string, userIds: readonly string[]) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', (join) =>
      join.onRef('co.organisation_id', '=', 'u.organisation_id').on('co.case_id', '=', caseId),
    )
    .select(['u.id', 'u.organisation_id'])
    .where('u.id', 'in', [...userIds])
    .where('u.is_active', '=', true)
    .where('co.removed_at', 'is', null)
    .where(userHolds('cases.read'))
    .execute();
}

/**
 * Puts a decision to a panel of these members: those who have not yet recorded a view and are
 * not named again leave it; those already on it stay.
 */
export async function setPanel(
  db: Db,
  decisionId: string,
  members: readonly { id: string; organisation_id: string }[],
): Promise<void> {
  await db.updateTable('decision').set({ by_panel: true }).where('id', '=', decisionId).execute();
  await db
    .deleteFrom('panel_member')
    .where('decision_id', '=', decisionId)
    .where('view', 'is', null)
    .execute();
  for (const m of members) {
    await db
      .insertInto('panel_member')
      .values({ decision_id: decisionId, user_id: m.id, organisation_id: m.organisation_id })
      .onConflict((oc) => oc.columns(['decision_id', 'user_id']).doNothing())
      .execute();
  }
}

/** A person's seat on a decision's panel, if they have one. */
export function panelSeat(db: Db, decisionId: string, userId: string) {
  return db
    .selectFrom('panel_member')
    .select('id')
    .where('decision_id', '=', decisionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function recordView(
  db: Db,
  memberId: string,
  view: { view: string; comment_enc: string; viewed_at: Date },
): Promise<void> {
  await db.updateTable('panel_member').set(view).where('id', '=', memberId).execute();
}

export interface DeadlineBoardFilter {
  query: DeadlineBoardQuery;
  /** Whether the caller may read the decision's case (the access gate's per-row check). */
  readable: RawBuilder<boolean>;
  userId: string;
  today: string;
  weekEnds: string;
  /** For "due soon": in each region (null: any other), the last due date that is still due soon. */
  dueSoon: readonly { region: string | null; until: string }[];
}

/** One page of pending decisions on open cases the caller may read, and how many match. */
export async function deadlineBoardPage(db: Db, filter: DeadlineBoardFilter) {
  const { query, today } = filter;
  let base = db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .where('d.status', '=', 'pending')
    .where('c.status', '=', 'open')
    .where(filter.readable);
  if (query.assignee === 'me' || query.mine) base = base.where('d.assigned_to_user_id', '=', filter.userId);
  else if (query.assignee === 'unassigned') base = base.where('d.assigned_to_user_id', 'is', null);
  else if (query.assignee) base = base.where('d.assigned_to_user_id', '=', query.assignee);
  if (query.q) base = base.where(sql<boolean>`c.reference ILIKE ${`%${escapeLike(query.q)}%`}`);
  if (query.view === 'overdue' || query.overdue) base = base.where('d.due_on', '<', today);
  if (query.dueThisWeek) base = base.where('d.due_on', '>=', today).where('d.due_on', '<=', filter.weekEnds);
  if (query.view === 'due_soon') {
    base = base
      .where('d.due_on', '>=', today)
      .where((eb) => eb.or([eb('d.earliest_on', 'is', null), eb('d.earliest_on', '<=', today)]))
      .where(
        sql<boolean>`(${sql.join(
          filter.dueSoon.map(({ region, until }) =>
            region === null
              ? sql`(c.region NOT IN (${sql.join([...REGION_CODES])}) AND d.due_on <= ${until})`
              : sql`(c.region = ${region} AND d.due_on <= ${until})`,
          ),
          sql` OR `,
        )})`,
      );
  }
  const paging = pageRequest(query, { sort: 'due', dir: 'asc' });
  let q = base.select([
    'd.id',
    'd.case_id',
    'd.kind',
    'd.earliest_on',
    'd.due_on',
    'd.assigned_to_user_id',
    'c.reference',
    'c.region',
  ]);
  switch (paging.sort) {
    case 'due':
      q = q.orderBy('d.due_on', paging.dir).orderBy('c.reference');
      break;
    case 'reference':
      q = q.orderBy('c.reference', paging.dir);
      break;
    case 'kind':
      q = q.orderBy('d.kind', paging.dir).orderBy('d.due_on');
      break;
    case 'region':
      q = q.orderBy('c.region', paging.dir).orderBy('d.due_on');
      break;
  }
  const [rows, counted] = await Promise.all([
    q
      .orderBy('d.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('d.id')),
  ]);
  return { rows, ...counted, page: paging.page, pageSize: paging.pageSize };
}
