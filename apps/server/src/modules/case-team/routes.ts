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

const created = z.object({ id: z.uuid() });
const caseItemParams = z.strictObject({ id: z.uuid('Not a valid id'), itemId: z.uuid('Not a valid id') });

/** The case team at work: team organisations and members, plan, notes, conferences, closing and reopening. */
export function caseTeamRoutes(app: FastifyInstance, ctx: AppContext): void {
  const action = actionRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/cases/:id/team/candidates', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'People of the team’s organisations who can join the case team or a panel',
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
      tags,
      status: 201,
      summary: 'Add an organisation to the case team, recording the lawful basis as a disclosure',
      params: idParams,
      body: addTeamOrganisationInput,
    },
    ({ auth, actor, params, body }) => team.addTeamOrganisation(ctx, auth, actor, params.id, body),
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
    ({ auth, actor, params }) => team.removeTeamOrganisation(ctx, auth, actor, params.id, params.itemId),
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
    ({ auth, actor, params, body }) => team.addTeamMember(ctx, auth, actor, params.id, body),
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
        .send(await team.addGoal(ctx, requireAuth(request), request.actor, request.params.id, request.body)),
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
    ({ auth, actor, params, body }) => team.updateGoal(ctx, auth, actor, params.id, params.itemId, body),
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
          await team.addNote(ctx, requireAuth(request), request.actor, request.params.id, request.body.body),
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
      tags,
      summary: 'Mark a conference action done or open',
      params: caseItemParams,
      body: actionUpdateInput,
    },
    ({ auth, actor, params, body }) => team.updateAction(ctx, auth, actor, params.id, params.itemId, body),
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
    ({ auth, actor, params, body }) => team.closeCase(ctx, auth, actor, params.id, body),
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
    ({ auth, actor, params, body }) => team.reopenCase(ctx, auth, actor, params.id, body),
  );
}
