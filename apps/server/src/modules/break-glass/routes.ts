import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  breakGlassByReferenceGranted,
  breakGlassByReferenceInput,
  breakGlassEntry,
  breakGlassGranted,
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
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.post('/api/cases/:id/break-glass', {
    config: { access: 'cases.break_glass' },
    schema: {
      summary: 'Emergency read access to a case, with a written reason; flagged for review',
      operationId: 'breakGlassIntoCase',
      description:
        "Emergency read access to a case outside one's team, with a written reason: granted at once for a few hours (BREAK_GLASS_HOURS), audited, and flagged for review by a privacy officer.",
      params: idParams,
      body: breakGlassInput,
      response: { 201: breakGlassGranted, ...writeErrors },
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
      summary: 'Emergency read access to a case named by its reference; flagged for review',
      operationId: 'breakGlassByReference',
      description:
        "The same emergency read access, for a case named by its reference (when the case id is not known), with a written reason; answers with the case id and when access ends. A reference alone is guessable, so give the child's date of birth or family name as the record holds it: an unknown reference and a child who does not match both answer 404 with the same message and grant nothing, and each miss is audited (break_glass.not_matched). Audited and flagged for review.",
      body: breakGlassByReferenceInput,
      response: { 201: breakGlassByReferenceGranted, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await breakGlass.breakGlassByReference(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.get('/api/break-glass', {
    config: { access: 'break_glass.review' },
    schema: {
      summary: 'Break-glass accesses for review (pending first)',
      operationId: 'listBreakGlassAccesses',
      description:
        'Break-glass accesses with who, which case, why and when; by default only those not yet reviewed.',
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
      summary: 'Record the review of a break-glass access',
      operationId: 'reviewBreakGlassAccess',
      description: 'Records the review of a break-glass access: justified or not, with an optional note.',
      params: idParams,
      body: breakGlassReviewInput,
    },
    ({ auth, actor, params, body }) => breakGlass.reviewBreakGlass(ctx, auth, actor, params.id, body),
  );
}
