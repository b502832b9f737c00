import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  apiError,
  assignReferralsInput,
  attachRequestCreated,
  attachRequestDecided,
  attachRequestItem,
  attachReferralInput,
  caseOpened,
  duplicateCandidateList,
  emptyBody,
  idParams,
  openCaseInput,
  pageOf,
  referralsAssigned,
  rejectCandidateInput,
  screenOutInput,
  triageItem,
  triageQueueQuery,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import { decideAttachRequest, listAttachRequests, requestAttach } from './attach-requests.ts';
import {
  assignReferrals,
  attachReferral,
  duplicateCandidates,
  openCase,
  rejectCandidate,
  screenOut,
  triageQueue,
} from './service.ts';

const attachRequestParams = z.strictObject({
  id: z.uuid('Not a valid id'),
  candidateId: z.uuid('Not a valid id'),
});
export function triageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };
  const action = actionRoutes(app);

  r.get('/api/triage/queue', {
    config: { access: 'referrals.triage' },
    schema: {
      summary: 'Referrals waiting for triage: urgent first, then the oldest (no names)',
      operationId: 'listTriageQueue',
      description:
        "Referrals waiting for triage, one page at a time (`page`, `pageSize` up to 100): urgent first then the oldest, or sorted by `sort` (urgent, received, due, reference, region) and `dir`; filtered by region, manifestation, submitting organisation, assignee (me, unassigned or a person), `mine`, `overdue` and `dueThisWeek` (the reasonable-grounds due date, New Zealand date) and part of a reference (`q`). Each row has its manifestations, level of concern and the reasonable-grounds due date; `total` counts every matching row. No child's name is included.",
      querystring: triageQueueQuery,
      response: { 200: pageOf(triageItem), 400: apiError, ...denied },
    },
    handler: (request) => triageQueue(ctx, requireAuth(request), request.query),
  });

  r.post('/api/triage/assign', {
    config: { access: 'referrals.triage' },
    schema: {
      summary: 'Assign one or many referrals to a triage officer (all or nothing)',
      operationId: 'assignReferrals',
      description:
        'Assigns up to 200 referrals to a lead-agency triage officer, or unassigns them: all or nothing, so one referral that cannot be assigned leaves every one unchanged (409).',
      body: assignReferralsInput,
      response: { 200: referralsAssigned, 400: apiError, 409: apiError, ...denied },
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
      summary: 'Search before create: children already known who may be this referral’s child (audited)',
      operationId: 'listDuplicateCandidates',
      description:
        "Search before create: children already known who may be the one this referral is about, each with the probability that they are the same child and how each field compares (at most 5, each at least 50% likely: `threshold`, `limit`, and how many were `leftOut`), so the officer attaches the referral to the right case instead of opening a second one. The child's details and case are given only when the caller is on that case's team; any other candidate is withheld (`withheld: true`: no name, date of birth, gender, case id or reference) and the case's decision makers and lead caseworker are told of the possible match. Audited.",
      params: idParams,
      response: { 200: duplicateCandidateList, 404: apiError, ...denied },
    },
    handler: (request) => duplicateCandidates(ctx, requireAuth(request), request.actor, request.params.id),
  });

  action(
    {
      url: '/api/triage/referrals/:id/candidates/reject',
      access: 'referrals.triage',
      summary: 'Not the same child: set a suggested match aside (the decision is kept and audited)',
      operationId: 'rejectDuplicateCandidate',
      description:
        'Records that a suggested match is not the same child, with a reason, so it is set aside for this referral. The decision is kept and audited.',
      params: idParams,
      body: rejectCandidateInput,
    },
    ({ auth, actor, params, body }) => rejectCandidate(ctx, auth, actor, params.id, body.caseId, body.reason),
  );

  r.post('/api/triage/referrals/:id/open-case', {
    config: { access: 'referrals.triage' },
    schema: {
      summary: 'Open a case for this referral’s child; the reasonable-grounds clock starts',
      operationId: 'openCase',
      description:
        "Opens a case for this referral's child, optionally with a lead-agency caseworker to lead it. The reasonable-grounds decision becomes due in REASONABLE_GROUNDS_WORKING_DAYS working days. Send the referral's version: a stale one is refused with 409.",
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
      summary: 'Add this referral to the case of a child already known',
      operationId: 'attachReferralToCase',
      description:
        "Adds this referral to the case of a child already known, instead of opening a new case. Only to a case the caller is on as its team (a decision maker sees all of the lead agency's cases): any other case answers 404, and nobody joins a team this way. Send the referral's version: a stale one is refused with 409.",
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

  r.post('/api/triage/referrals/:id/candidates/:candidateId/attach-request', {
    config: { access: 'referrals.triage' },
    schema: {
      summary: "Ask the case's lead to add this referral to the case of a possible match you cannot see",
      operationId: 'requestAttachToCase',
      description:
        "For a withheld duplicate candidate (on a case the caller is not on): asks the case's lead — the owning lead agency's decision makers and the case's lead caseworker, who are told — to add the referral to that case. The answer names neither the case nor the child; the caller does not join the team when it is approved. A candidate on a case the caller is on is refused with 409 (attach it directly); an unknown or settled candidate answers 404. Audited and flagged.",
      params: attachRequestParams,
      body: emptyBody,
      response: { 201: attachRequestCreated, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestAttach(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.params.candidateId,
          ),
        ),
  });

  r.get('/api/triage/attach-requests', {
    config: { access: 'cases.read' },
    schema: {
      summary: 'Requests to add a referral to a case you lead, waiting for your decision (references only)',
      operationId: 'listAttachRequests',
      description:
        "Pending requests from triage officers to add a referral to a case the caller leads (a decision maker of the owning lead agency, or the case's lead caseworker): references, when and who asked (name and organisation), never a child's name. The notification to the lead links to the web page listing them (/attach-requests).",
      response: { 200: z.object({ items: z.array(attachRequestItem) }), ...denied },
    },
    handler: async (request) => ({ items: await listAttachRequests(ctx, requireAuth(request)) }),
  });

  for (const decision of ['approve', 'reject'] as const)
    r.post(`/api/triage/attach-requests/:id/${decision}`, {
      config: { access: 'cases.read' },
      schema: {
        summary:
          decision === 'approve'
            ? 'Approve: add the referral to the case (the officer who asked does not join the team)'
            : 'Reject: not the same child; the suggested match is set aside',
        operationId: decision === 'approve' ? 'approveAttachRequest' : 'rejectAttachRequest',
        description:
          "Only the case's lead decides: a decision maker of the owning lead agency or the case's lead caseworker (403 for others on the team, 404 for anyone who cannot see the case); never the person who asked. Audited; the officer who asked is told.",
        params: idParams,
        body: emptyBody,
        response: { 200: attachRequestDecided, 404: apiError, 409: apiError, ...denied },
      },
      handler: (request) =>
        decideAttachRequest(ctx, requireAuth(request), request.actor, request.params.id, decision),
    });

  action(
    {
      url: '/api/triage/referrals/:id/screen-out',
      access: 'referrals.triage',
      summary: 'End triage without a case, with a reason',
      operationId: 'screenOutReferral',
      description:
        "Ends triage without a case, with a reason from the list; the referrer sees the outcome. The narrative and identity are kept only for the screened-out retention period (RETENTION_SCREENED_OUT_DAYS). Send the referral's version: a stale one is refused with 409.",
      params: idParams,
      body: screenOutInput,
    },
    ({ auth, actor, params, body }) => screenOut(ctx, auth, actor, params.id, body.reason, body.version),
  );
}
