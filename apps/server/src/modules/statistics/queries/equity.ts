// The SQL of the equity tables and medians (equity.ts): each child's prioritised group joined to
// the fact views. Groups: Māori if any ethnicity recorded is Māori, else Pacific, else other,
// else not recorded.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { cellKeySum, inRegion, type FactFilter } from './facts.ts';
import type { TableRow } from './tables.ts';

/**
 * The group of each counting unit (child) that `units` names, from all its referrals' recorded
 * ethnicities (not only the period's). Only the units a figure counts are grouped: grouping every
 * child ever referred took seconds at a million referrals, whatever the period.
 */
const groupsOf = (units: RawBuilder<unknown>) => sql`(SELECT child_unit, CASE
    WHEN bool_or(e LIKE '2%') THEN 'maori'
    WHEN bool_or(e LIKE '3%') THEN 'pacific'
    WHEN bool_or(e IS NOT NULL AND e NOT LIKE '9%') THEN 'other'
    ELSE 'not_recorded' END AS g
  FROM fact_referral LEFT JOIN LATERAL unnest(ethnicities) e ON true
  WHERE child_unit IN (${units}) GROUP BY child_unit)`;

/** The groups of the units of `view`'s rows (as `f`) that `where` picks. */
const groupsFor = (view: string, where: RawBuilder<unknown>) =>
  groupsOf(sql`SELECT f.child_unit FROM ${sql.table(view)} f WHERE ${where}`);

const between = (column: string, q: FactFilter) =>
  sql`${sql.ref(column)} BETWEEN ${q.from} AND ${q.to} ${inRegion(q, 'f.region')}`;

export function equityReferralsByGroup(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT g.g AS r, count(*)::int AS n, ${cellKeySum(salt, 'f.referral_id')} AS k
      FROM fact_referral f JOIN ${groupsFor('fact_referral', between('f.received_on', q))} g
        ON g.child_unit = f.child_unit
      WHERE ${between('f.received_on', q)} GROUP BY 1`;
}

export function equityIdentificationByGroup(q: FactFilter, salt: string): RawBuilder<TableRow> {
  const made = sql`f.status = 'made' AND f.kind IN ('reasonable_grounds', 'conclusive_grounds')
        AND ${between('f.decided_on', q)}`;
  return sql`SELECT g.g AS r,
        (CASE f.kind WHEN 'conclusive_grounds' THEN 'cg_' ELSE 'rg_' END) || f.outcome AS c,
        count(*)::int AS n, ${cellKeySum(salt, 'f.decision_id')} AS k
      FROM fact_decision f JOIN ${groupsFor('fact_decision', made)} g ON g.child_unit = f.child_unit
      WHERE ${made} GROUP BY 1, 2`;
}

export function equityServiceReferralsByGroup(q: FactFilter, salt: string): RawBuilder<TableRow> {
  const made = sql`f.status <> 'proposed' AND ${between('f.created_on', q)}`;
  return sql`SELECT g.g AS r, CASE
          WHEN f.accepted_on IS NOT NULL THEN 'accepted'
          WHEN f.status = 'declined' THEN 'declined'
          WHEN f.status = 'withdrawn' THEN 'withdrawn'
          ELSE 'waiting' END AS c,
        count(*)::int AS n, ${cellKeySum(salt, 'f.service_referral_id')} AS k
      FROM fact_service_referral f JOIN ${groupsFor('fact_service_referral', made)} g
        ON g.child_unit = f.child_unit
      WHERE ${made} GROUP BY 1, 2`;
}

export function equityUnmetNeedsByGroup(q: FactFilter, salt: string): RawBuilder<TableRow> {
  return sql`SELECT g.g AS r, count(*)::int AS n, ${cellKeySum(salt, 'f.unmet_need_id')} AS k
      FROM fact_unmet_need f JOIN ${groupsFor('fact_unmet_need', between('f.recorded_on', q))} g
        ON g.child_unit = f.child_unit
      WHERE ${between('f.recorded_on', q)} GROUP BY 1`;
}

/** A group's median and how many values it is of. */
export interface GroupMedian {
  g: string;
  m: number;
  n: number;
}

/** The median of `days` and how many values it is of, per group, over the rows `where` picks. */
async function medianByGroup(
  trx: Db,
  view: string,
  days: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
): Promise<GroupMedian[]> {
  const { rows } = await sql<GroupMedian>`
      SELECT g.g, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) AS m, count(*)::int AS n
      FROM ${sql.table(view)} f JOIN ${groupsFor(view, where)} g ON g.child_unit = f.child_unit
      WHERE ${where} GROUP BY g.g`.execute(trx);
  return rows;
}

/** Days from the start of the clock to a reasonable-grounds decision made in the period, per group. */
export function decisionDaysByGroup(trx: Db, q: FactFilter): Promise<GroupMedian[]> {
  return medianByGroup(
    trx,
    'fact_decision',
    sql`f.decided_on - f.starts_on`,
    sql`f.kind = 'reasonable_grounds' AND f.status = 'made' AND ${between('f.decided_on', q)}`,
  );
}

/** Days for a service to accept a referral made in the period, per group. */
export function serviceWaitDaysByGroup(trx: Db, q: FactFilter): Promise<GroupMedian[]> {
  return medianByGroup(
    trx,
    'fact_service_referral',
    sql`f.accepted_on - f.created_on`,
    sql`f.accepted_on IS NOT NULL AND ${between('f.created_on', q)}`,
  );
}
