import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  checkTerminology,
  CONSENT_REMINDER,
  CURRENT_TAXONOMY,
  TAXONOMIES,
  taxonomyVersion,
} from '@tiaki/domain';
import { notFound } from '../../http/errors.ts';

const finding = z.object({
  kind: z.enum(['avoid_term', 'implies_consent']),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  ruleId: z.string(),
  preferred: z.array(z.string()),
  reason: z.string(),
});

export function referenceRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/reference', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getReference',
      summary: 'The current taxonomy and reference data, with every released version listed',
      description:
        'The current taxonomy (manifestations, contexts, indicators) and reference code lists used to record and read referrals, with every released taxonomy version listed.',
      response: {
        200: z.object({ versions: z.array(z.string()), taxonomy: z.record(z.string(), z.unknown()) }),
        401: apiError,
      },
    },
    handler: () => ({ versions: Object.keys(TAXONOMIES), taxonomy: { ...CURRENT_TAXONOMY } }),
  });

  r.get('/api/reference/:version', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getReferenceVersion',
      summary: 'A released taxonomy version (referrals keep the version they were recorded under)',
      description:
        'One released taxonomy version, so a referral recorded under an older version reads with the codes it was recorded under.',
      params: z.strictObject({ version: z.string().max(20) }),
      response: { 200: z.record(z.string(), z.unknown()), 401: apiError, 404: apiError },
    },
    handler: (request) => {
      const taxonomy = taxonomyVersion(request.params.version);
      if (!taxonomy) throw notFound('That taxonomy version');
      return { ...taxonomy };
    },
  });

  r.post('/api/terminology/check', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'checkTerminology',
      summary: 'Find terms to avoid and language that implies a child consented',
      description:
        'Checks a piece of text (up to 20,000 characters) for terms the Luxembourg Terminology Guidelines advise against and for language implying a child consented, and answers with each finding, a suggested wording and a reminder that a child cannot consent. The text is not stored.',
      body: z.strictObject({ text: z.string().max(20_000) }),
      response: {
        200: z.object({ findings: z.array(finding), reminder: z.string() }),
        400: apiError,
        401: apiError,
      },
    },
    handler: (request) => ({ findings: checkTerminology(request.body.text), reminder: CONSENT_REMINDER }),
  });
}
