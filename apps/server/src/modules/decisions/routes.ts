import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  apiError,
  assignDecisionInput,
  convenePanelInput,
  deadlineBoardQuery,
  pageOf,
  deadlineItem,
  decideInput,
  idParams,
  panelViewInput,
  reconsiderationInput,
  reconsiderationRequested,
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
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/decisions/board', {
    config: { access: 'cases.read' },
    schema: {
      summary: 'Deadline board: pending identification decisions, due soon, overdue, by decision maker',
      operationId: 'getDecisionBoard',
      description:
        'Pending reasonable-grounds and conclusive-grounds decisions on cases you may see, with their due dates counted in working days, one page at a time (`page`, `pageSize` up to 100): the most urgent first, or sorted by `sort` (due, reference, kind, region) and `dir`; all of them, those due soon or those overdue (`view`), `mine`, `overdue`, `dueThisWeek`, by decision maker (me, unassigned or a person) and part of a case reference (`q`). `total` counts every matching decision.',
      querystring: deadlineBoardQuery,
      response: { 200: pageOf(deadlineItem), 400: apiError, ...denied },
    },
    handler: (request) => deadlineBoard(ctx, requireAuth(request), request.query),
  });

  action(
    {
      url: '/api/decisions/:id/decide',
      access: 'decisions.make',
      summary:
        'Record the outcome, rationale and evidence of a decision (one decider wins; the other is told)',
      operationId: 'recordDecision',
      description:
        "Records a decision's outcome (positive or negative), rationale and the evidence relied on. A positive reasonable-grounds decision starts the recovery period before the conclusive-grounds decision. Send the version you read: when two decide at once, the first wins and the other is refused with 409.",
      params: idParams,
      body: decideInput,
      wording: ['rationale'],
    },
    ({ auth, actor, params, body }) => decide(ctx, auth, actor, params.id, body),
  );

  action(
    {
      url: '/api/decisions/:id/assign',
      access: 'decisions.make',
      summary: 'Assign a decision to a decision maker',
      operationId: 'assignDecision',
      description:
        'Assigns a pending decision to a decision maker, or unassigns it. Send the version you read: a stale one is refused with 409.',
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
      summary: 'Convene a multi-agency panel for this decision',
      operationId: 'convenePanel',
      description:
        'Convenes a multi-agency panel for a pending decision: its members are asked for their view before the decision is made.',
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
      summary: 'As a panel member, record your view',
      operationId: 'recordPanelView',
      description:
        "As a member of the decision's panel, records your view (positive or negative) with a comment. Anyone not on the panel is answered 404.",
      params: idParams,
      body: panelViewInput,
      wording: ['comment'],
    },
    ({ auth, actor, params, body }) => recordPanelView(ctx, auth, actor, params.id, body),
  );

  r.post('/api/decisions/:id/reconsideration', {
    config: { access: 'cases.read', wording: ['grounds'] },
    schema: {
      summary: 'Request a reconsideration of a negative decision (within 30 days), with grounds',
      operationId: 'requestReconsideration',
      description:
        'Requests a reconsideration of a negative decision, with grounds, within the window after it (RECONSIDERATION_WINDOW_DAYS, 30 days by default); opens a new decision to be made.',
      params: idParams,
      body: reconsiderationInput,
      response: { 201: reconsiderationRequested, ...writeErrors },
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
