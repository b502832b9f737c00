import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCsv, type PublishedTable } from '@tiaki/disclosure';
import {
  apiError,
  created,
  seriesImportInput,
  statisticsEventInput,
  statisticsQuery,
  statisticsReport,
  type StatisticsReportView,
  trendsReport,
} from '@tiaki/domain';
import { addEvent, importSeries, trends } from './trends.ts';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import type { AuthContext } from '../auth/index.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { statisticsReport as buildReport, TABLES } from './tables.ts';

/** The period asked for, and whether exact numbers were asked for and are allowed (403 if not). */
function periodAndExactness(auth: AuthContext, query: z.output<typeof statisticsQuery>) {
  const { exact: asked, ...period } = query;
  const exact = asked === 'true';
  if (exact && !auth.permissions.has('statistics.exact'))
    throw new HttpError(
      403,
      'forbidden',
      'Exact numbers are for authorised staff only; published numbers are rounded.',
    );
  return { period, exact };
}

export function statisticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/statistics', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatistics',
      summary: 'De-identified statistics for a period: rounded and suppressed (exact for authorised staff)',
      description:
        'Counts of referrals, children, decisions, services and outcomes for a period, from de-identified facts only. Every number is randomly rounded and small cells are suppressed; with exact=true, people whose roles grant statistics.exact (data stewards) see exact numbers, and anyone else is refused with 403.',
      querystring: statisticsQuery,
      response: { 200: statisticsReport, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      const { period, exact } = periodAndExactness(requireAuth(request), request.query);
      // The disclosure package's readonly table shapes, as the schema describes them.
      return (await buildReport(ctx, period, exact)) as unknown as StatisticsReportView;
    },
  });

  r.get('/api/statistics/tables/:name/csv', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatisticsTableCsv',
      summary: 'One published table as CSV (rounded and suppressed, with a footnote on the rules)',
      description:
        'One table of the statistics report for a period as a CSV file, always rounded and suppressed as published, with a footnote on the rules applied. An unknown table name answers 404.',
      params: z.strictObject({ name: z.string().max(64) }),
      querystring: statisticsQuery,
      response: {
        200: z.string().describe('CSV'),
        400: apiError,
        401: apiError,
        403: apiError,
        404: apiError,
      },
    },
    handler: async (request, reply) => {
      requireAuth(request);
      if (!TABLES.some((t) => t.name === request.params.name)) throw notFound('That table');
      const { exact: _, ...period } = request.query;
      const report = await buildReport(ctx, period, false);
      const table = report.tables.find((t) => t.name === request.params.name);
      if (!table) throw notFound('That table');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${request.params.name}_${period.from}_${period.to}.csv"`,
        )
        .send(toCsv(table.table as PublishedTable));
    },
  });

  r.get('/api/statistics/trends', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getStatisticsTrends',
      summary:
        'Referrals by month with a seasonal baseline, school and public holidays, events and imported series',
      description:
        'Referrals by month for a period with a seasonal baseline, school terms and public holidays, named events and imported series to compare against, rounded and suppressed like every published number (exact for data stewards who ask).',
      querystring: statisticsQuery,
      response: { 200: trendsReport, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      const { period, exact } = periodAndExactness(requireAuth(request), request.query);
      return trends(ctx, period, exact);
    },
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
