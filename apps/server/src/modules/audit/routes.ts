import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, auditEvent, auditQuery, auditVerification } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { listAuditEvents } from './queries.ts';
import { chainFieldsOf, recordAudit, verifyAuditChain } from './service.ts';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];

  r.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags,
      summary: 'Read the audit log, newest first',
      querystring: auditQuery,
      response: {
        200: z.object({ events: z.array(auditEvent) }),
        400: apiError,
        401: apiError,
        403: apiError,
      },
    },
    handler: async (request) => {
      const rows = await listAuditEvents(ctx.db, request.query);
      // Reading the audit log is itself recorded: who looked at whose activity.
      await ctx.db.transaction().execute((trx) =>
        recordAudit(trx, request.actor, {
          action: 'audit.viewed',
          details: { filter: request.query, returned: rows.length },
        }),
      );
      return {
        events: rows.map((row) => {
          const { prevHash: _prevHash, occurredAt, ...fields } = chainFieldsOf(row);
          return { ...fields, occurredAt: occurredAt.toISOString() };
        }),
      };
    },
  });

  r.get('/api/audit/verify', {
    config: { access: 'audit.verify' },
    schema: {
      tags,
      summary: 'Check the whole audit hash chain',
      response: { 200: auditVerification, 401: apiError, 403: apiError },
    },
    handler: () => verifyAuditChain(ctx.db),
  });
}
