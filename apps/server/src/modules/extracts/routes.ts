import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  created,
  extractApproveInput,
  extractDeclineInput,
  extractListQuery,
  extractPage,
  extractRequestInput,
  extractView,
  idParams,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { actionRoutes } from '../../http/actions.ts';
import * as extracts from './service.ts';

/**
 * Research extracts (docs/extracts.md): requested by analysts, approved by the data steward and,
 * for ethnicity or iwi data, the Māori data governance group; k-anonymous; downloaded by the
 * requester only until they expire.
 */
export function extractRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const action = actionRoutes(app);
  const denied = { 401: apiError, 403: apiError };

  r.post('/api/extracts', {
    config: { access: 'extracts.request' },
    schema: {
      operationId: 'requestExtract',
      summary: 'Ask for a research extract (purpose, variables, period, ethics approval)',
      description:
        'Asks for a de-identified research extract: purpose, variables, period and ethics approval. It is produced only after the data steward approves it and, when it includes ethnicity or iwi, the Māori data governance group too.',
      body: extractRequestInput,
      response: { 201: created, 400: apiError, ...denied },
    },
    handler: async (request, reply) => {
      const id = await extracts.createExtractRequest(ctx, requireAuth(request), request.actor, request.body);
      return reply.status(201).send({ id });
    },
  });

  r.get('/api/extracts', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listExtracts',
      summary: 'Extract requests, a page at a time: your own, or every request for approvers',
      description:
        "Extract requests with their status and approvals, a page at a time, sorted and filtered by the server (status, part of the purpose or ethics reference): the signed-in person's own, or every request for those who approve or decline them.",
      querystring: extractListQuery,
      response: { 200: extractPage, 400: apiError, ...denied },
    },
    handler: async (request) =>
      extracts.listExtracts(ctx, requireAuth(request), request.actor, request.query),
  });

  r.get('/api/extracts/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getExtract',
      summary: 'One extract request with its approvals and, once produced, its file details',
      description:
        "One extract request with its approvals and, once produced, its file's rows kept and suppressed and its expiry. Answers 404 both when there is no such request and when you may not see it.",
      params: idParams,
      response: { 200: extractView, 400: apiError, 404: apiError, ...denied },
    },
    handler: async (request) =>
      extracts.getExtract(ctx, requireAuth(request), request.actor, request.params.id),
  });

  action(
    {
      url: '/api/extracts/:id/approve',
      access: 'extracts.approve',
      operationId: 'approveExtract',
      summary: 'Approve as data steward (produces the extract once every approval it needs is recorded)',
      description:
        "Records the data steward's approval, with an optional note. When every approval the request needs is in, the extract is produced: k-anonymous, with rare values generalised or suppressed.",
      params: idParams,
      body: extractApproveInput.optional(),
    },
    ({ auth, actor, params, body }) =>
      extracts.approveExtract(ctx, auth, actor, params.id, 'steward', body?.note),
  );

  action(
    {
      url: '/api/extracts/:id/approve-maori',
      access: 'extracts.approve_maori',
      operationId: 'approveExtractForMaoriData',
      summary: 'Approve as the Māori data governance group (requests with ethnicity or iwi data)',
      description:
        'Records the approval of the Māori data governance group, needed for requests with ethnicity or iwi data, with an optional note. When every approval the request needs is in, the extract is produced.',
      params: idParams,
      body: extractApproveInput.optional(),
    },
    ({ auth, actor, params, body }) =>
      extracts.approveExtract(ctx, auth, actor, params.id, 'maori', body?.note),
  );

  action(
    {
      url: '/api/extracts/:id/decline',
      access: 'signed-in',
      operationId: 'declineExtract',
      summary: 'Decline a request (data steward or Māori data governance group)',
      description:
        'Declines a request with a reason; the requester sees it. Only a data steward (extracts.approve) or the Māori data governance group (extracts.approve_maori) may, which the action checks itself.',
      params: idParams,
      body: extractDeclineInput,
    },
    ({ auth, actor, params, body }) => extracts.declineExtract(ctx, auth, actor, params.id, body.reason),
  );

  r.get('/api/extracts/:id/download', {
    config: { access: 'extracts.request' },
    schema: {
      operationId: 'downloadExtract',
      summary: 'The extract as CSV: requester only, until it expires (every download is audited)',
      description:
        'The produced extract as a CSV file with a commented header (purpose, approvals, rules applied). Only the person who asked for it may download it, until it expires (410 after). Every download is audited.',
      params: idParams,
      response: {
        200: z.string().describe('CSV with a # comment header'),
        400: apiError,
        404: apiError,
        409: apiError,
        410: apiError,
        ...denied,
      },
    },
    handler: async (request, reply) => {
      const { csv, filename } = await extracts.downloadExtract(
        ctx,
        requireAuth(request),
        request.actor,
        request.params.id,
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  });
}
