import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, auditEvent, auditQuery, auditVerification } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { readAuditLog, verifyAuditChain } from './service.ts';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      operationId: 'listAuditEvents',
      summary: 'Read the audit log, newest first',
      description:
        'Audit entries, newest first, filtered by action, the person who acted or the subject, and paged with beforeId. Entries hold ids, codes and counts, never names or narrative. Reading the log is itself audited.',
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
