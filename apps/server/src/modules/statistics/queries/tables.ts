// The SQL of every declared statistics table (tables.ts, justice.ts: each TableSpec names its
// query here) and of the dashboard's monthly series and headline totals. Every query reads the
// fact views only, inside withFacts.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { cellKeySum, inRegion, type FactFilter } from './facts.ts';

/** One counted cell: row label, column label (two-way tables), count, cell key (sum of the records' keys). */
export interface TableRow {
  r: string;
  c?: string;
  n: number;
  k: number;
}

/** How a declared table is counted: its cells for a period (and region), keyed with the salt. */
export type TableQuery = (q: FactFilter, salt: string) => RawBuilder<TableRow>;

/**
 * Service referrals made in the period (and region). The timestamp bounds say the same as the
 * date, in the session's time zone, and let the database use its index instead of casting every row.
 */
const serviceReferralsIn = (q: FactFilter) =>
  sql`created_on BETWEEN ${q.from} AND ${q.to} AND created_at >= ${q.from}::date AND created_at < ${q.to}::date + 1 ${inRegion(q)}`;

/* ------------------------------------------------------------------ dashboard tables (TABLES) */

export function referralsByManifestation(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT m AS r, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k
      FROM fact_referral, unnest(manifestations) m
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY m`;
}

export function childrenByAgeAndGender(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT r, c, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT coalesce(age_band, 'age_under_18_unknown') AS r, coalesce(gender, 'unknown') AS c, child_unit
      FROM fact_referral WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)}) x GROUP BY 1, 2`;
}

export function childrenByEthnicity(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT r, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT left(e, 1) AS r, child_unit FROM fact_referral, unnest(ethnicities) e
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)}) x GROUP BY 1`;
}

export function childrenByPrioritisedEthnicity(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT r, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT CASE
        WHEN l1 @> ARRAY['2'] THEN '2' WHEN l1 @> ARRAY['3'] THEN '3' WHEN l1 @> ARRAY['4'] THEN '4'
        WHEN l1 @> ARRAY['5'] THEN '5' WHEN l1 @> ARRAY['6'] THEN '6' WHEN l1 @> ARRAY['1'] THEN '1'
        ELSE '9' END AS r, child_unit
      FROM (SELECT child_unit, ARRAY(SELECT left(e, 1) FROM unnest(ethnicities) e) AS l1 FROM fact_referral
        WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)}) x) y GROUP BY 1`;
}

export function referralsByContext(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT x AS r, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k
      FROM fact_referral, unnest(contexts) x
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY x`;
}

export function referralsByRegion(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT region AS r, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY region`;
}

export function referralsByPoliceDistrict(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT coalesce(police_district, 'not_recorded') AS r, count(*)::int AS n,
      ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY 1`;
}

export function referralsByReferrer(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT referrer_kind AS r, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY referrer_kind`;
}

export function decisionsByKindAndOutcome(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT kind AS r, outcome AS c, count(*)::int AS n, ${cellKeySum(salt, 'decision_id')} AS k
      FROM fact_decision
      WHERE status = 'made' AND decided_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY 1, 2`;
}

export function serviceReferralsByNeedAndStatus(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT need_type AS r, status AS c, count(*)::int AS n,
      ${cellKeySum(salt, 'service_referral_id')} AS k FROM fact_service_referral
      WHERE ${serviceReferralsIn(q)} GROUP BY 1, 2`;
}

export function unmetNeedsByNeedAndRegion(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT need_type AS r, region AS c, count(*)::int AS n, ${cellKeySum(salt, 'unmet_need_id')} AS k
      FROM fact_unmet_need
      WHERE recorded_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY 1, 2`;
}

/* ------------------------------------------------- outcomes (OPSC / CRC pack, OUTCOME_TABLES) */

export function casesClosedByReason(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT closure_reason AS r, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k
      FROM fact_case
      WHERE status = 'closed' AND closed_on BETWEEN ${q.from} AND ${q.to} ${inRegion(q)} GROUP BY 1`;
}

export function childrenReceivingServicesByNeed(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT r, count(*)::int AS n, ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT need_type AS r, child_unit FROM fact_service_referral
      WHERE status IN ('engaged', 'completed') AND ${serviceReferralsIn(q)}) x
      GROUP BY 1`;
}

/* ------------------------------------------------------------- prosecutions (JUSTICE_TABLES) */

const laidIn = (q: FactFilter) =>
  sql`laid_on BETWEEN ${q.from} AND ${q.to} ${q.region ? sql`AND region = ${q.region}` : sql``}`;

export function chargesByProvisionAndForm(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT provision AS r, manifestation AS c, count(*)::int AS n,
      ${cellKeySum(salt, 'charge_id')} AS k FROM fact_charge WHERE ${laidIn(q)} GROUP BY 1, 2`;
}

export function chargesByProvisionAndOutcome(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT provision AS r, outcome AS c, count(*)::int AS n,
      ${cellKeySum(salt, 'charge_id')} AS k FROM fact_charge WHERE ${laidIn(q)} GROUP BY 1, 2`;
}

/* ---------------------------------------------------------- the dashboard's series and totals */

/** Referrals received in a calendar year (and region). */
export async function referralsInYear(trx: Db, year: string, region: string | undefined): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM fact_referral
    WHERE received_on BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`} ${inRegion({ region })}`.execute(trx);
  return row.rows[0]?.n ?? 0;
}

export interface MonthCount {
  month: string;
  n: number;
  k: number;
}

/** Referrals of each month of the period (and region) that has any, with its cell key. */
export async function countReferralsByMonth(trx: Db, query: FactFilter, salt: string): Promise<MonthCount[]> {
  return (
    await sql<{
      month: string;
      n: number;
      k: number;
    }>`SELECT to_char(received_on, 'YYYY-MM') AS month, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k
        FROM fact_referral WHERE received_on BETWEEN ${query.from} AND ${query.to} ${inRegion(query)}
        GROUP BY 1 ORDER BY 1`.execute(trx)
  ).rows;
}

/** Children (counting units) referred in each month of the period (and region), each once a month. */
export async function countChildrenByMonth(trx: Db, query: FactFilter, salt: string): Promise<MonthCount[]> {
  return (
    await sql<MonthCount>`SELECT month, count(*)::int AS n,
        ${cellKeySum(salt, 'child_unit')} AS k FROM (
          SELECT DISTINCT to_char(received_on, 'YYYY-MM') AS month, child_unit FROM fact_referral
          WHERE received_on BETWEEN ${query.from} AND ${query.to} ${inRegion(query)}) x
        GROUP BY 1 ORDER BY 1`.execute(trx)
  ).rows;
}

/** The dashboard's headline figures before protection. */
export interface Totals {
  referrals: number;
  referrals_key: number;
  children_key: number;
  rg_total: number;
  rg_on_time: number;
  rg_median_days: number | null;
  accepted_total: number;
  wait_median_days: number | null;
}

/** Referrals, children's key, reasonable-grounds decisions on time and medians, service waits. */
export async function reportTotals(trx: Db, query: FactFilter, salt: string): Promise<Totals | undefined> {
  const inPeriod = sql`BETWEEN ${query.from} AND ${query.to} ${inRegion(query)}`;
  const rgMade = sql`FROM fact_decision WHERE kind = 'reasonable_grounds' AND status = 'made' AND decided_on ${inPeriod}`;
  const accepted = sql`FROM fact_service_referral WHERE accepted_on IS NOT NULL AND ${serviceReferralsIn(query)}`;
  return (
    await sql<Totals>`SELECT
        (SELECT count(*)::int FROM fact_referral WHERE received_on ${inPeriod}) AS referrals,
        (SELECT ${cellKeySum(salt, 'referral_id')} FROM fact_referral WHERE received_on ${inPeriod}) AS referrals_key,
        (SELECT ${cellKeySum(salt, 'child_unit')} FROM (SELECT DISTINCT child_unit FROM fact_referral
          WHERE received_on ${inPeriod}) u) AS children_key,
        (SELECT count(*)::int ${rgMade}) AS rg_total,
        (SELECT count(*)::int ${rgMade} AND decided_on <= due_on) AS rg_on_time,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_on - starts_on) ${rgMade}) AS rg_median_days,
        (SELECT count(*)::int ${accepted}) AS accepted_total,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY accepted_on - created_on) ${accepted}) AS wait_median_days`.execute(
      trx,
    )
  ).rows[0];
}
