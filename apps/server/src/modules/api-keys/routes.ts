import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, apiKey, createApiKeyRequest, emptyBody, idParams } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { createKey, listKeys, revokeKey } from './service.ts';

export function apiKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['administration'];
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/organisations/:id/api-keys', {
    config: { access: 'api_keys.manage' },
    schema: {
      tags,
      summary: 'An organisation’s API keys (never the keys themselves)',
      params: idParams,
      response: { 200: z.object({ apiKeys: z.array(apiKey) }), 404: apiError, ...denied },
    },
    handler: async (request) => ({ apiKeys: await listKeys(ctx, request.params.id) }),
  });

  r.post('/api/organisations/:id/api-keys', {
    config: { access: 'api_keys.manage' },
    schema: {
      tags,
      summary: 'Issue an API key for an organisation’s system; the key is shown once',
      params: idParams,
      body: createApiKeyRequest,
      response: { 201: z.object({ apiKey, key: z.string() }), 400: apiError, 404: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createKey(ctx, request.actor, request.params.id, request.body)),
  });

  r.post('/api/api-keys/:id/revoke', {
    config: { access: 'api_keys.manage' },
    schema: {
      tags,
      summary: 'Revoke an API key at once',
      params: idParams,
      body: emptyBody,
      response: { 200: apiKey, 404: apiError, ...denied },
    },
    handler: (request) => revokeKey(ctx, request.actor, request.params.id),
  });
}
