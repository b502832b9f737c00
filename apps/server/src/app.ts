import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AppContext } from './context.ts';
import { installAccessControl } from './http/access.ts';
import { installErrorHandling } from './http/errors.ts';
import { installWordingCheck } from './http/wording.ts';
import { requireWordingSubject } from './modules/child-record/index.ts';
import { apiKeyRoutes } from './modules/api-keys/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { oidcRoutes } from './modules/auth/oidc-routes.ts';
import { breakGlassRoutes } from './modules/break-glass/routes.ts';
import { caseTeamRoutes } from './modules/case-team/routes.ts';
import { justiceRoutes } from './modules/justice/routes.ts';
import { caseRoutes } from './modules/cases/routes.ts';
import { searchRoutes } from './modules/search/index.ts';
import { decisionRoutes } from './modules/decisions/routes.ts';
import { mergeRoutes } from './modules/merges/routes.ts';
import { triageRoutes } from './modules/triage/routes.ts';
import { inLane, JOB_HANDLERS, JOB_LANES, recurringJobs } from './modules/jobs/handlers.ts';
import { BackgroundGate, JobWorker } from './modules/jobs/queue.ts';
import { AuditSealer } from './modules/audit/index.ts';
import { notificationRoutes } from './modules/notifications/routes.ts';
import { myWorkRoutes } from './modules/my-work/routes.ts';
import { exportRoutes } from './modules/exports/routes.ts';
import { publicationRoutes } from './modules/statistics/publication-routes.ts';
import { linkageRoutes } from './modules/linkage/routes.ts';
import { statisticsRoutes } from './modules/statistics/routes.ts';
import { closeStatisticsWorkers } from './modules/statistics/protect-pool.ts';
import { extractRoutes } from './modules/extracts/routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { privacyRoutes } from './modules/privacy/routes.ts';
import { referenceRoutes } from './modules/reference/routes.ts';
import { referralRoutes } from './modules/referrals/routes.ts';
import { serviceRoutes } from './modules/services/routes.ts';
import { API_TAGS } from './http/openapi.ts';
import { systemRoutes } from './modules/system/routes.ts';
import { userRoutes } from './modules/users/routes.ts';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built web app; when absent or missing, only the API is served. */
  webDist?: string | undefined;
  /** Run background jobs (deadline reminders, emails) in this process; every server process may. */
  backgroundJobs?: boolean;
  /** The HTTP server to answer on, already listening (`tiaki serve` listens before the database is ready). */
  serverFactory?: FastifyServerOptions['serverFactory'];
}

/** Log lines carry ids and route patterns only: never query strings, bodies, names or cookies. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
    serializers: {
      req: (req: { method: string; id: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? 'unmatched',
      }),
    },
  };
}

/** Public, identical for everyone, and free of personal data. */
function isPublicReference(path: string): boolean {
  return (
    path === '/api/openapi.json' ||
    path === '/api/reference' ||
    path.startsWith('/api/reference/') ||
    path === '/api/docs' ||
    path.startsWith('/api/docs/')
  );
}

/** How often each server process seals the audit chain: the sealing lag is about this. */
const AUDIT_SEAL_PERIOD_MS = 1000;

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const trusted = ctx.config.trustProxy;
  const app = Fastify({
    logger: options.logger ?? false,
    // A hop count trusts only the last N entries of X-Forwarded-For, the ones our proxies wrote.
    trustProxy: typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a cross-site HTML form cannot send it, which closes sign-in CSRF.
  app.removeContentTypeParser('text/plain');

  installErrorHandling(app);
  // Order matters: cookies are parsed and security headers set before access is checked.
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: ctx.config.secureCookies ? [] : null,
      },
    },
    hsts: ctx.config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // API answers carry children's identities and case content: no browser or proxy may keep a
  // copy. Only the public reference data and API documentation may be cached; a route that sets
  // its own Cache-Control (a download) still says no-store itself.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') && !isPublicReference(path)) reply.header('cache-control', 'no-store');
    done();
  });
  installAccessControl(app, ctx);
  installWordingCheck(app, ctx.db, requireWordingSubject);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tiaki API',
        version: '0.1.0',
        description:
          'National referral mechanism and case-data platform for child victims of commercial sexual exploitation in Aotearoa New Zealand. ' +
          'Sign in for a session cookie; send the session’s csrfToken as X-CSRF-Token on every state-changing request. ' +
          'Organisation systems may submit referrals with an API key instead. Each operation says who may call it.',
        contact: { name: 'The operators of this Tiaki installation', url: ctx.config.publicUrl },
      },
      servers: [{ url: ctx.config.publicUrl, description: 'This installation' }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tiaki_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An organisation system’s API key (tk_…).' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI's own policy would let any same-origin page frame the docs: keep them unframeable.
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });

  systemRoutes(app, ctx);
  authRoutes(app, ctx);
  oidcRoutes(app, ctx);
  organisationRoutes(app, ctx);
  userRoutes(app, ctx);
  auditRoutes(app, ctx);
  referenceRoutes(app);
  referralRoutes(app, ctx);
  apiKeyRoutes(app, ctx);
  triageRoutes(app, ctx);
  caseRoutes(app, ctx);
  searchRoutes(app, ctx);
  caseTeamRoutes(app, ctx);
  justiceRoutes(app, ctx);
  mergeRoutes(app, ctx);
  breakGlassRoutes(app, ctx);
  decisionRoutes(app, ctx);
  serviceRoutes(app, ctx);
  notificationRoutes(app, ctx);
  myWorkRoutes(app, ctx);
  statisticsRoutes(app, ctx);
  // Releases being protected in a worker thread end with the server (their readers get an error).
  app.addHook('onClose', closeStatisticsWorkers);
  linkageRoutes(app, ctx);
  publicationRoutes(app, ctx);
  exportRoutes(app, ctx);
  extractRoutes(app, ctx);
  privacyRoutes(app, ctx);
  // Imports hold this process's background jobs off while they run (see BackgroundGate).
  const background = new BackgroundGate();
  await importRoutes(app, ctx, background);

  if (options.backgroundJobs) {
    // One worker a lane: statistics warming on its own, so other jobs never wait behind it.
    const recurring = recurringJobs(ctx);
    const workers = JOB_LANES.map(
      (lane) =>
        new JobWorker(
          ctx,
          JOB_HANDLERS,
          recurring.filter((job) => inLane(lane, job.kind)),
          (message, fields) => {
            app.log.warn({ lane: lane.name, ...fields }, message);
          },
          lane,
          background,
        ),
    );
    app.addHook('onReady', () => {
      for (const worker of workers) worker.start(ctx.config.jobPollSeconds * 1000);
    });
    app.addHook('onClose', async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
    });
    // Links committed audit entries into the hash chain about every second (one process at a time).
    const sealer = new AuditSealer(
      ctx.db,
      { file: ctx.config.auditCheckpointFile, key: ctx.config.auditCheckpointKey },
      (message, fields) => {
        app.log.warn(fields ?? {}, message);
      },
    );
    app.addHook('onReady', () => {
      sealer.start(AUDIT_SEAL_PERIOD_MS);
    });
    app.addHook('onClose', () => sealer.stop());
  }

  if (options.webDist && existsSync(options.webDist)) {
    await app.register(fastifyStatic, {
      root: options.webDist,
      wildcard: true,
      index: 'index.html',
      // Brotli or gzip copies made at build time (apps/web/scripts/compress.mjs), when the browser takes them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        // Hashed file names change with their content: cached for a year. Everything else (index.html)
        // is checked every time, so a new release is picked up at once.
        void reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  // Unknown non-API pages are the web app's client-side routes.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isPage =
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      options.webDist !== undefined &&
      existsSync(options.webDist) &&
      (request.headers.accept ?? '').includes('text/html');
    if (isPage) return reply.sendFile('index.html');
    return reply.status(404).send({
      code: 'route_not_found',
      message: `There is no ${request.method} ${path} here.`,
      requestId: request.id,
    });
  });
  return app;
}
