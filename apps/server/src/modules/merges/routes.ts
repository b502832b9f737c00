import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, idParams, mergeCasesInput, unmergeInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import { mergeCases, unmergeCases } from './service.ts';

/** Merging two cases of the same child, and undoing it exactly. */
export function mergeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.post('/api/cases/:id/merge', {
    config: { access: 'cases.manage' },
    schema: {
      tags,
      summary: 'Merge another case of the same child into this one (reversible; nothing is deleted)',
      params: idParams,
      body: mergeCasesInput,
      response: { 200: z.object({ mergeId: z.uuid() }), ...writeErrors },
    },
    handler: (request) =>
      mergeCases(ctx, requireAuth(request), request.actor, request.params.id, request.body),
  });

  action(
    {
      url: '/api/case-merges/:id/unmerge',
      access: 'cases.manage',
      tags,
      summary: 'Undo a merge exactly: the merged case reopens with its own records',
      params: idParams,
      body: unmergeInput,
    },
    ({ auth, actor, params, body }) => unmergeCases(ctx, auth, actor, params.id, body.reason),
  );
}
