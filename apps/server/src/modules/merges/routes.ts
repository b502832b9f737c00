import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiError, casesMerged, idParams, mergeCasesInput, unmergeInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import { mergeCases, unmergeCases } from './service.ts';

/** Merging two cases of the same child, and undoing it exactly. */
export function mergeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.post('/api/cases/:id/merge', {
    config: { access: 'cases.manage' },
    schema: {
      summary: 'Merge another case of the same child into this one (reversible; nothing is deleted)',
      operationId: 'mergeCases',
      description:
        "Merges another case about the same child into this one: the other case closes (merged with another case) and its child record and referrals move to this one. Nothing is deleted, and the merge can be undone exactly. Send this case's version: a stale one is refused with 409.",
      params: idParams,
      body: mergeCasesInput,
      response: { 200: casesMerged, ...writeErrors },
    },
    handler: (request) =>
      mergeCases(ctx, requireAuth(request), request.actor, request.params.id, request.body),
  });

  action(
    {
      url: '/api/case-merges/:id/unmerge',
      access: 'cases.manage',
      summary: 'Undo a merge exactly: the merged case reopens with its own records',
      operationId: 'unmergeCases',
      description:
        'Undoes a merge exactly, with a written reason: the merged case reopens with its own referrals and records.',
      params: idParams,
      body: unmergeInput,
    },
    ({ auth, actor, params, body }) => unmergeCases(ctx, auth, actor, params.id, body.reason),
  );
}
