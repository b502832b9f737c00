import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  extractApproveInput,
  extractDeclineInput,
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
  const tags = ['extracts'];
  const denied = { 401: apiError, 403: apiError };

  r.post('/api/extracts', {
    config: { access: 'extracts.request' },
    schema: {
      tags,
      summary: 'Ask for a research extract (purpose, variables, period, ethics approval)',
      body: extractRequestInput,
      response: { 201: z.object({ id: z.uuid() }), 400: apiError, ...denied },
    },
    handler: async (request, reply) => {
      const id = await extracts.createExtractRequest(ctx, requireAuth(request), request.actor, request.body);
      return reply.status(201).send({ id });
    },
  });

  r.get('/api/extracts', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'Extract requests: your own, or every request for approvers',
      response: { 200: z.object({ extracts: z.array(extractView) }), ...denied },
    },
    handler: async (request) => ({
      extracts: await extracts.listExtracts(ctx, requireAuth(request), request.actor),
    }),
  });

  r.get('/api/extracts/:id', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'One extract request with its approvals and, once produced, its file details',
      description: 'Answers 404 both when there is no such request and when you may not see it.',
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
      tags,
      summary: 'Approve as data steward (produces the extract once every approval it needs is recorded)',
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
      tags,
      summary: 'Approve as the Māori data governance group (requests with ethnicity or iwi data)',
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
      tags,
      summary: 'Decline a request (data steward or Māori data governance group)',
      params: idParams,
      body: extractDeclineInput,
    },
    ({ auth, actor, params, body }) => extracts.declineExtract(ctx, auth, actor, params.id, body.reason),
  );

  r.get('/api/extracts/:id/download', {
    config: { access: 'extracts.request' },
    schema: {
      tags,
      summary: 'The extract as CSV: requester only, until it expires (every download is audited)',
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
