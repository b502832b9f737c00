import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, charge, chargeInput, chargeUpdateInput, idParams } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import * as justice from './service.ts';

const chargeParams = z.strictObject({ id: z.uuid('Not a valid id'), itemId: z.uuid('Not a valid id') });

/** Justice outcomes of a case: charges laid, their provision, form of exploitation and outcome. */
export function justiceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };
  const writeErrors = { 400: apiError, 404: apiError, 409: apiError, 422: apiError, ...denied };

  r.get('/api/cases/:id/charges', {
    config: { access: 'cases.read' },
    schema: {
      summary: 'Charges laid in the case, with their outcomes',
      operationId: 'listCaseCharges',
      description:
        'The charges laid against the people who exploited the child, each with its offence provision, the form of exploitation, the date laid and where it stands. Answers 404 to anyone who may not see the case; each read is audited.',
      params: idParams,
      response: { 200: z.object({ charges: z.array(charge) }), 404: apiError, ...denied },
    },
    handler: async (request) => ({
      charges: await justice.listCharges(ctx, requireAuth(request), request.actor, request.params.id),
    }),
  });

  r.post('/api/cases/:id/charges', {
    config: { access: 'cases.manage', wording: ['note'] },
    schema: {
      summary: 'Record a charge laid (offence provision, form of exploitation, date)',
      operationId: 'recordCaseCharge',
      description:
        'Records a charge laid against a person who exploited the child: the offence provision from the taxonomy (for example Crimes Act 1961 s98D, Prostitution Reform Act 2003 ss20–23), the form of exploitation it concerns and the date laid. An unknown provision is refused with 400 and nothing is saved. The case team only.',
      params: idParams,
      body: chargeInput,
      response: { 201: charge, ...writeErrors },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await justice.recordCharge(
            ctx,
            requireAuth(request),
            request.actor,
            request.params.id,
            request.body,
          ),
        ),
  });

  r.patch('/api/cases/:id/charges/:itemId', {
    config: { access: 'cases.manage' },
    schema: {
      summary: 'Record the outcome of a charge (withdrawn, convicted, acquitted) and its date',
      operationId: 'updateCaseCharge',
      description:
        'Records where a charge stands: withdrawn, convicted or acquitted with the date, or charged again. Send the version you read: a stale one is refused with 409.',
      params: chargeParams,
      body: chargeUpdateInput,
      response: { 200: charge, ...writeErrors },
    },
    handler: async (request) =>
      justice.updateCharge(
        ctx,
        requireAuth(request),
        request.actor,
        request.params.id,
        request.params.itemId,
        request.body,
      ),
  });
}
