import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, auditEvent, auditFilter, auditQuery, auditVerification } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { exportAuditLog, readAuditLog, verifyAuditChain } from './service.ts';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      operationId: 'listAuditEvents',
      summary: 'Read the audit log, newest first',
      description:
        "Audit entries, newest first, filtered by action, the person who acted, the subject and a range of New Zealand days (from, to), and paged with beforeId. Entries hold ids, codes and counts, never narrative; each carries the display name of the staff member who acted (never a child's name). Reading the log is itself audited.",
      querystring: auditQuery,
      response: {
        200: z.object({ events: z.array(auditEvent) }),
        400: apiError,
        401: apiError,
        403: apiError,
      },
    },
    handler: async (request) => ({ events: await readAuditLog(ctx.db, request.actor, request.query) }),
  });

  r.get('/api/audit/export', {
    config: { access: 'audit.read' },
    schema: {
      operationId: 'exportAuditLog',
      summary: 'The filtered audit log as CSV (the export is itself audited)',
      description:
        'The audit entries matching the same filters as the log (action, person, record, New Zealand days from and to), newest first, as a CSV file with a commented header: actions in words and codes, times in New Zealand time, staff display names. At most 10,000 entries (the header says when more matched). Every export is audited as audit.exported.',
      querystring: auditFilter,
      response: {
        200: z.string().describe('CSV with a # comment header'),
        400: apiError,
        401: apiError,
        403: apiError,
      },
    },
    handler: async (request, reply) => {
      const { csv, filename } = await exportAuditLog(ctx.db, request.actor, request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  });

  r.get('/api/audit/verify', {
    config: { access: 'audit.verify' },
    schema: {
      operationId: 'verifyAuditChain',
      summary: 'Check the whole audit hash chain',
      description:
        'Walks the whole hash-chained audit log and answers whether it is intact, how many entries were checked, and the first entry whose content, link or position is wrong.',
      response: { 200: auditVerification, 401: apiError, 403: apiError },
    },
    handler: () => verifyAuditChain(ctx.db),
  });
}
