import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  draft,
  draftInput,
  idParams,
  referralAcknowledgement,
  referralDetail,
  referralInput,
  referralSummary,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { createDraft, deleteDraft, listDrafts, saveDraft } from './drafts.ts';
import { listMine, readAcknowledgement, readCaseReferrals, readReferral, submitReferral } from './service.ts';

export function referralRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.post('/api/referrals', {
    config: { access: 'referrals.create', apiKeys: true },
    schema: {
      operationId: 'submitReferral',
      summary: 'Submit a referral about a child',
      description:
        'Validates the whole referral, records it and a child record, and answers with the reference and the indicator screen. ' +
        'Send an Idempotency-Key header so that a retry returns the first answer and never makes a duplicate.',
      headers: z.object({ 'idempotency-key': z.string().optional() }),
      querystring: z.strictObject({ draftId: z.uuid().optional() }),
      body: referralInput,
      response: { 201: referralAcknowledgement, 400: apiError, 404: apiError, 422: apiError, ...denied },
    },
    handler: async (request, reply) => {
      const outcome = await submitReferral(ctx, requireAuth(request), request.actor, {
        referral: request.body,
        idempotencyKey: request.headers['idempotency-key'],
        draftId: request.query.draftId,
      });
      if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(outcome.statusCode).send(outcome.body);
    },
  });

  r.get('/api/referrals/mine', {
    config: { access: 'referrals.read_own' },
    schema: {
      operationId: 'listMyReferrals',
      summary: 'Referrals I submitted, newest first, with their status (no names)',
      description:
        "The referrals the signed-in person submitted, newest first, each with its reference, status and level of concern. No child's name or narrative is included.",
      response: { 200: z.object({ referrals: z.array(referralSummary) }), ...denied },
    },
    handler: async (request) => ({ referrals: await listMine(ctx, requireAuth(request)) }),
  });

  r.get('/api/referrals/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getReferral',
      summary: 'One referral with the child’s details (need to know; every read is audited)',
      description:
        "One referral with the child's identity, the narrative and the referrer's details, decrypted only for those with a need to know: the submitting organisation, the lead agency's triage while it waits for triage, and those who may see the case it belongs to. Every read is audited. Answers 404 both when there is no such referral and when you may not see it.",
      params: idParams,
      response: { 200: referralDetail, 404: apiError, ...denied },
    },
    handler: (request) => readReferral(ctx, requireAuth(request), request.actor, request.params.id),
  });

  r.get('/api/cases/:id/referrals', {
    // Record-level check only (the one access gate): whoever may not see the case is told it does not exist.
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listCaseReferrals',
      summary: 'Every referral on a case, in full (need to know; every read is audited)',
      description:
        "Every referral on the case, oldest first, in full: the child's identity as each referrer gave it, the narrative, indicators, contexts, the child's views, the referrer and how to reach them, and the taxonomy version each was recorded with. For those who may see the case (its team, lead-agency team members and decision makers, or a live break-glass grant). Each referral read is audited; break-glass reads are flagged. Answers 404 both when there is no such case and when you may not see it.",
      params: idParams,
      response: { 200: z.object({ referrals: z.array(referralDetail) }), 404: apiError, ...denied },
    },
    handler: async (request) => ({
      referrals: await readCaseReferrals(ctx, requireAuth(request), request.actor, request.params.id),
    }),
  });

  r.get('/api/referrals/:id/acknowledgement', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getReferralAcknowledgement',
      summary: 'The acknowledgement of a referral again: reference, status, level of concern (no names)',
      description:
        "The acknowledgement given at submission, again: reference, status, level of concern and the indicator screen, without the child's details. Answers 404 to anyone who may not see the referral.",
      params: idParams,
      response: { 200: referralAcknowledgement, 404: apiError, ...denied },
    },
    handler: (request) => readAcknowledgement(ctx, requireAuth(request), request.params.id),
  });

  r.get('/api/referral-drafts', {
    config: { access: 'referrals.create' },
    schema: {
      operationId: 'listReferralDrafts',
      summary: 'My saved drafts',
      description:
        "The signed-in person's own unsubmitted referrals, last saved first. Drafts are deleted some days after their last save (RETENTION_DRAFT_DAYS).",
      response: { 200: z.object({ drafts: z.array(draft) }), ...denied },
    },
    handler: async (request) => ({ drafts: await listDrafts(ctx, requireAuth(request)) }),
  });

  r.post('/api/referral-drafts', {
    config: { access: 'referrals.create' },
    schema: {
      operationId: 'createReferralDraft',
      summary: 'Start a draft',
      description:
        "Saves an unfinished referral as a draft of the signed-in person's own, with partial answers; nothing is checked for completeness until it is submitted.",
      body: draftInput,
      response: { 201: draft, 400: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createDraft(ctx, requireAuth(request), request.body)),
  });

  r.put('/api/referral-drafts/:id', {
    config: { access: 'referrals.create' },
    schema: {
      operationId: 'saveReferralDraft',
      summary: 'Save a draft',
      description:
        "Replaces the content of one of the signed-in person's own drafts. Send the version you read: a stale one (saved meanwhile in another tab) is refused with 409.",
      params: idParams,
      body: draftInput,
      response: { 200: draft, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) => saveDraft(ctx, requireAuth(request), request.params.id, request.body),
  });

  r.delete('/api/referral-drafts/:id', {
    config: { access: 'referrals.create' },
    schema: {
      operationId: 'deleteReferralDraft',
      summary: 'Discard a draft',
      description:
        "Deletes one of the signed-in person's own drafts for good. Someone else's draft answers 404.",
      params: idParams,
      response: { 200: z.object({ ok: z.literal(true) }), 404: apiError, ...denied },
    },
    handler: async (request) => {
      await deleteDraft(ctx.db, requireAuth(request), request.params.id);
      return { ok: true as const };
    },
  });
}
