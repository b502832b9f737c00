// The matching model screen of data stewards (issue 16, learning from reviewers).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  activateModelInput,
  apiError,
  learntModel,
  matchingModelView,
  modelInUse,
  reestimateModelInput,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { activateModel, modelOverview, reestimateModel } from './learning.ts';

export function linkageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/linkage/model', {
    config: { access: 'linkage.model' },
    schema: {
      operationId: 'getMatchingModel',
      summary: 'The matching model: reviews so far, the version in use and every version (data stewards)',
      description:
        'How many "same child" and "not the same child" decisions triage has recorded, how many of each are needed before the model can learn from them, which model new matching uses (the built-in one or a version learnt from reviews), and every version with who made it, when, and its before/after precision, recall and F1 on the reviews (cross-validated). Nothing identifies a child.',
      response: { 200: matchingModelView, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return modelOverview(ctx);
    },
  });

  r.post('/api/linkage/model/reestimate', {
    config: { access: 'linkage.model' },
    schema: {
      operationId: 'reestimateMatchingModel',
      summary: 'Learn a new version of the matching model from the reviews (not yet in use)',
      description:
        'Re-estimates the matching model from every review so far, starting from the built-in model, and keeps it (encrypted) as a candidate version with its before/after figures. It is not used until a data steward puts it in use. 409 when there are fewer than the minimum of either kind of decision. Audited.',
      body: reestimateModelInput,
      response: {
        201: learntModel,
        401: apiError,
        403: apiError,
        409: apiError,
      },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await reestimateModel(ctx, requireAuth(request), request.actor)),
  });

  r.post('/api/linkage/model/activate', {
    config: { access: 'linkage.model' },
    schema: {
      operationId: 'activateMatchingModel',
      summary:
        'Put a version of the matching model in use, or go back to an earlier one or the built-in model',
      description:
        'New matching uses this version from now on (`built-in` for the model Tiaki ships with); suggestions already made keep their scores until they are scored again. Audited.',
      body: activateModelInput,
      response: {
        200: modelInUse,
        400: apiError,
        401: apiError,
        403: apiError,
        404: apiError,
      },
    },
    handler: async (request) =>
      activateModel(ctx, requireAuth(request), request.actor, request.body.versionId),
  });
}
