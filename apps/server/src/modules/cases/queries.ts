import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Cases with their child's facts and owner: those the caller may read (a list), or the one case
 * whose access the caller has just checked through the access gate.
 */
export function caseRows(
  db: Db,
  scope: { readable: RawBuilder<string>; status?: string | undefined } | { checkedId: string },
) {
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
  if ('checkedId' in scope) q = q.where('k.id', '=', scope.checkedId);
  else {
    q = q.where('k.id', 'in', scope.readable);
    if (scope.status) q = q.where('k.status', '=', scope.status);
  }
  return q.orderBy('k.opened_at', 'desc').limit(500).execute();
}

export type CaseRow = Awaited<ReturnType<typeof caseRows>>[number];

/** Everything recorded on one case (its child's sub-records), read side by side. */
export async function caseSubRecords(db: Db, id: string) {
  const [referrals, teamOrgs, members, disclosures, goals, notes, conferences, actions, events] =
    await Promise.all([
      db
        .selectFrom('referral')
        .select(['id', 'reference', 'organisation_id', 'received_on', 'manifestations', 'urgent'])
        .where('case_id', '=', id)
        .orderBy('submitted_at')
        .execute(),
      db
        .selectFrom('case_organisation')
        .selectAll()
        .where('case_id', '=', id)
        .where('removed_at', 'is', null)
        .execute(),
      db
        .selectFrom('case_member as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select(['m.user_id', 'm.team_role', 'u.organisation_id'])
        .where('m.case_id', '=', id)
        .where('m.removed_at', 'is', null)
        .execute(),
      db.selectFrom('disclosure').selectAll().where('case_id', '=', id).orderBy('made_at').execute(),
      db.selectFrom('case_goal').selectAll().where('case_id', '=', id).orderBy('created_at').execute(),
      db
        .selectFrom('case_note')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('created_at', 'desc')
        .execute(),
      db.selectFrom('conference').selectAll().where('case_id', '=', id).orderBy('held_on', 'desc').execute(),
      db.selectFrom('conference_action').selectAll().where('case_id', '=', id).orderBy('due_on').execute(),
      db
        .selectFrom('case_event')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute(),
    ]);
  return { referrals, teamOrgs, members, disclosures, goals, notes, conferences, actions, events };
}
