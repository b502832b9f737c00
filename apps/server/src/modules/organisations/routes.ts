import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  colleaguesQuery,
  createOrganisationRequest,
  idParams,
  organisation,
  organisationDirectoryEntry,
  person,
  updateOrganisationRequest,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { listColleagues } from './people.ts';
import * as organisations from './service.ts';

export function organisationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/organisations', {
    config: { access: 'organisations.read' },
    schema: {
      operationId: 'listOrganisations',
      summary: 'List organisations',
      description:
        'Every organisation taking part, with its kind, the regions it serves and its version for changes.',
      response: { 200: z.object({ organisations: z.array(organisation) }), 401: apiError, 403: apiError },
    },
    handler: async () => ({ organisations: await organisations.list(ctx) }),
  });

  r.get('/api/organisations/directory', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listOrganisationDirectory',
      summary: 'Every organisation by name and kind, to choose a case team member or a conference attendee',
      description:
        'Every organisation by name and kind only, for choosing an organisation to join a case team or to attend a case conference.',
      response: { 200: z.object({ organisations: z.array(organisationDirectoryEntry) }), 401: apiError },
    },
    handler: async () => ({
      organisations: (await organisations.list(ctx)).map((o) => ({
        id: o.id,
        name: o.name,
        kind: o.kind,
        regionsServed: o.regionsServed,
      })),
    }),
  });

  r.post('/api/organisations', {
    config: { access: 'organisations.manage' },
    schema: {
      operationId: 'createOrganisation',
      summary: 'Create an organisation',
      description:
        'Adds an organisation (an agency, an NGO or a service provider) with its kind and the regions it serves. A name already used is refused with 409.',
      body: createOrganisationRequest,
      response: { 201: organisation, 400: apiError, 401: apiError, 403: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await organisations.create(ctx, request.actor, request.body)),
  });

  r.patch('/api/organisations/:id', {
    config: { access: 'organisations.manage' },
    schema: {
      operationId: 'updateOrganisation',
      summary: 'Change an organisation',
      description:
        "Changes an organisation's name or the regions it serves. Send the version you read: a stale one is refused with 409.",
      params: idParams,
      body: updateOrganisationRequest,
      response: {
        200: organisation,
        400: apiError,
        401: apiError,
        403: apiError,
        404: apiError,
        409: apiError,
      },
    },
    handler: (request) => organisations.update(ctx, request.actor, request.params.id, request.body),
  });

  r.get('/api/colleagues', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'People of my organisation who can do a kind of work (to assign it)',
      operationId: 'listColleagues',
      description:
        "People of the signed-in person's own organisation whose roles grant the permission asked for (referrals.triage, decisions.make, cases.manage or cases.read), by name only, to assign work to one of them.",
      querystring: colleaguesQuery,
      response: {
        200: z.object({ people: z.array(person) }),
        400: apiError,
        401: apiError,
      },
    },
    handler: async (request) => ({
      people: await listColleagues(ctx, requireAuth(request), request.query.permission),
    }),
  });
}
