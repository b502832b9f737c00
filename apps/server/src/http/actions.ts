import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { apiError, ok } from '@tiaki/domain';
import type { Actor } from '../modules/audit/service.ts';
import type { AuthContext } from '../modules/auth/service.ts';
import { requireAuth, type Access } from './access.ts';

const ACTION_ERRORS = {
  400: apiError,
  401: apiError,
  403: apiError,
  404: apiError,
  409: apiError,
  422: apiError,
};

export interface ActionRoute<P extends z.ZodType, B extends z.ZodType> {
  method?: 'POST' | 'PATCH' | 'DELETE';
  url: string;
  access: Access;
  /** Stable OpenAPI operation name, a camelCase verb phrase (`closeCase`); the API test requires it. */
  operationId?: string;
  summary: string;
  /** What the action does, in plain language; who may call it is added from `access`. */
  description?: string;
  params: P;
  body?: B;
  /** 201 when the action creates something. */
  status?: 200 | 201;
  /** Body fields that are free text about a child: the terminology guard checks them (wording.ts). */
  wording?: readonly string[];
}

export interface ActionInput<P extends z.ZodType, B extends z.ZodType> {
  auth: AuthContext;
  actor: Actor;
  params: z.output<P>;
  body: z.output<B>;
}

/**
 * A state-changing route that answers `{ ok: true }`: its access, schemas and error answers are
 * declared the same way everywhere, and the handler gets the caller and the validated input.
 */
export function actionRoutes(app: FastifyInstance) {
  return <P extends z.ZodType, B extends z.ZodType>(
    route: ActionRoute<P, B>,
    run: (input: ActionInput<P, B>) => Promise<unknown>,
  ): void => {
    addActionRoute(app, route, run);
  };
}

function addActionRoute<P extends z.ZodType, B extends z.ZodType>(
  app: FastifyInstance,
  route: ActionRoute<P, B>,
  run: (input: ActionInput<P, B>) => Promise<unknown>,
): void {
  const status = route.status ?? 200;
  // Validation and serialisation still come from the zod compilers set on the app.
  app.route({
    method: route.method ?? 'POST',
    url: route.url,
    config: { access: route.access, ...(route.wording ? { wording: route.wording } : {}) },
    schema: {
      ...(route.operationId ? { operationId: route.operationId } : {}),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      params: route.params,
      ...(route.body ? { body: route.body } : {}),
      response: { ...ACTION_ERRORS, [status]: ok },
    },
    handler: async (request, reply) => {
      await run({
        auth: requireAuth(request),
        actor: request.actor,
        params: request.params as z.output<P>,
        body: request.body as z.output<B>,
      });
      return reply.status(status).send({ ok: true as const });
    },
  });
}
