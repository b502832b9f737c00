import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCsv, type PublishedTable } from '@tiaki/disclosure';
import { apiError, statisticsQuery, statisticsReport, type StatisticsReportView } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { statisticsReport as buildReport, TABLES } from './tables.ts';

export function statisticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['statistics'];

  r.get('/api/statistics', {
    config: { access: 'statistics.read' },
    schema: {
      tags,
      summary: 'De-identified statistics for a period: rounded and suppressed (exact for authorised staff)',
      querystring: statisticsQuery,
      response: { 200: statisticsReport, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      const auth = requireAuth(request);
      const exact = request.query.exact === 'true';
      if (exact && !auth.permissions.has('statistics.exact'))
        throw new HttpError(
          403,
          'forbidden',
          'Exact numbers are for authorised staff only; published numbers are rounded.',
        );
      const { exact: _, ...period } = request.query;
      // The disclosure package's readonly table shapes, as the schema describes them.
      return (await buildReport(ctx, period, exact)) as unknown as StatisticsReportView;
    },
  });

  r.get('/api/statistics/tables/:name/csv', {
    config: { access: 'statistics.read' },
    schema: {
      tags,
      summary: 'One published table as CSV (rounded and suppressed, with a footnote on the rules)',
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
}
