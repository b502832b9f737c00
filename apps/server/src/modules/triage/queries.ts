import { sql, type Insertable } from 'kysely';
import { pageRequest, REGION_CODES, UNTRIAGED_STATUSES, type TriageQueueQuery } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';
import type { CaseMemberTable, CaseRecordTable } from '../../db/schema.ts';

/** For each region (null: any other), the received dates whose due date falls in a window. */
export type ReceivedRanges = readonly { region: string | null; after: string | null; until: string | null }[];

function receivedIn(ranges: ReceivedRanges) {
  return sql<boolean>`(${sql.join(
    ranges.map(({ region, after, until }) => {
      if (until === null) return sql`false`;
      const inRegion =
        region === null ? sql`r.region NOT IN (${sql.join([...REGION_CODES])})` : sql`r.region = ${region}`;
      return after === null
        ? sql`(${inRegion} AND r.received_on <= ${until})`
        : sql`(${inRegion} AND r.received_on BETWEEN ${after} AND ${until})`;
    }),
    sql` OR `,
  )})`;
}

export interface TriageQueueFilter {
  query: TriageQueueQuery;
  userId: string;
  /** Received dates of the referrals overdue, and due this week, when those filters are asked for. */
  overdue: ReceivedRanges | null;
  dueThisWeek: ReceivedRanges | null;
}

/** One page of untriaged referrals, filtered and sorted, and how many match. */
export async function triageQueuePage(db: Db, filter: TriageQueueFilter) {
  const { query } = filter;
  let base = db.selectFrom('referral as r').where('r.status', 'in', [...UNTRIAGED_STATUSES]);
  if (query.region) base = base.where('r.region', '=', query.region);
  if (query.manifestation) base = base.where(sql<boolean>`${query.manifestation} = ANY(r.manifestations)`);
  if (query.organisationId) base = base.where('r.organisation_id', '=', query.organisationId);
  if (query.assignee === 'me' || query.mine) base = base.where('r.assigned_to_user_id', '=', filter.userId);
  else if (query.assignee === 'unassigned') base = base.where('r.assigned_to_user_id', 'is', null);
  else if (query.assignee) base = base.where('r.assigned_to_user_id', '=', query.assignee);
  if (query.q) base = base.where(sql<boolean>`r.reference ILIKE ${`%${escapeLike(query.q)}%`}`);
  if (filter.overdue) base = base.where(receivedIn(filter.overdue));
  if (filter.dueThisWeek) base = base.where(receivedIn(filter.dueThisWeek));

  const paging = pageRequest(query, { sort: 'urgent', dir: 'desc' });
  const dir = paging.dir;
  let q = base
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .leftJoin('app_user as u', 'u.id', 'r.assigned_to_user_id')
    .select([
      'r.id',
      'r.reference',
      'r.status',
      'r.urgent',
      'r.concern_level',
      'r.submitted_at',
      'r.received_on',
      'r.region',
      'r.manifestations',
      'r.version',
      'c.age_band',
      'c.identified',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'u.id as assignee_id',
      'u.display_name as assignee_name',
      sql<number>`(SELECT count(*)::int FROM child_link l WHERE l.child_id = r.child_id AND l.status = 'candidate')`.as(
        'possible_matches',
      ),
    ]);
  switch (paging.sort) {
    // Urgent first, then the oldest: nobody waits behind newer referrals.
    case 'urgent':
      q = q.orderBy('r.urgent', dir).orderBy('r.submitted_at', dir === 'desc' ? 'asc' : 'desc');
      break;
    case 'received':
    case 'due':
      q = q.orderBy('r.received_on', dir).orderBy('r.submitted_at', dir);
      break;
    case 'reference':
      q = q.orderBy('r.reference', dir);
      break;
    case 'region':
      q = q.orderBy('r.region', dir).orderBy('r.submitted_at', 'asc');
      break;
  }
  const [rows, counted] = await Promise.all([
    q
      .orderBy('r.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('r.id')),
  ]);
  return { rows, ...counted, page: paging.page, pageSize: paging.pageSize };
}

/**
 * Assigns untriaged referrals to a triage officer (in triage) or back to the queue (null); the
 * referrals changed, which may be fewer than asked if some were triaged meanwhile.
 */
export function assignUntriaged(db: Db, ids: readonly string[], assigneeId: string | null) {
  return db
    .updateTable('referral')
    .set({
      assigned_to_user_id: assigneeId,
      status: assigneeId ? 'in_triage' : 'submitted',
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', 'in', [...ids])
    .where('status', 'in', [...UNTRIAGED_STATUSES])
    .returning(['id', 'reference', 'version'])
    .execute();
}

/** A referral with its child's age band, whatever its status. */
export function referralForTriage(db: Db, id: string) {
  return db
    .selectFrom('referral as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .select([
      'r.id',
      'r.status',
      'r.child_id',
      'r.region',
      'r.received_on',
      'r.submitted_at',
      'r.reference',
      'r.organisation_id',
      'r.submitted_by_user_id',
      'c.age_band',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** The next number of the case-reference sequence. */
export async function nextCaseNumber(db: Db): Promise<number> {
  const row = await sql<{ n: string | number }>`SELECT nextval('case_number_seq') AS n`.execute(db);
  return Number(row.rows[0]?.n);
}

export async function insertReasonableGroundsDecision(
  db: Db,
  row: { id: string; caseId: string; startsOn: string; dueOn: string },
): Promise<void> {
  await db
    .insertInto('decision')
    .values({
      id: row.id,
      case_id: row.caseId,
      kind: 'reasonable_grounds',
      starts_on: row.startsOn,
      due_on: row.dueOn,
    })
    .execute();
}

/** A new case with its owner organisation on the team and its first members. */
export async function insertCase(
  db: Db,
  record: Insertable<CaseRecordTable>,
  addedByUserId: string,
  members: readonly { user_id: string; team_role: string }[],
): Promise<void> {
  await db.insertInto('case_record').values(record).execute();
  await db
    .insertInto('case_organisation')
    .values({
      case_id: record.id,
      organisation_id: record.owner_organisation_id,
      is_owner: true,
      added_by_user_id: addedByUserId,
    })
    .execute();
  await db
    .insertInto('case_member')
    .values(members.map((m) => ({ ...m, case_id: record.id, added_by_user_id: addedByUserId })))
    .execute();
}

/** Puts a referral's child on a case. */
export async function setChildCase(db: Db, childId: string, caseId: string): Promise<void> {
  await db.updateTable('child').set({ case_id: caseId }).where('id', '=', childId).execute();
}

/** Records how a referral was triaged. */
export async function markTriaged(
  db: Db,
  referralId: string,
  triage:
    | { status: 'case_opened' | 'attached'; caseId: string; at: Date; byUserId: string }
    | { status: 'screened_out'; reason: string; at: Date; byUserId: string },
): Promise<void> {
  await db
    .updateTable('referral')
    .set(
      triage.status === 'screened_out'
        ? {
            status: 'screened_out',
            screen_out_reason: triage.reason,
            triaged_at: triage.at,
            triaged_by_user_id: triage.byUserId,
          }
        : {
            status: triage.status,
            case_id: triage.caseId,
            triaged_at: triage.at,
            triaged_by_user_id: triage.byUserId,
          },
    )
    .where('id', '=', referralId)
    .execute();
}

/** An organisation's own case, for attaching a referral to. */
export function ownCase(db: Db, caseId: string, organisationId: string) {
  return db
    .selectFrom('case_record')
    .select(['id', 'reference', 'status'])
    .where('id', '=', caseId)
    .where('owner_organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** Confirms every link of a child to the children of a case, whatever their status; the links confirmed. */
export function confirmLinksToCase(db: Db, childId: string, caseId: string, byUserId: string, at: Date) {
  return db
    .updateTable('child_link')
    .set({ status: 'confirmed', decided_by_user_id: byUserId, decided_at: at, updated_at: at })
    .where('child_id', '=', childId)
    .where('candidate_child_id', 'in', (eb) =>
      eb.selectFrom('child').select('id').where('case_id', '=', caseId),
    )
    .returning(['id', 'explanation', 'model'])
    .execute();
}

/** Adds a member to a case team unless they are on it already. */
export async function addMemberIfAbsent(db: Db, member: Insertable<CaseMemberTable>): Promise<void> {
  await db
    .insertInto('case_member')
    .values(member)
    .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
    .execute();
}

/** A referral with its child, for the duplicate check. */
export function referralChild(db: Db, referralId: string) {
  return db
    .selectFrom('referral as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .select(['r.id', 'r.status', 'r.reference', 'c.id as child_id', 'c.identified'])
    .where('r.id', '=', referralId)
    .executeTakeFirst();
}

/** A child's candidate links to children on cases, most likely first, with the case of each. */
export function candidateRows(db: Db, childId: string) {
  return db
    .selectFrom('child_link as l')
    .innerJoin('child as c', 'c.id', 'l.candidate_child_id')
    .innerJoin('case_record as k', 'k.id', 'c.case_id')
    .select([
      'l.id as link_id',
      'l.probability',
      'l.explanation',
      'c.id',
      'c.identity_enc',
      'c.gender',
      'c.age_band',
      'k.id as case_id',
      'k.reference',
      'k.status as case_status',
      'k.region',
      'k.owner_organisation_id',
    ])
    .where('l.child_id', '=', childId)
    .where('l.status', '=', 'candidate')
    .orderBy('l.probability', 'desc')
    .execute();
}

/** The lead caseworkers on a case team now. */
export function leadCaseworkers(db: Db, caseId: string) {
  return db
    .selectFrom('case_member')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('team_role', '=', 'lead_caseworker')
    .where('removed_at', 'is', null)
    .execute();
}

/** Sets aside a child's candidate links to the children of a case; the links set aside. */
export function rejectCandidateLinks(db: Db, childId: string, caseId: string, byUserId: string) {
  return db
    .updateTable('child_link')
    .set({
      status: 'rejected',
      decided_by_user_id: byUserId,
      decided_at: new Date(),
      updated_at: new Date(),
    })
    .where('child_id', '=', childId)
    .where('status', '=', 'candidate')
    .where('candidate_child_id', 'in', (eb) =>
      eb.selectFrom('child').select('id').where('case_id', '=', caseId),
    )
    .returning(['id', 'explanation', 'model'])
    .execute();
}

export async function setLinkReason(db: Db, linkId: string, reasonEnc: string): Promise<void> {
  await db.updateTable('child_link').set({ reason_enc: reasonEnc }).where('id', '=', linkId).execute();
}

// Asking the case's lead to attach (attach-requests.ts).

/** The referral's untriaged candidate and the case it is on, by the candidate's opaque id. */
export function candidateCaseOf(db: Db, referralId: string, candidateId: string) {
  return db
    .selectFrom('child_link as l')
    .innerJoin('referral as r', 'r.child_id', 'l.child_id')
    .innerJoin('child as c', 'c.id', 'l.candidate_child_id')
    .innerJoin('case_record as k', 'k.id', 'c.case_id')
    .select([
      'r.id as referral_id',
      'r.reference as referral_reference',
      'r.status as referral_status',
      'k.id as case_id',
      'k.reference as case_reference',
      'k.owner_organisation_id',
    ])
    .where('l.id', '=', candidateId)
    .where('r.id', '=', referralId)
    .where('l.status', '=', 'candidate')
    .executeTakeFirst();
}

/** A new pending request; undefined when one is already pending for the referral and case. */
export function insertAttachRequest(db: Db, referralId: string, caseId: string, requestedBy: string) {
  return db
    .insertInto('attach_request')
    .values({ referral_id: referralId, case_id: caseId, requested_by: requestedBy })
    .onConflict((oc) => oc.columns(['referral_id', 'case_id']).where('status', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** The case's current lead caseworkers. */
export async function leadCaseworkersOf(db: Db, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('case_member')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('team_role', '=', 'lead_caseworker')
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((row) => row.user_id);
}

/** Pending requests about untriaged referrals on cases the organisation owns, oldest first. */
export function pendingAttachRequests(db: Db, ownerOrganisationId: string) {
  return (
    db
      .selectFrom('attach_request as q')
      .innerJoin('referral as r', 'r.id', 'q.referral_id')
      .innerJoin('case_record as k', 'k.id', 'q.case_id')
      .innerJoin('app_user as u', 'u.id', 'q.requested_by')
      .innerJoin('organisation as uo', 'uo.id', 'u.organisation_id')
      .select([
        'q.id',
        'q.referral_id',
        'r.reference as referral_reference',
        'q.case_id',
        'k.reference as case_reference',
        'u.display_name as requested_by',
        'uo.name as requested_by_organisation',
        'q.requested_at',
      ])
      .where('q.status', '=', 'pending')
      // A referral triaged meanwhile (attached directly, a case opened, screened out) leaves nothing to decide.
      .where('r.status', 'in', [...UNTRIAGED_STATUSES])
      .where('k.owner_organisation_id', '=', ownerOrganisationId)
      .orderBy('q.requested_at')
      .limit(200)
      .execute()
  );
}

export function attachRequestById(db: Db, id: string) {
  return db.selectFrom('attach_request').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a pending request; undefined when it was already decided. */
export function claimAttachRequest(
  db: Db,
  id: string,
  status: 'approved' | 'rejected',
  decidedBy: string,
  at: Date,
) {
  return db
    .updateTable('attach_request')
    .set({ status, decided_by: decidedBy, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
}

export function caseStatusOf(db: Db, caseId: string) {
  return db.selectFrom('case_record').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
}

/** Sets aside the child's suggested matches with the children of one case; the links set aside. */
export function rejectCandidatesOnCase(db: Db, childId: string, caseId: string, decidedBy: string, at: Date) {
  return db
    .updateTable('child_link')
    .set({ status: 'rejected', decided_by_user_id: decidedBy, decided_at: at, updated_at: at })
    .where('child_id', '=', childId)
    .where('status', '=', 'candidate')
    .where('candidate_child_id', 'in', (eb) =>
      eb.selectFrom('child').select('id').where('case_id', '=', caseId),
    )
    .returning(['id', 'explanation', 'model'])
    .execute();
}
