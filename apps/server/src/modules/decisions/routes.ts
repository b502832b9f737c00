import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  assignDecisionInput,
  convenePanelInput,
  deadlineBoardQuery,
  deadlineItem,
  decideInput,
  idParams,
  panelViewInput,
  reconsiderationInput,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import {
  assignDecision,
  convenePanel,
  deadlineBoard,
  decide,
  recordPanelView,
  requestReconsideration,
} from './service.ts';

/** Identification decisions: the deadline board, deciding, panels and reconsideration. */
export function decisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['decisions'];
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/decisions/board', {
    config: { access: 'cases.read' },
    schema: {
      tags: tags,
      summary: 'Deadline board: pending identification decisions, due soon, overdue, by decision maker',
      querystring: deadlineBoardQuery,
      response: { 200: z.object({ decisions: z.array(deadlineItem) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({
      decisions: await deadlineBoard(ctx, requireAuth(request), request.query),
    }),
  });

  action(
    {
      url: '/api/decisions/:id/decide',
      access: 'decisions.make',
      tags: tags,
      summary:
        'Record the outcome, rationale and evidence of a decision (one decider wins; the other is told)',
      params: idParams,
      body: decideInput,
    },
    ({ auth, actor, params, body }) => decide(ctx, auth, actor, params.id, body),
  );

  action(
    {
      url: '/api/decisions/:id/assign',
      access: 'decisions.make',
      tags: tags,
      summary: 'Assign a decision to a decision maker',
      params: idParams,
      body: assignDecisionInput,
    },
    ({ auth, actor, params, body }) =>
      assignDecision(ctx, auth, actor, params.id, body.assigneeId, body.version),
  );

  action(
    {
      url: '/api/decisions/:id/panel',
      access: 'decisions.make',
      tags: tags,
      summary: 'Convene a multi-agency panel for this decision',
      params: idParams,
      body: convenePanelInput,
    },
    ({ auth, actor, params, body }) =>
      convenePanel(ctx, auth, actor, params.id, body.memberIds, body.version),
  );

  action(
    {
      url: '/api/decisions/:id/views',
      access: 'cases.read',
      tags: tags,
      summary: 'As a panel member, record your view',
      params: idParams,
      body: panelViewInput,
    },
    ({ auth, actor, params, body }) => recordPanelView(ctx, auth, actor, params.id, body),
  );

  r.post('/api/decisions/:id/reconsideration', {
    config: { access: 'cases.read' },
    schema: {
      tags: tags,
      summary: 'Request a reconsideration of a negative decision (within 30 days), with grounds',
      params: idParams,
      body: reconsiderationInput,
      response: { 201: z.object({ decisionId: z.uuid() }), ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestReconsideration(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body.grounds,
          ),
        ),
  });
}
