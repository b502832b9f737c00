import { sql, type RawBuilder, type Transaction } from 'kysely';
import { protectMedian, type PublishedValue } from '@tiaki/disclosure';
import type { Schema } from '../../db/schema.ts';
import { cellKeySum } from './facts.ts';
import type { StatisticsQuery, TableSpec } from './tables.ts';

/**
 * Equity and Te Tiriti o Waitangi reporting: outcomes for tamariki Māori beside Pacific children
 * and children who are neither, so that differences in access, timeliness and outcome show.
 * Groups are prioritised (Stats NZ practice): Māori if any ethnicity recorded for the child is
 * Māori, else Pacific if any is Pacific, else other; a child with no ethnicity recorded is
 * "not recorded". Each child is in one group, so groups add up to the total; "non-Māori" is
 * Pacific, other and not recorded together. Iwi-level tables are not published here (they need
 * the Māori data governance group's approval: see docs/statistics.md).
 */

export const EQUITY_GROUPS = ['maori', 'pacific', 'other', 'not_recorded'] as const;

/** The group of every counting unit (child), from all its referrals' recorded ethnicities. */
const groups = sql`(SELECT child_unit, CASE
    WHEN bool_or(e LIKE '2%') THEN 'maori'
    WHEN bool_or(e LIKE '3%') THEN 'pacific'
    WHEN bool_or(e IS NOT NULL AND e NOT LIKE '9%') THEN 'other'
    ELSE 'not_recorded' END AS g
  FROM fact_referral LEFT JOIN LATERAL unnest(ethnicities) e ON true GROUP BY child_unit)`;

const inRegion = (q: StatisticsQuery, column = 'f.region') =>
  q.region ? sql`AND ${sql.ref(column)} = ${q.region}` : sql``;
const between = (column: string, q: StatisticsQuery) =>
  sql`${sql.ref(column)} BETWEEN ${q.from} AND ${q.to} ${inRegion(q)}`;

const SERVICE_RESPONSES = ['accepted', 'declined', 'waiting', 'withdrawn'] as const;

export const EQUITY_TABLES: readonly TableSpec[] = [
  {
    name: 'equity_referrals_by_group',
    title: 'Referrals received, tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    query: (q, salt) => sql`SELECT g.g AS r, count(*)::int AS n, ${cellKeySum(salt, 'f.referral_id')} AS k
      FROM fact_referral f JOIN ${groups} g ON g.child_unit = f.child_unit
      WHERE ${between('f.received_on', q)} GROUP BY 1`,
  },
  {
    name: 'equity_identification_by_group',
    title: 'Identification decisions made, by outcome: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    columns: {
      name: 'identification',
      categories: ['rg_positive', 'rg_negative', 'cg_positive', 'cg_negative'],
    },
    query: (q, salt) => sql`SELECT g.g AS r,
        (CASE f.kind WHEN 'conclusive_grounds' THEN 'cg_' ELSE 'rg_' END) || f.outcome AS c,
        count(*)::int AS n, ${cellKeySum(salt, 'f.decision_id')} AS k
      FROM fact_decision f JOIN ${groups} g ON g.child_unit = f.child_unit
      WHERE f.status = 'made' AND f.kind IN ('reasonable_grounds', 'conclusive_grounds')
        AND ${between('f.decided_on', q)} GROUP BY 1, 2`,
  },
  {
    name: 'equity_service_referrals_by_group',
    title: 'Service referrals made, by response: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    columns: { name: 'service response', categories: SERVICE_RESPONSES },
    query: (q, salt) => sql`SELECT g.g AS r, CASE
          WHEN f.accepted_on IS NOT NULL THEN 'accepted'
          WHEN f.status = 'declined' THEN 'declined'
          WHEN f.status = 'withdrawn' THEN 'withdrawn'
          ELSE 'waiting' END AS c,
        count(*)::int AS n, ${cellKeySum(salt, 'f.service_referral_id')} AS k
      FROM fact_service_referral f JOIN ${groups} g ON g.child_unit = f.child_unit
      WHERE f.status <> 'proposed' AND ${between('f.created_on', q)} GROUP BY 1, 2`,
  },
  {
    name: 'equity_unmet_needs_by_group',
    title: 'Unmet needs recorded: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    query: (q, salt) => sql`SELECT g.g AS r, count(*)::int AS n, ${cellKeySum(salt, 'f.unmet_need_id')} AS k
      FROM fact_unmet_need f JOIN ${groups} g ON g.child_unit = f.child_unit
      WHERE ${between('f.recorded_on', q)} GROUP BY 1`,
  },
];

/** Medians of one group: days to a reasonable-grounds decision, days for a service to accept. */
export interface EquityMedians {
  group: (typeof EQUITY_GROUPS)[number];
  reasonableGroundsMedianDays: PublishedValue | number | null;
  serviceWaitMedianDays: PublishedValue | number | null;
}

/**
 * Medians by group, suppressed below 20 contributing decisions or referrals (a median of few
 * values is one child's own value); exact for authorised staff. Run inside withFacts.
 */
export async function equityMedians(
  trx: Transaction<Schema>,
  q: StatisticsQuery,
  exact: boolean,
): Promise<EquityMedians[]> {
  /** The median of `days` and how many values it is of, per group, over the rows `where` picks. */
  const byGroup = async (view: string, days: RawBuilder<unknown>, where: RawBuilder<unknown>) => {
    const { rows } = await sql<{ g: string; m: number; n: number }>`
      SELECT g.g, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) AS m, count(*)::int AS n
      FROM ${sql.table(view)} f JOIN ${groups} g ON g.child_unit = f.child_unit
      WHERE ${where} GROUP BY g.g`.execute(trx);
    return new Map(rows.map((r) => [r.g, r]));
  };
  const decisions = await byGroup(
    'fact_decision',
    sql`f.decided_on - f.starts_on`,
    sql`f.kind = 'reasonable_grounds' AND f.status = 'made' AND ${between('f.decided_on', q)}`,
  );
  const accepted = await byGroup(
    'fact_service_referral',
    sql`f.accepted_on - f.created_on`,
    sql`f.accepted_on IS NOT NULL AND ${between('f.created_on', q)}`,
  );
  const median = (found: { m: number; n: number } | undefined) =>
    found === undefined ? null : exact ? found.m : protectMedian(found.m, found.n);
  return EQUITY_GROUPS.map((group) => ({
    group,
    reasonableGroundsMedianDays: median(decisions.get(group)),
    serviceWaitMedianDays: median(accepted.get(group)),
  }));
}
