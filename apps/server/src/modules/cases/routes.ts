import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionUpdateInput,
  addTeamMemberInput,
  addTeamOrganisationInput,
  apiError,
  assignDecisionInput,
  breakGlassByReferenceInput,
  breakGlassEntry,
  breakGlassInput,
  breakGlassReviewInput,
  caseDetail,
  caseListQuery,
  caseSummary,
  closeCaseInput,
  mergeCasesInput,
  unmergeInput,
  colleaguesQuery,
  conferenceInput,
  convenePanelInput,
  deadlineBoardQuery,
  deadlineItem,
  decideInput,
  goalInput,
  goalUpdateInput,
  idParams,
  noteInput,
  panelViewInput,
  reconsiderationInput,
  reopenCaseInput,
  teamCandidate,
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
} from './decisions.ts';
import { listColleagues, teamCandidates } from './people.ts';
import { mergeCases, unmergeCases } from './merges.ts';
import * as cases from './service.ts';
import { triageRoutes } from './triage-routes.ts';

const created = z.object({ id: z.uuid() });
const caseItemParams = z.strictObject({ id: z.uuid('Not a valid id'), itemId: z.uuid('Not a valid id') });

/** The national referral mechanism's workflow: triage, cases and identification decisions. */
export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  triageRoutes(app, ctx);
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/cases', {
    config: { access: 'cases.read' },
    schema: {
      tags,
      summary: 'Cases your organisation works on (no names)',
      querystring: caseListQuery,
      response: { 200: z.object({ cases: z.array(caseSummary) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({ cases: await cases.listCases(ctx, requireAuth(request), request.query) }),
  });

  r.get('/api/cases/:id', {
    // Record-level check only: whoever may not see the case is told it does not exist.
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'The whole case with the child’s details (need to know; every read is audited)',
      description: 'Answers 404 both when there is no such case and when you may not see it.',
      params: idParams,
      response: { 200: caseDetail, 404: apiError, ...denied },
    },
    handler: (request) => cases.readCase(ctx, requireAuth(request), request.actor, request.params.id),
  });

  r.get('/api/colleagues', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'People of my organisation who can do a kind of work (to assign it)',
      querystring: colleaguesQuery,
      response: {
        200: z.object({ people: z.array(z.object({ id: z.uuid(), displayName: z.string() })) }),
        400: apiError,
        401: apiError,
      },
    },
    handler: async (request) => ({
      people: await listColleagues(ctx, requireAuth(request), request.query.permission),
    }),
  });

  r.get('/api/cases/:id/team/candidates', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'People of the team’s organisations who can join the case team or a panel',
      params: idParams,
      response: { 200: z.object({ people: z.array(teamCandidate) }), 404: apiError, 401: apiError },
    },
    handler: async (request) => ({
      people: await teamCandidates(ctx, requireAuth(request), request.params.id),
    }),
  });

  action(
    {
      url: '/api/cases/:id/team/organisations',
      access: 'cases.manage',
      tags,
      status: 201,
      summary: 'Add an organisation to the case team, recording the lawful basis as a disclosure',
      params: idParams,
      body: addTeamOrganisationInput,
    },
    ({ auth, actor, params, body }) => cases.addTeamOrganisation(ctx, auth, actor, params.id, body),
  );

  action(
    {
      method: 'DELETE',
      url: '/api/cases/:id/team/organisations/:itemId',
      access: 'cases.manage',
      tags,
      summary: 'Remove an organisation (not the owner) from the case team',
      params: caseItemParams,
    },
    ({ auth, actor, params }) => cases.removeTeamOrganisation(ctx, auth, actor, params.id, params.itemId),
  );

  action(
    {
      url: '/api/cases/:id/team/members',
      access: 'cases.manage',
      tags,
      status: 201,
      summary: 'Add a person from a team organisation to the case team',
      params: idParams,
      body: addTeamMemberInput,
    },
    ({ auth, actor, params, body }) => cases.addTeamMember(ctx, auth, actor, params.id, body),
  );

  r.post('/api/cases/:id/goals', {
    config: { access: 'cases.manage' },
    schema: {
      tags,
      summary: 'Add a goal to the case plan',
      params: idParams,
      body: goalInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await cases.addGoal(ctx, requireAuth(request), request.actor, request.params.id, request.body)),
  });

  action(
    {
      method: 'PATCH',
      url: '/api/cases/:id/goals/:itemId',
      access: 'cases.manage',
      tags,
      summary: 'Mark a goal achieved, discontinued or open',
      params: caseItemParams,
      body: goalUpdateInput,
    },
    ({ auth, actor, params, body }) => cases.updateGoal(ctx, auth, actor, params.id, params.itemId, body),
  );

  r.post('/api/cases/:id/notes', {
    config: { access: 'cases.manage' },
    schema: {
      tags,
      summary: 'Add a case note (encrypted)',
      params: idParams,
      body: noteInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await cases.addNote(ctx, requireAuth(request), request.actor, request.params.id, request.body.body),
        ),
  });

  r.post('/api/cases/:id/conferences', {
    config: { access: 'cases.manage' },
    schema: {
      tags,
      summary:
        'Record a multi-agency case conference: attendees, decisions, actions with owners and due dates',
      params: idParams,
      body: conferenceInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await cases.recordConference(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body,
          ),
        ),
  });

  action(
    {
      method: 'PATCH',
      url: '/api/cases/:id/actions/:itemId',
      access: 'cases.manage',
      tags,
      summary: 'Mark a conference action done or open',
      params: caseItemParams,
      body: actionUpdateInput,
    },
    ({ auth, actor, params, body }) => cases.updateAction(ctx, auth, actor, params.id, params.itemId, body),
  );

  action(
    {
      url: '/api/cases/:id/close',
      access: 'cases.manage',
      tags,
      summary: 'Close the case with a reason (HTCDS-compatible)',
      params: idParams,
      body: closeCaseInput,
    },
    ({ auth, actor, params, body }) => cases.closeCase(ctx, auth, actor, params.id, body),
  );

  action(
    {
      url: '/api/cases/:id/reopen',
      access: 'cases.manage',
      tags,
      summary: 'Reopen a closed case, saying why',
      params: idParams,
      body: reopenCaseInput,
    },
    ({ auth, actor, params, body }) => cases.reopenCase(ctx, auth, actor, params.id, body),
  );

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
          await cases.breakGlass(
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
          await cases.breakGlassByReference(
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
      entries: await cases.listBreakGlass(ctx, request.query.pending === 'true'),
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
    ({ auth, actor, params, body }) => cases.reviewBreakGlass(ctx, auth, actor, params.id, body),
  );

  const decisionTags = ['decisions'];

  r.get('/api/decisions/board', {
    config: { access: 'cases.read' },
    schema: {
      tags: decisionTags,
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
      tags: decisionTags,
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
      tags: decisionTags,
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
      tags: decisionTags,
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
      tags: decisionTags,
      summary: 'As a panel member, record your view',
      params: idParams,
      body: panelViewInput,
    },
    ({ auth, actor, params, body }) => recordPanelView(ctx, auth, actor, params.id, body),
  );

  r.post('/api/decisions/:id/reconsideration', {
    config: { access: 'cases.read' },
    schema: {
      tags: decisionTags,
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
