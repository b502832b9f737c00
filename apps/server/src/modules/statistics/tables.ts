import { sql, type RawBuilder, type Transaction } from 'kysely';
import {
  protectMean,
  protectSeries,
  protectTable,
  roundCount,
  tabulate,
  type DisclosureOptions,
  type ExactTable,
  type PublishedTable,
  type PublishedValue,
  type TableInput,
} from '@tiaki/disclosure';
import {
  CURRENT_TAXONOMY,
  NEED_TYPES,
  ORGANISATION_KINDS,
  REGIONS,
  SERVICE_REFERRAL_STATUSES,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { distinctChildren, withFacts, type Period } from './facts.ts';
import { monthsBetween } from './periods.ts';

export interface StatisticsQuery extends Period {
  region?: string | undefined;
}

/** Each table: its name, a plain title, and how to count it from the fact views. */
interface TableSpec {
  name: string;
  title: string;
  rows: { name: string; categories: readonly string[] };
  columns?: { name: string; categories: readonly string[] };
  /** Returns rows of (row label, column label?, count). */
  query: (q: StatisticsQuery) => RawBuilder<{ r: string; c?: string; n: number }>;
}

const codes = (list: readonly { code: string }[]) => list.map((x) => x.code);
const regionFilter = (q: StatisticsQuery, column = 'region') =>
  q.region ? sql`AND ${sql.ref(column)} = ${q.region}` : sql``;

export const TABLES: readonly TableSpec[] = [
  {
    name: 'referrals_by_manifestation',
    title: 'Referrals by form of exploitation (a referral may name several)',
    rows: { name: 'manifestation', categories: codes(CURRENT_TAXONOMY.manifestations) },
    query: (q) => sql`SELECT m AS r, count(*)::int AS n FROM fact_referral, unnest(manifestations) m
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY m`,
  },
  {
    name: 'children_by_age_and_gender',
    title: 'Children referred, by age band and gender',
    rows: { name: 'age band', categories: codes(CURRENT_TAXONOMY.ageBands) },
    columns: { name: 'gender', categories: codes(CURRENT_TAXONOMY.genders) },
    query: (
      q,
    ) => sql`SELECT coalesce(age_band, 'age_under_18_unknown') AS r, coalesce(gender, 'unknown') AS c,
      count(DISTINCT child_unit)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY 1, 2`,
  },
  {
    name: 'children_by_ethnicity',
    title: 'Children referred, by ethnicity (total response: a child is counted in each group recorded)',
    rows: {
      name: 'ethnicity',
      categories: CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 1).map((e) => e.code),
    },
    query: (
      q,
    ) => sql`SELECT left(e, 1) AS r, count(DISTINCT child_unit)::int AS n FROM fact_referral, unnest(ethnicities) e
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY 1`,
  },
  {
    name: 'referrals_by_region',
    title: 'Referrals by region',
    rows: { name: 'region', categories: REGIONS.map((r) => r.code) },
    query: (q) => sql`SELECT region AS r, count(*)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY region`,
  },
  {
    name: 'referrals_by_referrer',
    title: 'Referrals by kind of referring organisation',
    rows: { name: 'referrer', categories: ORGANISATION_KINDS },
    query: (q) => sql`SELECT referrer_kind AS r, count(*)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY referrer_kind`,
  },
  {
    name: 'decisions_by_kind_and_outcome',
    title: 'Identification decisions made, by kind and outcome',
    rows: { name: 'decision', categories: ['reasonable_grounds', 'conclusive_grounds', 'reconsideration'] },
    columns: { name: 'outcome', categories: ['positive', 'negative'] },
    query: (q) => sql`SELECT kind AS r, outcome AS c, count(*)::int AS n FROM fact_decision
      WHERE status = 'made' AND decided_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY 1, 2`,
  },
  {
    name: 'service_referrals_by_need_and_status',
    title: 'Service referrals by kind of help and where they stand',
    rows: { name: 'need', categories: NEED_TYPES },
    columns: { name: 'status', categories: SERVICE_REFERRAL_STATUSES },
    query: (q) => sql`SELECT need_type AS r, status AS c, count(*)::int AS n FROM fact_service_referral
      WHERE created_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY 1, 2`,
  },
  {
    name: 'unmet_needs_by_need_and_region',
    title: 'Unmet needs: help a child needed that no service could give',
    rows: { name: 'need', categories: NEED_TYPES },
    columns: { name: 'region', categories: REGIONS.map((r) => r.code) },
    query: (q) => sql`SELECT need_type AS r, region AS c, count(*)::int AS n FROM fact_unmet_need
      WHERE recorded_on BETWEEN ${q.from} AND ${q.to} ${regionFilter(q)} GROUP BY 1, 2`,
  },
];

export interface StatisticsTable {
  name: string;
  title: string;
  table: PublishedTable | ExactTable;
}

export interface StatisticsReport {
  period: StatisticsQuery;
  exact: boolean;
  headline: {
    referrals: PublishedValue | number;
    distinctChildren: PublishedValue | number;
    reasonableGroundsOnTime: PublishedValue | number | null;
  };
  referralsByMonth: PublishedTable | ExactTable;
  tables: StatisticsTable[];
}

function disclosureOptions(ctx: AppContext): DisclosureOptions {
  return { secret: ctx.config.statisticsSecret, method: 'rr3' };
}

async function rows(trx: Transaction<Schema>, query: RawBuilder<{ r: string; c?: string; n: number }>) {
  return (await query.execute(trx)).rows;
}

/**
 * The statistics for a period (and region): every count read from the fact views as the
 * statistics role; published numbers randomly rounded and suppressed, exact ones only on request
 * of authorised staff.
 */
export async function statisticsReport(
  ctx: AppContext,
  query: StatisticsQuery,
  exact: boolean,
): Promise<StatisticsReport> {
  const options = disclosureOptions(ctx);
  // The period and the region filter are part of every cell's labels, so of its rounding seed.
  const fixed = { from: query.from, to: query.to, area: query.region ?? 'all' };
  const protect = (input: TableInput) => (exact ? tabulate(input) : protectTable(input, options));
  return withFacts(ctx, async (trx) => {
    const tables: StatisticsTable[] = [];
    for (const spec of TABLES) {
      const found = await rows(trx, spec.query(query));
      const cells = found.map((row) => ({
        labels: {
          [spec.rows.name]: row.r,
          ...(spec.columns && row.c !== undefined ? { [spec.columns.name]: row.c } : {}),
        },
        count: row.n,
      }));
      // Keep categories the taxonomy knows, and any value the data holds beyond them.
      const extend = (dim: { name: string; categories?: readonly string[] }, key: 'r' | 'c') =>
        dim.categories
          ? {
              name: dim.name,
              categories: [...new Set([...dim.categories, ...found.map((row) => String(row[key]))])],
            }
          : { name: dim.name, categories: [...new Set(found.map((row) => String(row[key])))].sort() };
      tables.push({
        name: spec.name,
        title: spec.title,
        table: protect({
          measure: spec.name,
          fixed,
          rows: extend(spec.rows, 'r'),
          ...(spec.columns ? { columns: extend(spec.columns, 'c') } : {}),
          cells,
        }),
      });
    }

    const monthly = (
      await sql<{
        month: string;
        n: number;
      }>`SELECT to_char(received_on, 'YYYY-MM') AS month, count(*)::int AS n
        FROM fact_referral WHERE received_on BETWEEN ${query.from} AND ${query.to} ${regionFilter(query)}
        GROUP BY 1 ORDER BY 1`.execute(trx)
    ).rows;
    const seriesInput = {
      measure: 'referrals by month',
      fixed,
      points: monthsBetween(query.from, query.to).map((month) => ({
        period: month,
        count: monthly.find((m) => m.month === month)?.n ?? 0,
      })),
    };
    const referralsByMonth = exact
      ? tabulate({
          measure: seriesInput.measure,
          fixed,
          rows: 'period',
          cells: seriesInput.points.map((p) => ({ labels: { period: p.period }, count: p.count })),
          totals: false,
        })
      : protectSeries(seriesInput, options);

    const totals = (
      await sql<{ referrals: number; rg_total: number; rg_on_time: number }>`SELECT
        (SELECT count(*)::int FROM fact_referral WHERE received_on BETWEEN ${query.from} AND ${query.to} ${regionFilter(query)}) AS referrals,
        (SELECT count(*)::int FROM fact_decision WHERE kind = 'reasonable_grounds' AND status = 'made'
          AND decided_on BETWEEN ${query.from} AND ${query.to} ${regionFilter(query)}) AS rg_total,
        (SELECT count(*)::int FROM fact_decision WHERE kind = 'reasonable_grounds' AND status = 'made'
          AND decided_on <= due_on AND decided_on BETWEEN ${query.from} AND ${query.to} ${regionFilter(query)}) AS rg_on_time`.execute(
        trx,
      )
    ).rows[0] ?? { referrals: 0, rg_total: 0, rg_on_time: 0 };
    return { tables, referralsByMonth, totals };
  }).then(async ({ tables, referralsByMonth, totals }) => {
    const children = await distinctChildren(ctx, query);
    const onTime =
      totals.rg_total === 0
        ? null
        : exact
          ? Math.round((1000 * totals.rg_on_time) / totals.rg_total) / 10
          : protectMean(100 * totals.rg_on_time, totals.rg_total);
    return {
      period: query,
      exact,
      headline: {
        referrals: exact
          ? totals.referrals
          : roundCount(totals.referrals, { measure: 'referrals', ...fixed }, options),
        distinctChildren: exact
          ? children
          : roundCount(children, { measure: 'distinct children', ...fixed }, options),
        reasonableGroundsOnTime: onTime,
      },
      referralsByMonth,
      tables,
    };
  });
}
