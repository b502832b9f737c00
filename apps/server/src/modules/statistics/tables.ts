import type { Transaction } from 'kysely';
import {
  protectMean,
  protectMedian,
  protectSeries,
  protectTable,
  recordKeySalt,
  roundCount,
  tabulate,
  type DisclosureOptions,
  type ExactTable,
  type Labels,
  type PublishedTable,
  type PublishedValue,
  type TableInput,
} from '@tiaki/disclosure';
import {
  CLOSURE_REASON_CODES,
  CURRENT_TAXONOMY,
  NEED_TYPES,
  ORGANISATION_KINDS,
  REGIONS,
  SERVICE_REFERRAL_STATUSES,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { cachedStatistic } from './cache.ts';
import type { Schema } from '../../db/schema.ts';
import { distinctChildren, withFacts, type Period } from './facts.ts';
import { monthsBetween } from './periods.ts';
import { EQUITY_TABLES, equityMedians, type EquityMedians } from './equity.ts';
import { JUSTICE_TABLES } from './justice.ts';
import { periodRelease, referralCube } from './release.ts';
import {
  casesClosedByReason,
  childrenByAgeAndGender,
  childrenByEthnicity,
  countChildrenByMonth,
  childrenByPrioritisedEthnicity,
  childrenReceivingServicesByNeed,
  decisionsByKindAndOutcome,
  referralsByContext,
  referralsByManifestation,
  countReferralsByMonth,
  referralsByPoliceDistrict,
  referralsByReferrer,
  referralsByRegion,
  referralsInYear,
  reportTotals,
  serviceReferralsByNeedAndStatus,
  unmetNeedsByNeedAndRegion,
  type TableQuery,
  type Totals,
} from './queries/tables.ts';

export interface StatisticsQuery extends Period {
  region?: string | undefined;
}

/** Each table: its name, a plain title, and how to count it from the fact views. */
export interface TableSpec {
  name: string;
  title: string;
  rows: { name: string; categories: readonly string[] };
  columns?: { name: string; categories: readonly string[] };
  /** Counts it (queries/tables.ts): rows of (row label, column label?, count, cell key: the sum of the records' keys). */
  query: TableQuery;
}

const codes = (list: readonly { code: string }[]) => list.map((x) => x.code);

export const TABLES: readonly TableSpec[] = [
  {
    name: 'referrals_by_manifestation',
    title: 'Referrals by form of exploitation (a referral may name several)',
    rows: { name: 'manifestation', categories: codes(CURRENT_TAXONOMY.manifestations) },
    query: referralsByManifestation,
  },
  {
    name: 'children_by_age_and_gender',
    title: 'Children referred, by age band and gender',
    rows: { name: 'age band', categories: codes(CURRENT_TAXONOMY.ageBands) },
    columns: { name: 'gender', categories: codes(CURRENT_TAXONOMY.genders) },
    query: childrenByAgeAndGender,
  },
  {
    name: 'children_by_ethnicity',
    title: 'Children referred, by ethnicity (total response: a child is counted in each group recorded)',
    rows: {
      name: 'ethnicity',
      categories: CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 1).map((e) => e.code),
    },
    query: childrenByEthnicity,
  },
  {
    name: 'children_by_prioritised_ethnicity',
    title:
      'Children referred, by prioritised ethnicity (one group per child: Māori, then Pacific, Asian, MELAA, Other, European)',
    rows: {
      name: 'ethnicity',
      categories: CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 1).map((e) => e.code),
    },
    query: childrenByPrioritisedEthnicity,
  },
  {
    name: 'referrals_by_context',
    title: 'Referrals by context of the exploitation (a referral may name several)',
    rows: { name: 'context', categories: codes(CURRENT_TAXONOMY.contexts) },
    query: referralsByContext,
  },
  {
    name: 'referrals_by_region',
    title: 'Referrals by region',
    rows: { name: 'region', categories: REGIONS.map((r) => r.code) },
    query: referralsByRegion,
  },
  {
    name: 'referrals_by_police_district',
    title: 'Referrals by Police district',
    rows: { name: 'police district', categories: codes(CURRENT_TAXONOMY.policeDistricts) },
    query: referralsByPoliceDistrict,
  },
  {
    name: 'referrals_by_referrer',
    title: 'Referrals by kind of referring organisation',
    rows: { name: 'referrer', categories: ORGANISATION_KINDS },
    query: referralsByReferrer,
  },
  {
    name: 'decisions_by_kind_and_outcome',
    title: 'Identification decisions made, by kind and outcome',
    rows: { name: 'decision', categories: ['reasonable_grounds', 'conclusive_grounds', 'reconsideration'] },
    columns: { name: 'outcome', categories: ['positive', 'negative'] },
    query: decisionsByKindAndOutcome,
  },
  {
    name: 'service_referrals_by_need_and_status',
    title: 'Service referrals by kind of help and where they stand',
    rows: { name: 'need', categories: NEED_TYPES },
    columns: { name: 'status', categories: SERVICE_REFERRAL_STATUSES },
    query: serviceReferralsByNeedAndStatus,
  },
  {
    name: 'unmet_needs_by_need_and_region',
    title: 'Unmet needs: help a child needed that no service could give',
    rows: { name: 'need', categories: NEED_TYPES },
    columns: { name: 'region', categories: REGIONS.map((r) => r.code) },
    query: unmetNeedsByNeedAndRegion,
  },
  // Prosecutions and equity (issue 15): their own files.
  ...JUSTICE_TABLES,
  ...EQUITY_TABLES,
];

const NO_TOTALS: Totals = {
  referrals: 0,
  referrals_key: 0,
  children_key: 0,
  rg_total: 0,
  rg_on_time: 0,
  rg_median_days: null,
  accepted_total: 0,
  wait_median_days: null,
};

/** Tables the OPSC / CRC reporting pack adds to the dashboard's: outcomes and services received. */
export const OUTCOME_TABLES: readonly TableSpec[] = [
  {
    name: 'cases_closed_by_reason',
    title: "Children's cases closed, by reason",
    rows: { name: 'closure reason', categories: CLOSURE_REASON_CODES },
    query: casesClosedByReason,
  },
  {
    name: 'children_receiving_services_by_need',
    title: 'Children who received specialist services, by kind of help (engaged with or completed)',
    rows: { name: 'need', categories: NEED_TYPES },
    query: childrenReceivingServicesByNeed,
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
    reasonableGroundsMedianDays: PublishedValue | number | null;
    serviceWaitMedianDays: PublishedValue | number | null;
  };
  referralsByMonth: PublishedTable | ExactTable;
  childrenByMonth: PublishedTable | ExactTable;
  tables: StatisticsTable[];
  /** Medians for tamariki Māori beside Pacific and other children (equity.ts). */
  equity: EquityMedians[];
}

/**
 * Counts each table from the fact views (inside `withFacts`) and protects it: categories the
 * taxonomy knows come first, then any value the data holds beyond them.
 */
export async function countTables(
  trx: Transaction<Schema>,
  specs: readonly TableSpec[],
  query: StatisticsQuery,
  protect: (input: TableInput) => PublishedTable | ExactTable,
  fixed: Labels,
  salt: string,
): Promise<StatisticsTable[]> {
  const tables: StatisticsTable[] = [];
  for (const spec of specs) {
    const found = (await spec.query(query, salt).execute(trx)).rows;
    const cells = found.map((row) => ({
      labels: {
        [spec.rows.name]: row.r,
        ...(spec.columns && row.c !== undefined ? { [spec.columns.name]: row.c } : {}),
      },
      count: row.n,
      key: row.k,
    }));
    const extend = (dim: { name: string; categories: readonly string[] }, key: 'r' | 'c') => ({
      name: dim.name,
      categories: [...new Set([...dim.categories, ...found.map((row) => String(row[key]))])],
    });
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
  return tables;
}

/** The period and region filter are part of every cell's labels, so of its rounding seed. */
export function cellLabels(query: StatisticsQuery): Labels {
  return { from: query.from, to: query.to, area: query.region ?? 'all' };
}

/** Zeros in a table adding to fewer than this are suppressed too (see docs/disclosure.md). */
export const PROTECT_ZEROS_BELOW = 20;

/**
 * Whether an area's calendar year holds fewer than PROTECT_ZEROS_BELOW referrals: then its empty
 * months (and an empty headline) are suppressed like small ones, whichever period is asked for,
 * so that 0 against `*` never shows in which month a few children were referred.
 */
export async function isSmallYear(
  trx: Transaction<Schema>,
  year: string,
  region: string | undefined,
): Promise<boolean> {
  return (await referralsInYear(trx, year, region)) < PROTECT_ZEROS_BELOW;
}

const zeroHidden: PublishedValue = { suppressed: true, reason: 'primary' };

export function disclosureOptions(ctx: AppContext): DisclosureOptions {
  return { secret: ctx.config.statisticsSecret, method: 'rr3', protectZerosBelow: PROTECT_ZEROS_BELOW };
}

/** The salt each record's fixed key is made with (cell-key method), from the release secret. */
export function keySalt(ctx: AppContext): string {
  return recordKeySalt(ctx.config.statisticsSecret);
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
  const { from, to, region } = query;
  return cachedStatistic(
    ctx,
    `report:${JSON.stringify({ from, to, region, exact })}`,
    () => computeStatisticsReport(ctx, query, exact),
    { keep: !exact },
  );
}

async function computeStatisticsReport(
  ctx: AppContext,
  query: StatisticsQuery,
  exact: boolean,
): Promise<StatisticsReport> {
  const options = disclosureOptions(ctx);
  const fixed = cellLabels(query);
  const salt = keySalt(ctx);
  const protect = (input: TableInput) => (exact ? tabulate(input) : protectTable(input, options));
  // Published: every table of the period is protected with the nation's and every region's
  // (release.ts), so the exact count here is needed for exact figures only.
  const release = exact ? null : await periodRelease(ctx, { from: query.from, to: query.to });
  const area = release?.get(query.region ?? 'all');
  const cube = exact ? null : await referralCube(ctx, query.from.slice(0, 4));
  return withFacts(ctx, async (trx) => {
    const tables = area ? area.tables : await countTables(trx, TABLES, query, protect, fixed, salt);

    const monthly = await countReferralsByMonth(trx, query, salt);
    const monthlyChildren = await countChildrenByMonth(trx, query, salt);
    // Zeros of an area's months and headline are protected by the area's calendar year, never by
    // the period asked: a year of fewer than 20 referrals shows its empty months as `*` too.
    const smallYear = await isSmallYear(trx, query.from.slice(0, 4), query.region);
    const seriesOptions = { ...options, protectZerosBelow: smallYear ? Number.MAX_SAFE_INTEGER : 0 };
    // Every month of the period, empty ones as published zeros.
    const byMonth = (measure: string, found: readonly { month: string; n: number; k: number }[]) => {
      const points = monthsBetween(query.from, query.to).map((month) => {
        const row = found.find((m) => m.month === month);
        return { period: month, count: row?.n ?? 0, key: row?.k ?? 0 };
      });
      return exact
        ? tabulate({
            measure,
            fixed,
            rows: 'period',
            cells: points.map((p) => ({ labels: { period: p.period }, count: p.count })),
            totals: false,
          })
        : protectSeries({ measure, fixed, points }, seriesOptions);
    };
    // Each month's referrals as the year's referral cube decided them (release.ts), in every output.
    const fromCube = (t: PublishedTable | ExactTable): PublishedTable | ExactTable =>
      'exact' in t || cube === null || query.from.slice(0, 4) !== query.to.slice(0, 4)
        ? t
        : {
            ...t,
            body: t.rows.categories.map((m, i) => [
              cube.get(`${m}|${query.region ?? 'all'}`) ?? t.body[i]?.[0] ?? zeroHidden,
            ]),
          };
    const referralsByMonth = fromCube(byMonth('referrals by month', monthly));
    // Children linked by people (one case) count once in a month; see distinctChildren for the rest.
    const childrenByMonth = byMonth('children by month', monthlyChildren);

    const totals = (await reportTotals(trx, query, salt)) ?? NO_TOTALS;
    const equity = await equityMedians(trx, query, exact);
    return { tables, referralsByMonth, childrenByMonth, totals, smallYear, equity };
  }).then(async ({ tables, referralsByMonth, childrenByMonth, totals, smallYear, equity }) => {
    const zero: PublishedValue = { suppressed: true, reason: 'primary' };
    const headlineCount = (raw: number, measure: string, key: number): PublishedValue =>
      raw === 0 && smallYear ? zero : roundCount(raw, { measure, ...fixed }, options, key);
    const children = exact || !area ? await distinctChildren(ctx, query) : 0;
    // Medians of fewer than 20 values would be one child's own value: suppressed (exact for staff).
    const median = (value: number | null, units: number) =>
      value === null ? null : exact ? value : protectMedian(value, units);
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
          : (area?.referrals ?? headlineCount(totals.referrals, 'referrals', totals.referrals_key)),
        distinctChildren: exact
          ? children
          : (area?.children ?? headlineCount(children, 'distinct children', totals.children_key)),
        reasonableGroundsOnTime: onTime,
        reasonableGroundsMedianDays: median(totals.rg_median_days, totals.rg_total),
        serviceWaitMedianDays: median(totals.wait_median_days, totals.accepted_total),
      },
      referralsByMonth,
      childrenByMonth,
      tables,
      equity,
    };
  });
}
