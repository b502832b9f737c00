import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  idParams,
  needsCheckInput,
  needsCheckResult,
  note,
  noteInput,
  service,
  serviceInput,
  serviceQuery,
  serviceReferral,
  serviceReferralInput,
  serviceReferralListQuery,
  serviceReferralTransitionInput,
  serviceUpdateInput,
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
      tags: ['services'],
      summary: 'The services directory: active services, plus inactive ones to those who manage them',
      querystring: serviceQuery,
      response: { 200: z.object({ services: z.array(service) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({ services: await listDirectory(ctx, requireAuth(request), request.query) }),
  });

  r.get('/api/services/:id', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['services'],
      summary: 'One directory entry',
      params: idParams,
      response: { 200: service, 404: apiError, ...denied },
    },
    handler: (request) => readService(ctx, requireAuth(request), request.params.id),
  });

  r.post('/api/services', {
    config: { access: 'services.manage' },
    schema: {
      tags: ['services'],
      summary: 'Add a service (a service provider: only for its own organisation)',
      body: serviceInput,
      response: { 201: service, 400: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createService(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.put('/api/services/:id', {
    config: { access: 'services.manage' },
    schema: {
      tags: ['services'],
      summary: 'Change a service: capacity, reach, or take it out of the directory (isActive)',
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
      tags: ['services'],
      summary: 'Services for one of the child’s needs in the case’s region and age; records an unmet need',
      params: idParams,
      body: needsCheckInput,
      response: { 200: needsCheckResult, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      checkNeeds(ctx, requireAuth(request), request.actor, request.params.id, request.body.needType),
  });

  r.post('/api/cases/:id/service-referrals', {
    config: { access: 'cases.manage' },
    schema: {
      tags: ['services'],
      summary: 'Refer the child to a service, recording what is shared and on what lawful basis',
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
      tags: ['services'],
      summary: 'A provider’s service referrals, or those overdue on cases you may read (no child details)',
      querystring: serviceReferralListQuery,
      response: { 200: z.object({ serviceReferrals: z.array(serviceReferral) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({
      serviceReferrals: await listServiceReferrals(ctx, requireAuth(request), request.query),
    }),
  });

  r.get('/api/service-referrals/:id', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['services'],
      summary: 'One service referral: the case team sees all; the provider only what is shared (audited)',
      params: idParams,
      response: { 200: serviceReferral, 404: apiError, ...denied },
    },
    handler: (request) => readServiceReferral(ctx, requireAuth(request), request.actor, request.params.id),
  });

  r.post('/api/service-referrals/:id/transition', {
    // The party owning each step is checked per referral: the provider, or the case team.
    config: { access: 'signed-in' },
    schema: {
      tags: ['services'],
      summary: 'Take the next step: send, accept, decline, engaged, completed or withdraw',
      params: idParams,
      body: serviceReferralTransitionInput,
      response: { 200: serviceReferral, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      transitionServiceReferral(ctx, requireAuth(request), request.actor, request.params.id, request.body),
  });

  r.post('/api/service-referrals/:id/notes', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['services'],
      summary: 'Add a note to a service referral: seen by its provider and the case team only',
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
