import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCsv, type PublishedTable } from '@tiaki/disclosure';
import {
  apiError,
  created,
  dataQualityQuery,
  dataQualityReport,
  seriesImportInput,
  statisticsEventInput,
  statisticsQuery,
  statisticsReport,
  type StatisticsReportView,
  trendsReport,
  weeklyTrendsReport,
  iwiAccess as iwiAccessView,
  iwiAnnexInput,
  iwiAnnexes,
  iwiGrantInput,
  iwiGrants,
  iwiQuery,
  iwiReport,
} from '@tiaki/domain';
import { addEvent, importSeries, trends } from './trends.ts';
import { requireWholeWeeks, WEEKLY_THRESHOLD, weeklyTrends } from './weeks.ts';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import type { AuthContext } from '../auth/index.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { statisticsReport as buildReport, TABLES } from './tables.ts';
import { requireStandardPeriod, requireWholeMonths } from './periods.ts';
import { categoryLabel } from './labels.ts';
import { dataQuality } from './quality.ts';
import { spendQueryBudget } from './budget.ts';
import {
  approveIwiAnnex,
  grantIwiAccess,
  iwiAccess,
  iwiStatistics,
  listIwiAnnexes,
  listIwiGrants,
  revokeIwiAccess,
  withdrawIwiAnnex,
} from './iwi.ts';

/** What a statistics query asks for, without its answer: the output, the period and the area. */
const shapeOf = (output: string, p: { from: string; to: string; region?: string | undefined }) =>
  `${output}|${p.from}|${p.to}|${p.region ?? 'all'}`;

/**
 * The period asked for, and whether exact numbers were asked for and are allowed (403 if not).
 * Published numbers are for standard periods only (`standard`: a month, quarter or year; `months`:
 * whole months, each a cell of its own); any dates are for the exact view of data stewards.
 */
function periodAndExactness(
  auth: AuthContext,
  query: z.output<typeof statisticsQuery>,
  periods: 'standard' | 'months' | 'weeks',
) {
  const { exact: asked, ...period } = query;
  const exact = asked === 'true';
  if (exact && !auth.permissions.has('statistics.exact'))
    throw new HttpError(
      403,
      'forbidden',
      'Exact numbers are for authorised staff only; published numbers are rounded.',
    );
  if (!exact) {
    if (periods === 'standard') requireStandardPeriod(period);
    else if (periods === 'weeks') requireWholeWeeks(period);
    else requireWholeMonths(period);
  }
  return { period, exact };
}

/** What a published read may answer besides its report: a bad period, not signed in, not allowed, past the budget. */
const READ_ERRORS = { 400: apiError, 401: apiError, 403: apiError, 429: apiError };

/**
 * The handler of a published statistics read (`output`): the period checked as `periods` says,
 * exact numbers only for those allowed, one query of the person's daily budget spent on the
 * read's shape, then `answer` for the period.
 */
function publishedRead<T>(
  ctx: AppContext,
  output: string,
  periods: 'standard' | 'months' | 'weeks',
  answer: (period: ReturnType<typeof periodAndExactness>['period'], exact: boolean) => Promise<T>,
) {
  return async (request: FastifyRequest & { query: z.output<typeof statisticsQuery> }): Promise<T> => {
    const auth = requireAuth(request);
    const { period, exact } = periodAndExactness(auth, request.query, periods);
    await spendQueryBudget(ctx, auth, request.actor, shapeOf(output, period));
    return answer(period, exact);
  };
}

export function statisticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/statistics', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatistics',
      summary: 'De-identified statistics for a period: rounded and suppressed (exact for authorised staff)',
      description:
        'Counts of referrals, children, decisions, services and outcomes for a period, from de-identified facts only. Published numbers are for a standard period only (one calendar month, quarter or year; anything else answers 400 nonstandard_period naming the periods allowed); every number is randomly rounded by its cell key and small cells are suppressed, with secondary suppression decided for the whole release (every region and overlapping periods); each analyst may ask a limited number of different queries a day (STATS_DAILY_QUERY_BUDGET, 429 statistics_budget_exceeded past it, and an alert in the audit log); with exact=true, for any dates, people whose roles grant statistics.exact (data stewards) see exact numbers, and anyone else is refused with 403.',
      querystring: statisticsQuery,
      response: { 200: statisticsReport, ...READ_ERRORS },
    },
    // The disclosure package's readonly table shapes, as the schema describes them.
    handler: publishedRead(
      ctx,
      'report',
      'standard',
      async (period, exact) => (await buildReport(ctx, period, exact)) as unknown as StatisticsReportView,
    ),
  });

  r.get('/api/statistics/tables/:name/csv', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatisticsTableCsv',
      summary: 'One published table as CSV (rounded and suppressed, with a footnote on the rules)',
      description:
        'One table of the statistics report for a standard period (a month, quarter or year; otherwise 400) as a CSV file, categories in words (region names, not codes), always rounded and suppressed as published, with a footnote on the rules applied. An unknown table name answers 404.',
      params: z.strictObject({ name: z.string().max(64) }),
      querystring: statisticsQuery,
      response: { 200: z.string().describe('CSV'), ...READ_ERRORS, 404: apiError },
    },
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      if (!TABLES.some((t) => t.name === request.params.name)) throw notFound('That table');
      const { exact: _, ...period } = request.query;
      requireStandardPeriod(period);
      // A table of the report, as the report shows it: the same query shape, no new one.
      await spendQueryBudget(ctx, auth, request.actor, shapeOf('report', period));
      const report = await buildReport(ctx, period, false);
      const table = report.tables.find((t) => t.name === request.params.name);
      if (!table) throw notFound('That table');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${request.params.name}_${period.from}_${period.to}.csv"`,
        )
        .send(toCsv(table.table as PublishedTable, { label: categoryLabel }));
    },
  });

  r.get('/api/statistics/data-quality', {
    config: { access: 'statistics.exact' },
    schema: {
      operationId: 'getStatisticsDataQuality',
      summary: 'Data quality of referrals per submitting organisation (data stewards, exact)',
      description:
        'For a standard period (a month like 2026-07, a quarter like 2026Q3 or a year like 2026; anything else 400), per submitting organisation by name: referrals received; how many record a region, gender, ethnicity and form of exploitation; a date of birth or only an estimated age; the median days from the date of the concern to the referral; how many were attached to a child already known or confirmed as a match by linkage; and how many record gender, ethnicity, form of exploitation or citizenship as "other" or not known. Exact counts, for people whose roles grant statistics.exact (data stewards) only, everyone else 403; nothing identifies a child. Each read is audited.',
      querystring: dataQualityQuery,
      response: { 200: dataQualityReport, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return dataQuality(ctx, request.actor, request.query.period);
    },
  });

  r.get('/api/statistics/trends', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatisticsTrends',
      summary:
        'Referrals by month with a seasonal baseline, school and public holidays, events and imported series',
      description:
        'Referrals by month for a period of whole months (otherwise 400 unless exact) with a seasonal baseline, school terms and public holidays, named events and imported series to compare against, rounded and suppressed like every published number (exact for data stewards who ask).',
      querystring: statisticsQuery,
      response: { 200: trendsReport, ...READ_ERRORS },
    },
    handler: publishedRead(ctx, 'trends', 'months', (period, exact) => trends(ctx, period, exact)),
  });

  r.get('/api/statistics/trends/weekly', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatisticsWeeklyTrends',
      summary: 'Referrals by ISO week, with a higher suppression threshold than months',
      description: `Referrals by ISO week (Monday to Sunday) for a period of whole weeks, at most two years (otherwise 400 unless exact). Published weeks are rounded by their cell key like months, weeks under ${WEEKLY_THRESHOLD} are suppressed, and a week touching a month that is suppressed for the area is suppressed too, so weeks never let a hidden month be worked out; exact for data stewards who ask.`,
      querystring: statisticsQuery,
      response: { 200: weeklyTrendsReport, ...READ_ERRORS },
    },
    handler: publishedRead(ctx, 'weekly', 'weeks', (period, exact) => weeklyTrends(ctx, period, exact)),
  });

  r.get('/api/statistics/iwi', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getIwiStatistics',
      summary: 'Iwi-level statistics (Māori data governance group and the people it approves)',
      description:
        'Referrals and children by iwi (total response) and children with any iwi recorded, for the nation and a standard period (a month, quarter or year; otherwise 400), rounded and suppressed like every published count. Only the Māori data governance group (statistics.iwi_govern) and people it has approved, for a purpose and until a date, may ask: anyone else is refused with 403. Each view is audited.',
      querystring: iwiQuery,
      response: { 200: iwiReport, ...READ_ERRORS },
    },
    handler: async (request) => {
      const auth = requireAuth(request);
      const report = await iwiStatistics(ctx, auth, request.actor, request.query);
      await spendQueryBudget(ctx, auth, request.actor, shapeOf('iwi', request.query));
      return report as unknown as z.output<typeof iwiReport>;
    },
  });

  r.get('/api/statistics/iwi/access', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getIwiStatisticsAccess',
      summary: 'Whether I may see iwi-level statistics (and govern who may)',
      description:
        'Whether the person asking belongs to the Māori data governance group, and whether they may see iwi-level statistics today (the group, or an approval in force, with its last day). No figures; the web app shows the iwi screen only to those who may.',
      response: { 200: iwiAccessView, 401: apiError, 403: apiError },
    },
    handler: (request) => iwiAccess(ctx, requireAuth(request)),
  });

  r.get('/api/statistics/iwi/grants', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'listIwiStatisticsGrants',
      summary: 'Who may see iwi-level statistics, and how often each approval was used',
      description:
        'For the Māori data governance group: every approval to see iwi-level statistics (person, organisation, purpose, end date, who approved, withdrawn or not, and the number of views since, from the audit log), and the people who could be approved.',
      response: { 200: iwiGrants, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return listIwiGrants(ctx);
    },
  });

  r.post('/api/statistics/iwi/grants', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'grantIwiStatistics',
      summary: 'Approve a person to see iwi-level statistics (Māori data governance group)',
      description:
        'Approves one person who reads published statistics to see iwi-level statistics, for a stated purpose, until a date at most a year ahead. Audited. A person with an approval in force answers 409.',
      body: iwiGrantInput,
      response: { 201: created, 400: apiError, 401: apiError, 403: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await grantIwiAccess(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.post('/api/statistics/iwi/grants/revoke', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'revokeIwiStatistics',
      summary: 'Withdraw an approval to see iwi-level statistics',
      description:
        'Withdraws an approval at once (audited); withdrawing one already withdrawn changes nothing.',
      body: z.strictObject({ id: z.uuid().describe('The approval to withdraw') }),
      response: {
        200: z.object({ id: z.uuid(), revoked: z.literal(true) }),
        400: apiError,
        401: apiError,
        403: apiError,
        404: apiError,
      },
    },
    handler: async (request) => revokeIwiAccess(ctx, requireAuth(request), request.actor, request.body.id),
  });

  r.get('/api/statistics/iwi/annexes', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'listIwiAnnexApprovals',
      summary: 'Which quarterly bulletins carry an iwi annex (Māori data governance group)',
      description:
        'Every approval of the Māori data governance group to release the iwi annex of a quarterly bulletin (referrals and children by iwi, rounded and suppressed), in force or withdrawn. A bulletin carries the annex only while its quarter has an approval in force.',
      response: { 200: iwiAnnexes, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return listIwiAnnexes(ctx);
    },
  });

  r.post('/api/statistics/iwi/annexes', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'approveIwiAnnex',
      summary: 'Approve the release of the iwi annex of a quarterly bulletin',
      description:
        'The Māori data governance group approves what is released about iwi: from now on the bulletin of this quarter carries the iwi annex. Audited. An approval already in force answers 409.',
      body: iwiAnnexInput,
      response: { 201: created, 400: apiError, 401: apiError, 403: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await approveIwiAnnex(ctx, requireAuth(request), request.actor, request.body.quarter)),
  });

  r.post('/api/statistics/iwi/annexes/withdraw', {
    config: { access: 'statistics.iwi_govern' },
    schema: {
      operationId: 'withdrawIwiAnnex',
      summary: 'Withdraw the approval to release the iwi annex of a quarterly bulletin',
      description:
        'From now on the bulletin of this quarter is built without the iwi annex (copies already downloaded cannot be recalled). Audited; withdrawing when nothing is approved changes nothing.',
      body: iwiAnnexInput,
      response: {
        200: z.object({ quarter: z.string(), withdrawn: z.literal(true) }),
        400: apiError,
        401: apiError,
        403: apiError,
      },
    },
    handler: async (request) =>
      withdrawIwiAnnex(ctx, requireAuth(request), request.actor, request.body.quarter),
  });

  r.post('/api/statistics/events', {
    config: { access: 'statistics.manage' },
    schema: {
      operationId: 'createStatisticsEvent',
      summary: 'Name an event to mark on trends (e.g. a large sporting event)',
      description:
        'Names an event with its dates (for example a large sporting event), to be marked on the trends chart.',
      body: statisticsEventInput,
      response: { 201: created, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await addEvent(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.post('/api/statistics/series', {
    config: { access: 'statistics.manage' },
    schema: {
      operationId: 'importStatisticsSeries',
      summary: 'Import an aggregate series from another source (CSV of date,value) to overlay on trends',
      description:
        'Imports an aggregate monthly series from another source (CSV lines of date,value) to overlay on the trends chart; importing a month again under the same series name replaces its value.',
      body: seriesImportInput,
      response: { 200: z.object({ points: z.number().int() }), 400: apiError, 401: apiError, 403: apiError },
    },
    handler: (request) =>
      importSeries(ctx, requireAuth(request), request.actor, request.body.series, request.body.csv),
  });
}
