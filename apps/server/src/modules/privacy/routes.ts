import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, emptyBody, idParams, privacyRequest, privacyRequestInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import * as requests from './requests.ts';

export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.post('/api/privacy-requests', {
    config: { access: 'privacy.export' },
    schema: {
      operationId: 'requestPrivacyExport',
      summary: 'Privacy Act 2020 IPP 6: ask for everything held about a child (a second person approves)',
      description:
        "Opens a request for everything Tiaki holds about the child behind a referral or case reference (identity, referrals, case, decisions, services, disclosures and who saw the record). A reference alone is guessable, so give the child's date of birth or family name as the record holds it, and the reason (who asked, under which request). A second privacy officer or an auditor approves it before the file can be downloaded. An unknown reference and a child who does not match both answer 404. Audited.",
      body: privacyRequestInput,
      response: { 201: privacyRequest, 400: apiError, 404: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await requests.requestExport(ctx, request.actor, request.body)),
  });

  r.get('/api/privacy-requests', {
    config: { access: 'privacy.approve' },
    schema: {
      operationId: 'listPrivacyRequests',
      summary: 'Privacy requests: waiting for approval, and recently decided',
      description:
        'Every IPP 6 export request with its reference, reason and who asked: pending first (for a second privacy officer or an auditor to decide), then the 200 most recently decided. A pending request past its time is marked expired (audited) first. Names no child.',
      response: { 200: z.object({ requests: z.array(privacyRequest) }), ...denied },
    },
    handler: async () => ({ requests: await requests.listRequests(ctx) }),
  });

  for (const outcome of ['approve', 'reject'] as const) {
    r.post(`/api/privacy-requests/:id/${outcome}`, {
      config: { access: 'privacy.approve' },
      schema: {
        operationId: outcome === 'approve' ? 'approvePrivacyRequest' : 'rejectPrivacyRequest',
        summary:
          outcome === 'approve'
            ? 'Approve another privacy officer’s export: they can download the file'
            : 'Reject another privacy officer’s export: the file is never produced',
        description:
          (outcome === 'approve'
            ? 'Approves a pending request: the officer who asked can download the file for the next 72 hours. '
            : 'Rejects a pending request. ') +
          'For a second privacy officer or an auditor; audited. 403 `own_request` for your own request; 409 `already_decided`, or `request_expired` past its time.',
        params: idParams,
        body: emptyBody,
        response: { 200: privacyRequest, 404: apiError, 409: apiError, ...denied },
      },
      handler: (request) =>
        requests.decide(
          ctx,
          request.actor,
          request.params.id,
          outcome === 'approve' ? 'approved' : 'rejected',
        ),
    });
  }

  r.get('/api/privacy-requests/:id/file', {
    config: { access: 'privacy.export' },
    schema: {
      operationId: 'downloadPrivacyExport',
      summary: 'Download an approved IPP 6 file, as one HTML page',
      description:
        'The self-contained HTML page for an approved request, to the privacy officer who asked only, until the approval runs out. 409 `not_approved` while it waits for a second person or after a rejection, `request_expired` after its time; another person’s request answers 404. Each download is audited.',
      params: idParams,
      response: {
        200: z.string().describe('A self-contained HTML page'),
        404: apiError,
        409: apiError,
        ...denied,
      },
    },
    handler: async (request, reply) => {
      const { html, childId } = await requests.downloadExport(ctx, request.actor, request.params.id);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-disposition', `attachment; filename="privacy-request-${childId.slice(0, 8)}.html"`)
        .header('cache-control', 'no-store')
        .send(html);
    },
  });
}
