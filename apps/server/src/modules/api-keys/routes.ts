import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, apiKey, createApiKeyRequest, emptyBody, idParams } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { createKey, listKeys, revokeKey } from './service.ts';

export function apiKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/organisations/:id/api-keys', {
    config: { access: 'api_keys.manage' },
    schema: {
      operationId: 'listApiKeys',
      summary: 'An organisation’s API keys (never the keys themselves)',
      description:
        "The API keys issued to one organisation's systems: name, scopes, when issued, last used and revoked. The keys themselves are never stored or shown again.",
      params: idParams,
      response: { 200: z.object({ apiKeys: z.array(apiKey) }), 404: apiError, ...denied },
    },
    handler: async (request) => ({ apiKeys: await listKeys(ctx, request.params.id) }),
  });

  r.post('/api/organisations/:id/api-keys', {
    config: { access: 'api_keys.manage' },
    schema: {
      operationId: 'issueApiKey',
      summary: 'Issue an API key for an organisation’s system; the key is shown once',
      description:
        "Issues a key an organisation's system sends as Authorization: Bearer tk_… to submit referrals without a person signing in. The key is in this answer only; Tiaki keeps a hash of it.",
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
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key at once',
      description: 'Revokes an API key: it is refused from the next request on. Audited.',
      params: idParams,
      body: emptyBody,
      response: { 200: apiKey, 404: apiError, ...denied },
    },
    handler: (request) => revokeKey(ctx, request.actor, request.params.id),
  });
}
