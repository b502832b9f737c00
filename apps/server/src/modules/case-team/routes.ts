import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionUpdateInput,
  addTeamMemberInput,
  addTeamOrganisationInput,
  apiError,
  closeCaseInput,
  conferenceInput,
  created,
  goalInput,
  goalUpdateInput,
  idParams,
  noteInput,
  reopenCaseInput,
  teamCandidate,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import * as team from './service.ts';

const caseItemParams = z.strictObject({ id: z.uuid('Not a valid id'), itemId: z.uuid('Not a valid id') });

/** The case team at work: team organisations and members, plan, notes, conferences, closing and reopening. */
export function caseTeamRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/cases/:id/team/candidates', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'People of the team’s organisations who can join the case team or a panel',
      operationId: 'listCaseTeamCandidates',
      description:
        'People of the organisations on the case team, by name and organisation, who may be added to the case team or convened on a decision panel. Answers 404 to anyone who may not see the case.',
      params: idParams,
      response: { 200: z.object({ people: z.array(teamCandidate) }), 404: apiError, 401: apiError },
    },
    handler: async (request) => ({
      people: await team.teamCandidates(ctx, requireAuth(request), request.params.id),
    }),
  });

  action(
    {
      url: '/api/cases/:id/team/organisations',
      access: 'cases.manage',
      status: 201,
      summary: 'Add an organisation to the case team, recording the lawful basis as a disclosure',
      operationId: 'addCaseTeamOrganisation',
      description:
        "Adds an organisation to the case team, recording the lawful basis, the purpose and which of the child's details are shared with it as a disclosure in the case's disclosures log.",
      params: idParams,
      body: addTeamOrganisationInput,
      wording: ['childView'],
    },
    ({ auth, actor, params, body }) => team.addTeamOrganisation(ctx, auth, actor, params.id, body),
  );

  action(
    {
      method: 'DELETE',
      url: '/api/cases/:id/team/organisations/:itemId',
      access: 'cases.manage',
      summary: 'Remove an organisation (not the owner) from the case team',
      operationId: 'removeCaseTeamOrganisation',
      description:
        'Removes an organisation from the case team; its people lose access to the case. The organisation that owns the case cannot be removed.',
      params: caseItemParams,
    },
    ({ auth, actor, params }) => team.removeTeamOrganisation(ctx, auth, actor, params.id, params.itemId),
  );

  action(
    {
      url: '/api/cases/:id/team/members',
      access: 'cases.manage',
      status: 201,
      summary: 'Add a person from a team organisation to the case team',
      operationId: 'addCaseTeamMember',
      description:
        "Adds a person from one of the case team's organisations to the case team, with their part in it.",
      params: idParams,
      body: addTeamMemberInput,
    },
    ({ auth, actor, params, body }) => team.addTeamMember(ctx, auth, actor, params.id, body),
  );

  r.post('/api/cases/:id/goals', {
    config: { access: 'cases.manage', wording: ['description'] },
    schema: {
      summary: 'Add a goal to the case plan',
      operationId: 'addCaseGoal',
      description: "Adds a goal to the child's case plan.",
      params: idParams,
      body: goalInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await team.addGoal(ctx, requireAuth(request), request.actor, request.params.id, request.body)),
  });

  action(
    {
      method: 'PATCH',
      url: '/api/cases/:id/goals/:itemId',
      access: 'cases.manage',
      summary: 'Mark a goal achieved, discontinued or open',
      operationId: 'updateCaseGoal',
      description:
        'Marks a goal of the case plan achieved, discontinued or open again. Send the version you read: a stale one is refused with 409.',
      params: caseItemParams,
      body: goalUpdateInput,
    },
    ({ auth, actor, params, body }) => team.updateGoal(ctx, auth, actor, params.id, params.itemId, body),
  );

  r.post('/api/cases/:id/notes', {
    config: { access: 'cases.manage', wording: ['body'] },
    schema: {
      summary: 'Add a case note (encrypted)',
      operationId: 'addCaseNote',
      description:
        'Adds a note to the case, stored encrypted and shown on the case timeline to those who may see the case.',
      params: idParams,
      body: noteInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await team.addNote(ctx, requireAuth(request), request.actor, request.params.id, request.body.body),
        ),
  });

  r.post('/api/cases/:id/conferences', {
    config: { access: 'cases.manage', wording: ['decisions', 'actions.*.description'] },
    schema: {
      summary:
        'Record a multi-agency case conference: attendees, decisions, actions with owners and due dates',
      operationId: 'recordCaseConference',
      description:
        'Records a multi-agency case conference held on a date: the organisations and people attending, the decisions made, and actions each with an owner and a due date (reminders follow when an action is overdue).',
      params: idParams,
      body: conferenceInput,
      response: { 201: created, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await team.recordConference(
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
      summary: 'Mark a conference action done or open',
      operationId: 'updateConferenceAction',
      description:
        'Marks an action from a case conference done, or open again. Send the version you read: a stale one is refused with 409.',
      params: caseItemParams,
      body: actionUpdateInput,
    },
    ({ auth, actor, params, body }) => team.updateAction(ctx, auth, actor, params.id, params.itemId, body),
  );

  action(
    {
      url: '/api/cases/:id/close',
      access: 'cases.manage',
      summary: 'Close the case with a reason (HTCDS-compatible)',
      operationId: 'closeCase',
      description:
        'Closes the case with a reason from the HTCDS-compatible list and an optional detail; the retention period for closed cases starts. Send the version you read: a stale one is refused with 409.',
      params: idParams,
      body: closeCaseInput,
      wording: ['detail'],
    },
    ({ auth, actor, params, body }) => team.closeCase(ctx, auth, actor, params.id, body),
  );

  action(
    {
      url: '/api/cases/:id/reopen',
      access: 'cases.manage',
      summary: 'Reopen a closed case, saying why',
      operationId: 'reopenCase',
      description:
        'Reopens a closed case with a written reason, recorded on the timeline. Send the version you read: a stale one is refused with 409.',
      params: idParams,
      body: reopenCaseInput,
    },
    ({ auth, actor, params, body }) => team.reopenCase(ctx, auth, actor, params.id, body),
  );
}
