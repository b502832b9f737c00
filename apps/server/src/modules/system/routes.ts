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
      summary: 'The server is ready and the database is reachable',
      description:
        "Answers 200 when the server has started and the database answers; 503 otherwise, with the reason: `migrating` (the database is being opened and migrated), `starting` (the rest of start-up) or `unavailable` (the database does not answer). For a load balancer's or orchestrator's readiness probe; `/healthz` answers as soon as the process listens. Names the kind of database (pglite or postgres).",
      response: {
        200: z.object({ status: z.literal('ready'), database: z.string() }),
        503: z.object({ status: z.enum(['migrating', 'starting', 'unavailable']), database: z.string() }),
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
