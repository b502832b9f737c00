import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  assignReferralsInput,
  attachReferralInput,
  duplicateCandidate,
  idParams,
  openCaseInput,
  rejectCandidateInput,
  screenOutInput,
  triageItem,
  triageQueueQuery,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import {
  assignReferrals,
  attachReferral,
  duplicateCandidates,
  openCase,
  rejectCandidate,
  screenOut,
  triageQueue,
} from './service.ts';

const caseOpened = z.object({ caseId: z.uuid(), reference: z.string() });

export function triageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['triage'];
  const denied = { 401: apiError, 403: apiError };
  const action = actionRoutes(app);

  r.get('/api/triage/queue', {
    config: { access: 'referrals.triage' },
    schema: {
      tags,
      summary: 'Referrals waiting for triage: urgent first, then the oldest (no names)',
      querystring: triageQueueQuery,
      response: { 200: z.object({ referrals: z.array(triageItem) }), 400: apiError, ...denied },
    },
    handler: async (request) => ({ referrals: await triageQueue(ctx, requireAuth(request), request.query) }),
  });

  r.post('/api/triage/assign', {
    config: { access: 'referrals.triage' },
    schema: {
      tags,
      summary: 'Assign one or many referrals to a triage officer (all or nothing)',
      body: assignReferralsInput,
      response: { 200: z.object({ assigned: z.number().int() }), 400: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      assignReferrals(
        ctx,
        requireAuth(request),
        request.actor,
        request.body.referralIds,
        request.body.assigneeId,
      ),
  });

  r.get('/api/triage/referrals/:id/candidates', {
    config: { access: 'referrals.triage' },
    schema: {
      tags,
      summary: 'Search before create: children already known who may be this referral’s child (audited)',
      params: idParams,
      response: { 200: z.object({ candidates: z.array(duplicateCandidate) }), 404: apiError, ...denied },
    },
    handler: async (request) => ({
      candidates: await duplicateCandidates(ctx, requireAuth(request), request.actor, request.params.id),
    }),
  });

  action(
    {
      url: '/api/triage/referrals/:id/candidates/reject',
      access: 'referrals.triage',
      tags,
      summary: 'Not the same child: set a suggested match aside (the decision is kept and audited)',
      params: idParams,
      body: rejectCandidateInput,
    },
    ({ auth, actor, params, body }) => rejectCandidate(ctx, auth, actor, params.id, body.caseId, body.reason),
  );

  r.post('/api/triage/referrals/:id/open-case', {
    config: { access: 'referrals.triage' },
    schema: {
      tags,
      summary: 'Open a case for this referral’s child; the reasonable-grounds clock starts',
      params: idParams,
      body: openCaseInput,
      response: { 201: caseOpened, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await openCase(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body.version,
            request.body.caseworkerId,
          ),
        ),
  });

  r.post('/api/triage/referrals/:id/attach', {
    config: { access: 'referrals.triage' },
    schema: {
      tags,
      summary: 'Add this referral to the case of a child already known',
      params: idParams,
      body: attachReferralInput,
      response: { 200: caseOpened, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) =>
      attachReferral(
        ctx,
        requireAuth(request),
        request.actor,
        request.params.id,
        request.body.caseId,
        request.body.version,
      ),
  });

  action(
    {
      url: '/api/triage/referrals/:id/screen-out',
      access: 'referrals.triage',
      tags,
      summary: 'End triage without a case, with a reason',
      params: idParams,
      body: screenOutInput,
    },
    ({ auth, actor, params, body }) => screenOut(ctx, auth, actor, params.id, body.reason, body.version),
  );
}
