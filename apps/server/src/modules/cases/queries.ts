import { sql, type RawBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { pageRequest, type CaseListQuery } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';

export interface CaseListFilter {
  /** The access gate as a condition on `k.id` (readableCase), for the page… */
  readable: RawBuilder<boolean>;
  /** …and for counting every case the filters match (readableCase with `rows: 'all'`). */
  readableToCount: RawBuilder<boolean>;
  userId: string;
  today: string;
  weekEnds: string;
  query: CaseListQuery;
}

/** One page of the cases the caller may read, filtered and sorted, and how many match. */
export async function caseListPage(db: Db, filter: CaseListFilter) {
  const { query, today } = filter;
  const filtered = (readable: RawBuilder<boolean>) => {
    let base = db.selectFrom('case_record as k').where(readable);
    if (query.status) base = base.where('k.status', '=', query.status);
    if (query.q) base = base.where(sql<boolean>`k.reference ILIKE ${`%${escapeLike(query.q)}%`}`);
    if (query.mine)
      base = base.where(
        sql<boolean>`(EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = k.id AND m.user_id = ${filter.userId} AND m.removed_at IS NULL)
          OR EXISTS (SELECT 1 FROM decision d WHERE d.case_id = k.id AND d.status = 'pending' AND d.assigned_to_user_id = ${filter.userId}))`,
      );
    // A case's next deadline (the earliest due date of its pending decisions while it is open) is
    // kept on its row by the database (0026_case_next_due.sql), with an index.
    if (query.overdue) base = base.where('k.next_due_on', '<', today);
    if (query.dueThisWeek)
      base = base.where('k.next_due_on', '>=', today).where('k.next_due_on', '<=', filter.weekEnds);
    return base;
  };
  const base = filtered(filter.readable);
  const paging = pageRequest(query, { sort: 'opened', dir: 'desc' });
  const dir = paging.dir;
  let ids = base.select('k.id');
  switch (paging.sort) {
    case 'opened':
      ids = ids.orderBy('k.opened_at', dir);
      break;
    case 'due':
      // Cases with no deadline running come last whichever way.
      ids = ids.orderBy(sql`k.next_due_on ${sql.raw(dir)} NULLS LAST`).orderBy('k.opened_at', 'desc');
      break;
    case 'reference':
      ids = ids.orderBy('k.reference', dir);
      break;
    case 'region':
      ids = ids.orderBy('k.region', dir).orderBy('k.opened_at', 'desc');
      break;
    case 'status':
      ids = ids.orderBy('k.status', dir).orderBy('k.opened_at', 'desc');
      break;
  }
  const [page, counted] = await Promise.all([
    ids
      .orderBy('k.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, filtered(filter.readableToCount).select('k.id')),
  ]);
  const order = page.map((row) => row.id);
  const rows = order.length ? await caseRows(db, { ids: order }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    rows: order.flatMap((id) => byId.get(id) ?? []),
    ...counted,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

/**
 * Cases with their child's facts and owner: a page of cases the caller may read (found by
 * caseListPage), or the one case whose access the caller has just checked through the access gate.
 */
export function caseRows(db: Db, scope: { ids: readonly string[] } | { checkedId: string }) {
  let q = db
    .selectFrom('case_record as k')
    .innerJoin('child as c', 'c.id', 'k.child_id')
    .innerJoin('organisation as o', 'o.id', 'k.owner_organisation_id')
    .select([
      'k.id',
      'k.reference',
      'k.status',
      'k.region',
      'k.opened_at',
      'k.version',
      'k.closure_reason',
      'k.closure_detail_enc',
      'k.closed_at',
      'c.id as child_id',
      'c.age_band',
      'c.identified',
      'c.identity_enc',
      'c.gender',
      'c.ethnicities',
      'c.iwi',
      'o.id as owner_id',
      'o.name as owner_name',
      'o.kind as owner_kind',
      sql<
        string[]
      >`coalesce((SELECT array_agg(DISTINCT m) FROM referral r, unnest(r.manifestations) m WHERE r.case_id = k.id), '{}')`.as(
        'manifestations',
      ),
    ]);
  q = 'checkedId' in scope ? q.where('k.id', '=', scope.checkedId) : q.where('k.id', 'in', [...scope.ids]);
  return q.execute();
}

export type CaseRow = Awaited<ReturnType<typeof caseRows>>[number];

/** A timestamp read inside a JSON aggregate arrives as text: say so, so it is parsed. */
const stamp = (column: string) => sql<string>`${sql.ref(column)}`;

/**
 * Everything recorded on one case (its child's sub-records), in one round trip: each kind of
 * sub-record is a JSON array beside the others. Timestamps come back as text (`stamp`).
 */
export async function caseSubRecords(db: Db, id: string) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('referral')
          .select(['id', 'reference', 'organisation_id', 'received_on', 'manifestations', 'urgent'])
          .where('case_id', '=', id)
          .orderBy('submitted_at'),
      ).as('referrals'),
      jsonArrayFrom(
        eb
          .selectFrom('case_organisation')
          .select(['organisation_id', 'is_owner', stamp('added_at').as('added_at')])
          .where('case_id', '=', id)
          .where('removed_at', 'is', null),
      ).as('teamOrgs'),
      jsonArrayFrom(
        eb
          .selectFrom('case_member as m')
          .innerJoin('app_user as u', 'u.id', 'm.user_id')
          .select(['m.user_id', 'm.team_role', 'u.organisation_id'])
          .where('m.case_id', '=', id)
          .where('m.removed_at', 'is', null),
      ).as('members'),
      jsonArrayFrom(
        eb
          .selectFrom('disclosure')
          .select([
            'id',
            'from_organisation_id',
            'to_organisation_id',
            'lawful_basis',
            'purpose_enc',
            'fields',
            'child_consulted',
            'child_view_enc',
            'not_for_offence_investigation',
            'made_by_user_id',
            stamp('made_at').as('made_at'),
          ])
          .where('case_id', '=', id)
          .orderBy('made_at'),
      ).as('disclosures'),
      jsonArrayFrom(
        eb
          .selectFrom('case_goal')
          .select(['id', 'description_enc', 'status', 'due_on', 'version'])
          .where('case_id', '=', id)
          .orderBy('created_at'),
      ).as('goals'),
      jsonArrayFrom(
        eb
          .selectFrom('case_note')
          .select([
            'id',
            'body_enc',
            'author_user_id',
            'organisation_id',
            stamp('created_at').as('created_at'),
          ])
          .where('case_id', '=', id)
          .orderBy('created_at', 'desc'),
      ).as('notes'),
      jsonArrayFrom(
        eb
          .selectFrom('conference')
          .select(['id', 'held_on', 'attendees', 'decisions_enc', stamp('recorded_at').as('recorded_at')])
          .where('case_id', '=', id)
          .orderBy('held_on', 'desc'),
      ).as('conferences'),
      jsonArrayFrom(
        eb
          .selectFrom('conference_action')
          .select([
            'id',
            'conference_id',
            'description_enc',
            'owner_organisation_id',
            'owner_user_id',
            'due_on',
            'status',
            'version',
          ])
          .where('case_id', '=', id)
          .orderBy('due_on'),
      ).as('actions'),
      jsonArrayFrom(
        eb
          .selectFrom('case_event')
          .select([
            stamp('occurred_at').as('occurred_at'),
            'kind',
            'subject_id',
            'details',
            'actor_user_id',
            'actor_organisation_id',
          ])
          .where('case_id', '=', id)
          .orderBy('occurred_at')
          .orderBy('id'),
      ).as('events'),
    ])
    .executeTakeFirstOrThrow();
}
