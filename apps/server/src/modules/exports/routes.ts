import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, htcdsExportQuery } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { htcdsCsv } from './htcds.ts';

export function exportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/exports/htcds', {
    config: { access: 'exports.htcds' },
    schema: {
      operationId: 'exportHtcds',
      summary:
        'IOM HTCDS v2.0 CSV, one row per child whose lawful basis allows it; identity never included (audited)',
      description:
        'The IOM Human Trafficking Case Data Standard (HTCDS) v2.0 as CSV for a period: one row of de-identified case facts per child whose lawful basis allows sharing it; names and identity are never included. The x-tiaki-rows and x-tiaki-left-out headers count the rows written and the children left out. Audited.',
      querystring: htcdsExportQuery,
      response: { 200: z.string().describe('CSV'), 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request, reply) => {
      requireAuth(request);
      const { from, to } = request.query;
      const { csv, report } = await htcdsCsv(ctx, request.actor, { from, to });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="htcds-${from ?? 'start'}-${to ?? 'today'}.csv"`)
        .header('x-tiaki-rows', String(report.rows))
        .header('x-tiaki-left-out', String(report.leftOutLawfulBasis + report.leftOutScreenedOut))
        .send(csv);
    },
  });
}
