import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { exportChild } from './service.ts';

export const privacyRequestInput = z.strictObject({
  reference: z.string().trim().min(1, 'Give a referral or case reference').max(40),
});

export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/privacy-requests', {
    config: { access: 'privacy.export' },
    schema: {
      operationId: 'exportPrivacyRequest',
      summary: 'Privacy Act 2020 IPP 6: everything held about the child behind a reference, as one HTML page',
      description:
        'For a Privacy Act 2020 IPP 6 request: everything Tiaki holds about the child behind a referral or case reference (identity, referrals, case, decisions, services, disclosures and who saw the record), as one self-contained HTML page to download. Audited. An unknown reference answers 404.',
      body: privacyRequestInput,
      response: {
        200: z.string().describe('A self-contained HTML page'),
        400: apiError,
        401: apiError,
        403: apiError,
        404: apiError,
      },
    },
    handler: async (request, reply) => {
      requireAuth(request);
      const { html, childId } = await exportChild(ctx, request.actor, request.body.reference);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-disposition', `attachment; filename="privacy-request-${childId.slice(0, 8)}.html"`)
        .header('cache-control', 'no-store')
        .send(html);
    },
  });
}
