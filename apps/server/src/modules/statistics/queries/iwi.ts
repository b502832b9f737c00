// The SQL of iwi-level statistics (iwi.ts): the counts by iwi (fact views, inside withFacts) and
// the Māori data governance group's approvals (iwi_statistics_grant).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Role } from '@tiaki/domain';
import type { Db } from '../../../db/database.ts';
import type { Schema } from '../../../db/schema.ts';
import { cellKeySum, type Period } from './facts.ts';

/* ------------------------------------------------------------------------- counts by iwi */

export interface IwiCount {
  r: string;
  n: number;
  k: number;
}

/** Referrals by iwi recorded, total response (a referral naming two iwi is in both rows). */
export async function referralsByIwi(trx: Db, { from, to }: Period, salt: string): Promise<IwiCount[]> {
  return (
    await sql<IwiCount>`
      SELECT r, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k
      FROM (SELECT referral_id, unnest(iwi) AS r FROM fact_referral WHERE received_on BETWEEN ${from} AND ${to}) x
      GROUP BY r`.execute(trx)
  ).rows;
}

/** Children (counting units) by iwi recorded, each once per iwi. */
export async function childrenByIwi(trx: Db, { from, to }: Period, salt: string): Promise<IwiCount[]> {
  return (
    await sql<IwiCount>`
      SELECT r, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k
      FROM (SELECT DISTINCT child_unit, unnest(iwi) AS r FROM fact_referral
        WHERE received_on BETWEEN ${from} AND ${to}) x
      GROUP BY r`.execute(trx)
  ).rows;
}

/** Children with at least one iwi recorded, each once. */
export async function childrenWithIwi(
  trx: Db,
  { from, to }: Period,
  salt: string,
): Promise<{ n: number; k: number }> {
  return (
    (
      await sql<{ n: number; k: number }>`
      SELECT count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k
      FROM (SELECT DISTINCT child_unit FROM fact_referral
        WHERE received_on BETWEEN ${from} AND ${to} AND cardinality(iwi) > 0) x`.execute(trx)
    ).rows[0] ?? { n: 0, k: 0 }
  );
}

/* ------------------------------------------------------------------------------ approvals */

/** The person's approval in force on `today`, if any. */
export function approvalInForce(db: Db, userId: string, today: string) {
  return db
    .selectFrom('iwi_statistics_grant')
    .select('id')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_on', '>=', today)
    .executeTakeFirst();
}

/** Every approval, newest first, with the people named and how often it has been used. */
export function listApprovals(db: Db) {
  return db
    .selectFrom('iwi_statistics_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .innerJoin('app_user as b', 'b.id', 'g.granted_by_user_id')
    .select([
      'g.id',
      'g.user_id',
      'u.display_name as person',
      'o.name as organisation',
      'g.purpose',
      'g.expires_on',
      'b.display_name as granted_by',
      'g.granted_at',
      'g.revoked_at',
      (eb) =>
        eb
          .selectFrom('audit_event as a')
          .select((a) => a.fn.countAll<string>().as('n'))
          .whereRef('a.actor_user_id', '=', 'g.user_id')
          .where('a.action', '=', 'statistics.iwi_viewed')
          .whereRef('a.occurred_at', '>=', 'g.granted_at')
          .as('views'),
    ])
    .orderBy('g.granted_at', 'desc')
    .execute();
}

/** `u` (app_user) is active and holds one of `roles`. */
function activeWithOneOf(
  eb: ExpressionBuilder<Schema & { u: Schema['app_user'] }, 'u'>,
  roles: readonly Role[],
) {
  return eb.and([
    eb('u.is_active', '=', true),
    eb.exists(
      eb
        .selectFrom('role_assignment as r')
        .select('r.user_id')
        .whereRef('r.user_id', '=', 'u.id')
        .where('r.role', 'in', roles),
    ),
  ]);
}

/** Active people holding one of `roles` (the roles that may be approved), by name; at most 500. */
export function eligiblePeople(db: Db, roles: readonly Role[]) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'o.name'])
    .where((eb) => activeWithOneOf(eb, roles))
    .orderBy('u.display_name')
    .limit(500)
    .execute();
}

/** The person, when active and holding one of `roles`. */
export function eligiblePerson(db: Db, userId: string, roles: readonly Role[]) {
  return db
    .selectFrom('app_user as u')
    .select('u.id')
    .where('u.id', '=', userId)
    .where((eb) => activeWithOneOf(eb, roles))
    .executeTakeFirst();
}

export function insertApproval(
  db: Db,
  values: { user_id: string; purpose: string; expires_on: string; granted_by_user_id: string },
) {
  return db.insertInto('iwi_statistics_grant').values(values).returning('id').executeTakeFirstOrThrow();
}

export function findApproval(db: Db, id: string) {
  return db
    .selectFrom('iwi_statistics_grant')
    .select(['id', 'user_id', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function markApprovalRevoked(db: Db, id: string, byUserId: string): Promise<void> {
  await db
    .updateTable('iwi_statistics_grant')
    .set({ revoked_at: new Date(), revoked_by_user_id: byUserId })
    .where('id', '=', id)
    .execute();
}

/** The end date of this person's latest approval in force today, if any. */
export function latestGrantInForce(db: Db, userId: string, today: string) {
  return db
    .selectFrom('iwi_statistics_grant')
    .select('expires_on')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_on', '>=', today)
    .orderBy('expires_on', 'desc')
    .executeTakeFirst();
}

/* ------------------------------------------------------------ iwi annex of a bulletin (0040) */

export function listAnnexApprovals(db: Db) {
  return db
    .selectFrom('iwi_annex_approval as a')
    .innerJoin('app_user as u', 'u.id', 'a.approved_by_user_id')
    .select(['a.id', 'a.quarter', 'u.display_name', 'a.approved_at', 'a.withdrawn_at'])
    .orderBy('a.approved_at', 'desc')
    .limit(200)
    .execute();
}

export function annexApprovalInForce(db: Db, quarter: string) {
  return db
    .selectFrom('iwi_annex_approval')
    .select('id')
    .where('quarter', '=', quarter)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
}

export function insertAnnexApproval(db: Db, quarter: string, byUserId: string) {
  return db
    .insertInto('iwi_annex_approval')
    .values({ quarter, approved_by_user_id: byUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function withdrawAnnexApprovals(db: Db, quarter: string, byUserId: string) {
  return db
    .updateTable('iwi_annex_approval')
    .set({ withdrawn_at: new Date(), withdrawn_by_user_id: byUserId })
    .where('quarter', '=', quarter)
    .where('withdrawn_at', 'is', null)
    .returning('id')
    .execute();
}
