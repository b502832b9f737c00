import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  breakGlassByReferenceInput,
  breakGlassEntry,
  breakGlassInput,
  breakGlassReviewInput,
  idParams,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import * as breakGlass from './service.ts';

/** Break-glass: a supervisor’s emergency read access to a case, with a reason, flagged and reviewed. */
export function breakGlassRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.post('/api/cases/:id/break-glass', {
    config: { access: 'cases.break_glass' },
    schema: {
      tags,
      summary: 'Emergency read access to a case, with a written reason; flagged for review',
      params: idParams,
      body: breakGlassInput,
      response: { 201: z.object({ expiresAt: z.iso.datetime() }), ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await breakGlass.breakGlass(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body.reason,
          ),
        ),
  });

  r.post('/api/break-glass', {
    config: { access: 'cases.break_glass' },
    schema: {
      tags,
      summary: 'Emergency read access to a case named by its reference; flagged for review',
      body: breakGlassByReferenceInput,
      response: { 201: z.object({ caseId: z.uuid(), expiresAt: z.iso.datetime() }), ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await breakGlass.breakGlassByReference(
            ctx,
            requireAuth(request),
            request.actor,
            request.body.caseReference,
            request.body.reason,
          ),
        ),
  });

  r.get('/api/break-glass', {
    config: { access: 'break_glass.review' },
    schema: {
      tags,
      summary: 'Break-glass accesses for review (pending first)',
      querystring: z.strictObject({ pending: z.enum(['true', 'false']).default('true') }),
      response: { 200: z.object({ entries: z.array(breakGlassEntry) }), ...denied },
    },
    handler: async (request) => ({
      entries: await breakGlass.listBreakGlass(ctx, request.query.pending === 'true'),
    }),
  });

  action(
    {
      url: '/api/break-glass/:id/review',
      access: 'break_glass.review',
      tags,
      summary: 'Record the review of a break-glass access',
      params: idParams,
      body: breakGlassReviewInput,
    },
    ({ auth, actor, params, body }) => breakGlass.reviewBreakGlass(ctx, auth, actor, params.id, body),
  );
}
