import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';

export function systemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/healthz', {
    config: { access: 'public' },
    schema: {
      operationId: 'getHealth',
      summary: 'The process is up',
      description:
        "Answers as soon as the process runs, without touching the database: for a load balancer's liveness probe.",
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: () => ({ status: 'ok' as const }),
  });

  r.get('/readyz', {
    config: { access: 'public' },
    schema: {
      operationId: 'getReadiness',
      summary: 'The database is reachable',
      description:
        "Answers 200 when the database answers, 503 when it does not: for a load balancer's readiness probe. Names the kind of database (pglite or postgres).",
      response: {
        200: z.object({ status: z.literal('ready'), database: z.string() }),
        503: z.object({ status: z.literal('unavailable'), database: z.string() }),
      },
    },
    handler: async (_request, reply) =>
      (await ctx.database.ping())
        ? { status: 'ready' as const, database: ctx.database.kind }
        : reply.status(503).send({ status: 'unavailable' as const, database: ctx.database.kind }),
  });

  r.get('/api/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: () => app.swagger(),
  });
}
