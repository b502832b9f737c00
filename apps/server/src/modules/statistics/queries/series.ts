// The SQL of referrals over time (release.ts, weeks.ts, trends.ts, publications.ts): counts by
// month, ISO week or quarter, each with its cell key, read from fact_referral inside withFacts.
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { cellKeySum, type FactFilter } from './facts.ts';

/** Referrals of a calendar year by month and region (the referral cube's cells). */
export async function yearByMonthAndRegion(
  trx: Db,
  year: string,
  salt: string,
): Promise<{ month: string; region: string; n: number; k: number }[]> {
  return (
    await sql<{ month: string; region: string; n: number; k: number }>`
        SELECT to_char(received_on, 'YYYY-MM') AS month, region, count(*)::int AS n,
          ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
        WHERE received_on BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`} GROUP BY 1, 2`.execute(trx)
  ).rows;
}

/** Referrals from `first` to `last` by ISO week ('2026-W05') and region (the weekly cube's cells). */
export async function weeksByRegion(
  trx: Db,
  first: string,
  last: string,
  salt: string,
): Promise<{ week: string; region: string; n: number; k: number }[]> {
  return (
    await sql<{ week: string; region: string; n: number; k: number }>`
        SELECT to_char(received_on, 'IYYY-"W"IW') AS week, region, count(*)::int AS n,
          ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
        WHERE received_on BETWEEN ${first} AND ${last} GROUP BY 1, 2`.execute(trx)
  ).rows;
}

/** Exact referrals of the period (and region) by ISO week. */
export async function referralsByWeek(trx: Db, query: FactFilter): Promise<{ week: string; n: number }[]> {
  return (
    await sql<{ week: string; n: number }>`
          SELECT to_char(received_on, 'IYYY-"W"IW') AS week, count(*)::int AS n FROM fact_referral
          WHERE received_on BETWEEN ${query.from} AND ${query.to}
          ${query.region ? sql`AND region = ${query.region}` : sql``} GROUP BY 1`.execute(trx)
  ).rows;
}

/** Referrals by month from the first ever to the end of the calendar year of `query.to` (and region). */
export async function monthsToYearEnd(
  trx: Db,
  query: FactFilter,
  salt: string,
): Promise<{ month: string; n: number; k: number }[]> {
  return (
    await sql<{ month: string; n: number; k: number }>`
        SELECT to_char(received_on, 'YYYY-MM') AS month, count(*)::int AS n,
          ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
        WHERE received_on <= ${`${query.to.slice(0, 4)}-12-31`} ${query.region ? sql`AND region = ${query.region}` : sql``}
        GROUP BY 1 ORDER BY 1`.execute(trx)
  ).rows;
}

/** Referrals by quarter ('2026Q3') from `from` to `to`, nationally. */
export async function referralsByQuarter(
  trx: Db,
  from: string,
  to: string,
  salt: string,
): Promise<{ q: string; n: number; k: number }[]> {
  return (
    await sql<{ q: string; n: number; k: number }>`
      SELECT to_char(received_on, 'YYYY"Q"Q') AS q, count(*)::int AS n,
        ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
      WHERE received_on BETWEEN ${from} AND ${to} GROUP BY 1`.execute(trx)
  ).rows;
}

/* --------------------------------------------------- one period's release (release.ts) */

/** Regions that hold any fact at all. */
export async function regionsWithFacts(trx: Db): Promise<Set<string | null>> {
  const rows = await sql<{ region: string | null }>`SELECT region FROM fact_referral
      UNION SELECT region FROM fact_decision UNION SELECT region FROM fact_service_referral
      UNION SELECT region FROM fact_unmet_need UNION SELECT region FROM fact_case`.execute(trx);
  return new Set(rows.rows.map((r) => r.region));
}

/** Referrals of the period by region, with their cell keys (the headlines). */
export async function referralsByRegionIn(
  trx: Db,
  from: string,
  to: string,
  salt: string,
): Promise<{ region: string; n: number; k: number }[]> {
  return (
    await sql<{ region: string; n: number; k: number }>`
      SELECT region, count(*)::int AS n, ${cellKeySum(salt, 'referral_id')} AS k FROM fact_referral
      WHERE received_on BETWEEN ${from} AND ${to} GROUP BY region`.execute(trx)
  ).rows;
}

/** The cell key of the children (counting units) referred in the period: nationally and by region. */
export async function childUnitKeys(
  trx: Db,
  from: string,
  to: string,
  salt: string,
): Promise<{ all: number | undefined; byRegion: { region: string; k: number }[] }> {
  const all = await sql<{ k: number }>`SELECT ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT child_unit FROM fact_referral WHERE received_on BETWEEN ${from} AND ${to}) u`.execute(
    trx,
  );
  const byRegion = await sql<{
    region: string;
    k: number;
  }>`SELECT region, ${cellKeySum(salt, 'child_unit')} AS k FROM (
      SELECT DISTINCT region, child_unit FROM fact_referral WHERE received_on BETWEEN ${from} AND ${to}) u
      GROUP BY region`.execute(trx);
  return { all: all.rows[0]?.k, byRegion: byRegion.rows };
}

/** Referrals of a calendar year by region. */
export async function yearByRegion(trx: Db, year: string): Promise<{ region: string; n: number }[]> {
  return (
    await sql<{ region: string; n: number }>`SELECT region, count(*)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`} GROUP BY region`.execute(trx)
  ).rows;
}
