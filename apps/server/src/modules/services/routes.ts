import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  idParams,
  needsCheckInput,
  needsCheckResult,
  note,
  pageOf,
  noteInput,
  service,
  serviceInput,
  serviceQuery,
  serviceReferral,
  serviceReferralInput,
  serviceReferralListQuery,
  serviceReferralTransitionInput,
  serviceUpdateInput,
  unmetNeed,
  unmetNeedInput,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import {
  addServiceReferralNote,
  checkNeeds,
  createService,
  createServiceReferral,
  listDirectory,
  listServiceReferrals,
  readService,
  readServiceReferral,
  recordUnmetNeedExplicitly,
  transitionServiceReferral,
  updateService,
} from './service.ts';

/** The services directory, needs checks and service referrals. Rules live in service.ts. */
export function serviceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/services', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listServices',
      summary: 'The services directory: active services, plus inactive ones to those who manage them',
      description:
        'The directory of specialist services for children, filtered by kind of need, region, age or provider. Inactive services are listed only to those who manage them.',
      querystring: serviceQuery,
      response: { 200: z.object({ services: z.array(service) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({ services: await listDirectory(ctx, requireAuth(request), request.query) }),
  });

  r.get('/api/services/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getService',
      summary: 'One directory entry',
      description:
        'One service of the directory: its provider, the needs it meets, the regions and ages it serves, its capacity and how to refer to it.',
      params: idParams,
      response: { 200: service, 404: apiError, ...denied },
    },
    handler: (request) => readService(ctx, requireAuth(request), request.params.id),
  });

  r.post('/api/services', {
    config: { access: 'services.manage' },
    schema: {
      operationId: 'createService',
      summary: 'Add a service (a service provider: only for its own organisation)',
      description:
        'Adds a service to the directory. A service provider adds services of its own organisation only; an administrator may add one for any provider.',
      body: serviceInput,
      response: { 201: service, 400: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createService(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.put('/api/services/:id', {
    config: { access: 'services.manage' },
    schema: {
      operationId: 'updateService',
      summary: 'Change a service: capacity, reach, or take it out of the directory (isActive)',
      description:
        "Changes a service's details, capacity or reach, or takes it out of the directory (isActive false). A service provider changes its own organisation's services only. Send the version you read: a stale one is refused with 409.",
      params: idParams,
      body: serviceUpdateInput,
      response: { 200: service, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      updateService(ctx, requireAuth(request), request.actor, request.params.id, request.body),
  });

  r.post('/api/cases/:id/needs', {
    config: { access: 'cases.manage' },
    schema: {
      operationId: 'checkCaseNeeds',
      summary: 'Services for one of the child’s needs in the case’s region and age (records nothing)',
      description:
        "Finds the active services meeting one kind of need of the case's child in the child's region and age. Looking is not recording: when none can take the child now, noneAvailable says so and the case team may record the unmet need (recordUnmetNeed).",
      params: idParams,
      body: needsCheckInput,
      response: { 200: needsCheckResult, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) => checkNeeds(ctx, requireAuth(request), request.params.id, request.body.needType),
  });

  r.post('/api/cases/:id/unmet-needs', {
    config: { access: 'cases.manage', wording: ['note'] },
    schema: {
      operationId: 'recordUnmetNeed',
      summary: 'Record that no service could meet one of the child’s needs, with a note',
      description:
        'A caseworker on the case team records that no service could meet a need of the child, with a note on what was tried (encrypted; its wording is checked). Statistics count it; it stays open until a service accepts the child for that need. The same open need again answers 409.',
      params: idParams,
      body: unmetNeedInput,
      response: { 201: unmetNeed, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await recordUnmetNeedExplicitly(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body,
          ),
        ),
  });

  r.post('/api/cases/:id/service-referrals', {
    config: { access: 'cases.manage', wording: ['needsSummary', 'childView'] },
    schema: {
      operationId: 'createServiceReferral',
      summary: 'Refer the child to a service, recording what is shared and on what lawful basis',
      description:
        "Proposes a referral of the case's child to a service, recording which of the child's details will be shared with the provider, why, and on what lawful basis. The provider sees nothing until the case team sends it (transition). Needs a case you may work on.",
      params: idParams,
      body: serviceReferralInput,
      response: { 201: serviceReferral, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await createServiceReferral(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body,
          ),
        ),
  });

  r.get('/api/service-referrals', {
    // Each view checks its own permission: provider (service_referrals.respond), overdue (cases.read).
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listServiceReferrals',
      summary: 'A provider’s service referrals, or those overdue on cases you may read (no child details)',
      description:
        "With view=provider: the service referrals sent to the signed-in person's organisation (needs service_referrals.respond). With view=overdue: service referrals with no answer past their due date, on cases you may read (needs cases.read). No child details are included. One page at a time, sorted and filtered by the server (status, overdue, due this week).",
      querystring: serviceReferralListQuery,
      response: { 200: pageOf(serviceReferral), 400: apiError, ...denied },
    },
    handler: async (request) => listServiceReferrals(ctx, requireAuth(request), request.query),
  });

  r.get('/api/service-referrals/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getServiceReferral',
      summary: 'One service referral: the case team sees all; the provider only what is shared (audited)',
      description:
        'One service referral with its history and notes. The case team sees all of it; the provider sees only the child details the case team chose to share. Reads of shared details are audited. Answers 404 to everyone else.',
      params: idParams,
      response: { 200: serviceReferral, 404: apiError, ...denied },
    },
    handler: (request) => readServiceReferral(ctx, requireAuth(request), request.actor, request.params.id),
  });

  r.post('/api/service-referrals/:id/transition', {
    // The party owning each step is checked per referral: the provider, or the case team.
    config: { access: 'signed-in', wording: ['detail'] },
    schema: {
      operationId: 'transitionServiceReferral',
      summary: 'Take the next step: send, accept, decline, engaged, completed or withdraw',
      description:
        'Moves a service referral to its next step: the case team sends or withdraws it; the provider accepts or declines it (with a reason), then records engagement and the outcome. A step not allowed from the current status answers 409.',
      params: idParams,
      body: serviceReferralTransitionInput,
      response: { 200: serviceReferral, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      transitionServiceReferral(ctx, requireAuth(request), request.actor, request.params.id, request.body),
  });

  r.post('/api/service-referrals/:id/notes', {
    config: { access: 'signed-in', wording: ['body'] },
    schema: {
      operationId: 'addServiceReferralNote',
      summary: 'Add a note to a service referral: seen by its provider and the case team only',
      description:
        'Adds a note (encrypted) to a service referral, seen only by its provider and the case team.',
      params: idParams,
      body: noteInput,
      response: { 201: note, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await addServiceReferralNote(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body.body,
          ),
        ),
  });
}
