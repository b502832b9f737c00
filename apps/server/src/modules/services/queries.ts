import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { PageRequest, ServiceReferralSort } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import { countUpTo } from '../../db/paging.ts';

/* ---------------------------------------------------------------- directory */

export function serviceColumns(db: Db) {
  return db
    .selectFrom('service as s')
    .innerJoin('organisation as o', 'o.id', 's.provider_organisation_id')
    .select([
      's.id',
      's.provider_organisation_id',
      'o.name as provider_name',
      'o.kind as provider_kind',
      's.name',
      's.description',
      's.need_types',
      's.regions',
      's.min_age',
      's.max_age',
      's.capacity',
      's.contact',
      's.is_active',
      's.version',
    ]);
}

export type ServiceRow = Awaited<ReturnType<ReturnType<typeof serviceColumns>['executeTakeFirstOrThrow']>>;

export interface ServiceFilter {
  needType?: string | undefined;
  region?: string | undefined;
  age?: number | undefined;
  providerOrganisationId?: string | undefined;
  /** Whose inactive entries the caller may see: everyone's, one organisation's, or nobody's. */
  inactiveVisible: 'all' | { organisationId: string } | 'none';
}

// Accepting first, then waitlist, then full: the caseworker sees who can help soonest.
const capacityOrder = sql<number>`CASE s.capacity WHEN 'accepting' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END`;

export async function listServices(db: Db, filter: ServiceFilter): Promise<ServiceRow[]> {
  let q = serviceColumns(db);
  if (filter.needType) q = q.where(sql<SqlBool>`${filter.needType} = ANY(s.need_types)`);
  if (filter.region) q = q.where(sql<SqlBool>`${filter.region} = ANY(s.regions)`);
  if (filter.age !== undefined)
    q = q.where('s.min_age', '<=', filter.age).where('s.max_age', '>=', filter.age);
  if (filter.providerOrganisationId)
    q = q.where('s.provider_organisation_id', '=', filter.providerOrganisationId);
  const visible = filter.inactiveVisible;
  if (visible === 'none') q = q.where('s.is_active', '=', true);
  else if (visible !== 'all')
    q = q.where((eb) =>
      eb.or([eb('s.is_active', '=', true), eb('s.provider_organisation_id', '=', visible.organisationId)]),
    );
  return q.orderBy('s.name').orderBy('s.id').limit(1000).execute();
}

export async function getService(db: Db, id: string): Promise<ServiceRow | undefined> {
  return serviceColumns(db).where('s.id', '=', id).executeTakeFirst();
}

/**
 * Active services offering a kind of help in a region, for a child whose age lies somewhere in
 * `ages` (null when unknown): a service counts when its age range overlaps the child's.
 */
export async function matchingServices(
  db: Db,
  needType: string,
  region: string,
  ages: { min: number; max: number } | null,
): Promise<ServiceRow[]> {
  let q = serviceColumns(db)
    .where('s.is_active', '=', true)
    .where(sql<SqlBool>`${needType} = ANY(s.need_types)`)
    .where(sql<SqlBool>`${region} = ANY(s.regions)`);
  if (ages) q = q.where('s.min_age', '<=', ages.max).where('s.max_age', '>=', ages.min);
  return q.orderBy(capacityOrder).orderBy('s.name').orderBy('s.id').limit(200).execute();
}

export async function organisationExists(db: Db, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('organisation').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/* ---------------------------------------------------------------- cases */

/** The facts of a case and its child that services need: never the identity. */
export async function caseFacts(db: Db, caseId: string) {
  return db
    .selectFrom('case_record as k')
    .innerJoin('child as c', 'c.id', 'k.child_id')
    .select(['k.id', 'k.reference', 'k.status', 'k.region', 'k.child_id', 'c.age_band', 'c.birth_year'])
    .where('k.id', '=', caseId)
    .executeTakeFirst();
}

export async function childIdentityEnc(db: Db, childId: string): Promise<string | null> {
  const row = await db
    .selectFrom('child')
    .select('identity_enc')
    .where('id', '=', childId)
    .executeTakeFirst();
  return row?.identity_enc ?? null;
}

/* ---------------------------------------------------------------- service referrals */

export function serviceReferralColumns(db: Db) {
  return db
    .selectFrom('service_referral as sr')
    .innerJoin('case_record as k', 'k.id', 'sr.case_id')
    .innerJoin('child as c', 'c.id', 'k.child_id')
    .innerJoin('service as s', 's.id', 'sr.service_id')
    .leftJoin('disclosure as d', 'd.id', 'sr.disclosure_id')
    .select([
      'sr.id',
      'sr.case_id',
      'k.reference as case_reference',
      'k.region',
      'k.status as case_status',
      'sr.service_id',
      's.name as service_name',
      'sr.provider_organisation_id',
      'sr.created_by_organisation_id',
      'sr.need_type',
      'sr.status',
      'sr.shared_fields',
      'd.lawful_basis',
      'sr.needs_summary_enc',
      'sr.respond_by',
      'sr.urgency',
      'sr.decline_reason',
      'sr.decline_detail_enc',
      'sr.outcome_enc',
      'sr.created_at',
      'sr.version',
      'c.id as child_id',
      'c.age_band',
      'c.gender',
      'c.ethnicities',
      'c.iwi',
    ]);
}

export type ServiceReferralRow = Awaited<
  ReturnType<ReturnType<typeof serviceReferralColumns>['executeTakeFirstOrThrow']>
>;

export async function getServiceReferral(db: Db, id: string): Promise<ServiceReferralRow | undefined> {
  return serviceReferralColumns(db).where('sr.id', '=', id).executeTakeFirst();
}

export async function serviceReferralsOfCase(db: Db, caseId: string): Promise<ServiceReferralRow[]> {
  return serviceReferralColumns(db)
    .where('sr.case_id', '=', caseId)
    .orderBy('sr.created_at', 'desc')
    .orderBy('sr.id')
    .execute();
}

/**
 * One page of service referrals: a provider's inbox (never a referral still only proposed by the
 * case team), or those waiting past their answer deadline on the cases given; filtered and sorted
 * by the server, with how many match.
 */
export async function serviceReferralPage(
  db: Db,
  scope: { provider: string } | { overdueOnCases: Expression<SqlBool> },
  filter: { status?: string | undefined; overdue?: boolean; dueWithin?: readonly [string, string] },
  today: string,
  paging: PageRequest<ServiceReferralSort>,
): Promise<{ rows: ServiceReferralRow[]; total: number; totalCapped: boolean }> {
  let base = db.selectFrom('service_referral as sr');
  if ('provider' in scope)
    base = base
      .where('sr.provider_organisation_id', '=', scope.provider)
      .where('sr.status', '<>', 'proposed');
  else
    base = base
      .where(scope.overdueOnCases)
      .where('sr.status', '=', 'sent')
      .where('sr.respond_by', '<', today);
  if (filter.status) base = base.where('sr.status', '=', filter.status);
  // Waiting for the provider's answer: sent, and not answered yet.
  if (filter.overdue) base = base.where('sr.status', '=', 'sent').where('sr.respond_by', '<', today);
  if (filter.dueWithin)
    base = base
      .where('sr.status', '=', 'sent')
      .where('sr.respond_by', '>=', filter.dueWithin[0])
      .where('sr.respond_by', '<=', filter.dueWithin[1]);
  const dir = paging.dir;
  let ids = base.select('sr.id');
  switch (paging.sort) {
    case 'urgency':
      ids = ids
        .orderBy(
          sql`CASE WHEN sr.status = 'sent' THEN (CASE sr.urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END) ELSE 3 END`,
          dir,
        )
        .orderBy('sr.created_at', 'desc');
      break;
    case 'sent':
      ids = ids.orderBy('sr.created_at', dir);
      break;
    case 'respondBy':
      ids = ids.orderBy('sr.respond_by', dir).orderBy('sr.created_at', 'asc');
      break;
    case 'status':
      ids = ids.orderBy('sr.status', dir).orderBy('sr.created_at', 'desc');
      break;
    case 'service':
      ids = ids
        .orderBy(
          (eb) => eb.selectFrom('service as s').select('s.name').whereRef('s.id', '=', 'sr.service_id'),
          dir,
        )
        .orderBy('sr.created_at', 'desc');
      break;
  }
  const [page, counted] = await Promise.all([
    ids
      .orderBy('sr.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('sr.id')),
  ]);
  const order = page.map((r) => r.id);
  const rows = order.length ? await serviceReferralColumns(db).where('sr.id', 'in', order).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: order.flatMap((id) => byId.get(id) ?? []), ...counted };
}

export async function eventsOf(db: Db, serviceReferralIds: readonly string[]) {
  if (serviceReferralIds.length === 0) return [];
  return db
    .selectFrom('service_referral_event')
    .select([
      'service_referral_id',
      'from_status',
      'to_status',
      'reason',
      'user_id',
      'organisation_id',
      'occurred_at',
    ])
    .where('service_referral_id', 'in', [...serviceReferralIds])
    .orderBy('id')
    .execute();
}

export async function notesOf(db: Db, serviceReferralIds: readonly string[]) {
  if (serviceReferralIds.length === 0) return [];
  return db
    .selectFrom('service_referral_note')
    .select(['id', 'service_referral_id', 'organisation_id', 'author_user_id', 'body_enc', 'created_at'])
    .where('service_referral_id', 'in', [...serviceReferralIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/* ---------------------------------------------------------------- unmet needs */

export async function unmetNeedsOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('unmet_need')
    .select([
      'id',
      'case_id',
      'need_type',
      'region',
      'age_band',
      'reason',
      'recorded_at',
      'met_at',
      'note_enc',
    ])
    .where('case_id', '=', caseId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id')
    .execute();
}

// Writes of the directory, the service referrals and the unmet-need ledger (their services hold
// the transaction and the rules).

export async function insertService(db: Db, values: Insertable<Schema['service']>): Promise<void> {
  await db.insertInto('service').values(values).execute();
}

export async function updateServiceRow(
  db: Db,
  id: string,
  changes: Updateable<Schema['service']>,
): Promise<void> {
  await db.updateTable('service').set(changes).where('id', '=', id).execute();
}

export async function insertServiceReferral(
  db: Db,
  values: Insertable<Schema['service_referral']>,
): Promise<void> {
  await db.insertInto('service_referral').values(values).execute();
}

export async function updateServiceReferral(
  db: Db,
  id: string,
  changes: Updateable<Schema['service_referral']>,
): Promise<void> {
  await db.updateTable('service_referral').set(changes).where('id', '=', id).execute();
}

export async function insertServiceReferralEvent(
  db: Db,
  values: Insertable<Schema['service_referral_event']>,
): Promise<void> {
  await db.insertInto('service_referral_event').values(values).execute();
}

export async function insertServiceReferralNote(
  db: Db,
  values: Insertable<Schema['service_referral_note']>,
): Promise<void> {
  await db.insertInto('service_referral_note').values(values).execute();
}

/** Advisory-lock class for unmet needs: checks of one case queue up, so none is recorded twice. */
const UNMET_NEED_LOCK = 727276;

/** Queues this transaction behind any other checking the unmet needs of the case. */
export async function lockUnmetNeedsOfCase(db: Db, caseId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${UNMET_NEED_LOCK}, hashtext(${caseId}))`.execute(db);
}

/** Whether the same need is already open (for a decline, from the same referral). */
export async function hasOpenUnmetNeed(
  db: Db,
  need: { caseId: string; needType: string; reason: string; serviceReferralId?: string | undefined },
): Promise<boolean> {
  let open = db
    .selectFrom('unmet_need')
    .select('id')
    .where('case_id', '=', need.caseId)
    .where('need_type', '=', need.needType)
    .where('reason', '=', need.reason)
    .where('met_at', 'is', null);
  if (need.serviceReferralId) open = open.where('service_referral_id', '=', need.serviceReferralId);
  return Boolean(await open.executeTakeFirst());
}

export async function insertUnmetNeed(db: Db, values: Insertable<Schema['unmet_need']>): Promise<void> {
  await db.insertInto('unmet_need').values(values).execute();
}

/** Marks the case's open unmet needs of this type met; the ids of those it marked. */
export async function setUnmetNeedsMet(db: Db, caseId: string, needType: string): Promise<{ id: string }[]> {
  return db
    .updateTable('unmet_need')
    .set({ met_at: new Date() })
    .where('case_id', '=', caseId)
    .where('need_type', '=', needType)
    .where('met_at', 'is', null)
    .returning('id')
    .execute();
}
