// The statistics module's SQL, by subject (this folder is its queries.ts): the fact views'
// role, record and cell keys, the region filter, distinct children and the fact change number.
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';

export interface Period {
  from: string;
  to: string;
}

/** A period and the filters every figure honours: a region (Stats NZ regional council code). */
export interface FactFilter extends Period {
  region?: string | undefined;
}

/** Inside a transaction: from here on, as the role that reads the fact views and nothing else. */
export async function actAsStatisticsRole(trx: Db): Promise<void> {
  await sql`SET LOCAL ROLE tiaki_stats`.execute(trx);
}

/**
 * A record's fixed key for the cell-key method: the first 32 bits of md5(salt ‖ id), where the salt
 * is derived from the release secret (never stored). The same record always has the same key; no
 * one without the secret can work it out.
 */
export function recordKey(salt: string, column: string) {
  return sql<number>`('x' || substr(md5(${salt} || ${sql.ref(column)}::text), 1, 8))::bit(32)::bigint`;
}

/** A cell's key: the sum of its records' keys, modulo 2^32, as a plain number. */
export function cellKeySum(salt: string, column: string) {
  return sql<number>`(coalesce(sum(${recordKey(salt, column)}), 0) % 4294967296)::float8`;
}

/** `AND <column> = region` when a region is chosen: every figure honours the filter. */
export function inRegion(filter: { region?: string | undefined }, column = 'region') {
  return filter.region ? sql`AND ${sql.ref(column)} = ${filter.region}` : sql``;
}

/** Counting units (children as people have linked them) referred in the period (and region). */
export async function countChildUnits(trx: Db, period: FactFilter): Promise<number> {
  const row = await sql<{ n: number }>`
      SELECT count(DISTINCT child_unit)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${period.from} AND ${period.to} ${inRegion(period, 'region')}`.execute(trx);
  return row.rows[0]?.n ?? 0;
}

/**
 * Pairs of counting units (case, else child) the engine matched with at least `threshold`, not yet
 * reviewed by a person, both referred in the period (and region).
 */
export async function candidateLinkUnits(
  db: Db,
  period: FactFilter,
  threshold: number,
): Promise<{ a: string; b: string }[]> {
  const links = await sql<{ a: string; b: string }>`
    SELECT coalesce(ca.case_id, ca.id) AS a, coalesce(cb.case_id, cb.id) AS b
    FROM child_link l
    JOIN child ca ON ca.id = l.child_id
    JOIN child cb ON cb.id = l.candidate_child_id
    WHERE l.status = 'candidate' AND l.probability >= ${threshold}
      AND EXISTS (SELECT 1 FROM referral r WHERE r.child_id = ca.id AND r.received_on BETWEEN ${period.from} AND ${period.to} ${inRegion(period, 'r.region')})
      AND EXISTS (SELECT 1 FROM referral r WHERE r.child_id = cb.id AND r.received_on BETWEEN ${period.from} AND ${period.to} ${inRegion(period, 'r.region')})`.execute(
    db,
  );
  return links.rows;
}

/** Children sent as encodings (anonymous referrals) and referred in the period (and region). */
export function encodedChildrenIn(db: Db, period: FactFilter) {
  return db
    .selectFrom('child as c')
    .innerJoin('referral as r', 'r.child_id', 'c.id')
    .select(['c.id', 'c.case_id', 'c.encoded_enc'])
    .where('c.encoded_enc', 'is not', null)
    .where('r.received_on', '>=', period.from)
    .where('r.received_on', '<=', period.to)
    .$if(period.region !== undefined, (q) => q.where('r.region', '=', period.region ?? ''))
    .execute();
}

/** Named children referred in the period (and region), with what encoding them needs. */
export function namedChildrenIn(db: Db, period: FactFilter) {
  return db
    .selectFrom('child as c')
    .innerJoin('referral as r', 'r.child_id', 'c.id')
    .select(['c.id', 'c.case_id', 'c.identity_enc', 'c.gender', 'c.age_band', 'r.region', 'r.received_on'])
    .where('c.identified', '=', true)
    .where('r.received_on', '>=', period.from)
    .where('r.received_on', '<=', period.to)
    .$if(period.region !== undefined, (q) => q.where('r.region', '=', period.region ?? ''))
    .execute();
}

/** Pairs of counting units (case, else child) a person has said are not the same child. */
export async function rejectedLinkUnits(db: Db): Promise<{ a: string; b: string }[]> {
  const links = await sql<{ a: string; b: string }>`
    SELECT coalesce(ca.case_id, ca.id) AS a, coalesce(cb.case_id, cb.id) AS b
    FROM child_link l
    JOIN child ca ON ca.id = l.child_id
    JOIN child cb ON cb.id = l.candidate_child_id
    WHERE l.status = 'rejected'`.execute(db);
  return links.rows;
}
