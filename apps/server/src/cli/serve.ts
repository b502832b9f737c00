// `tiaki serve`, kept light: it imports only configuration and the start-up gate before it
// listens, and loads the application (database, routes, services) afterwards.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { answerWhileStarting, type StartPhase } from '../http/starting.ts';

/** How long a whole request (an import's upload above all) may take to arrive. */
const REQUEST_TIMEOUT_MS = 20 * 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

/**
 * Test hook (TIAKI_ENV=test only): holds readiness back this many milliseconds, so a test can see
 * a server that is still starting.
 */
function readyDelayMs(cfg: Config): number {
  if (cfg.env !== 'test') return 0;
  const value = Number(process.env.TIAKI_TEST_READY_DELAY_MS ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Listens first, so `/healthz` answers within seconds whatever the data size; then opens and
 * migrates the database, seeds the demo and assembles the application while every other request
 * is answered 503 `starting`. Catch-up work (queued jobs, audit sealing, demo history) starts in
 * the background once the server is ready.
 */
export async function serve(): Promise<void> {
  const cfg = config();
  const kind = cfg.databaseUrl ? 'postgres' : 'pglite';
  let phase: StartPhase = 'migrating';
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (request, response) => {
    answerWhileStarting(phase, kind, request, response);
  };
  const server = createServer((request, response) => {
    handle(request, response);
  });
  // A whole request may take this long to arrive: an import's upload (up to 200 MiB) needs far
  // more than Node's default 5 minutes on a slow line (20 minutes is about 170 KB/s). Headers
  // must still come within Node's 60 s, and other requests' bodies are limited to 1 MiB.
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  // An idle kept-alive connection is closed after this long: Fastify's own default, which a server
  // made here would otherwise not get (Node's is 5 s, shorter than a PGlite statement can hold
  // the thread during a large import).
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  let ctx: AppContext | undefined;
  let app: FastifyInstance | undefined;
  const closing = { now: false };
  const shutdown = async (signal: string) => {
    if (closing.now) return;
    closing.now = true;
    console.log(`\n${signal}: finishing requests in progress and closing the database…`);
    try {
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      if (app) await app.close();
      await closed;
      if (ctx) await ctx.database.close();
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: cfg.port, host: cfg.host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${cfg.port} on ${cfg.host} is already in use (is Tiaki already running?). Stop the other process or set PORT to a free port.`
        : `Could not listen on ${cfg.host}:${cfg.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  console.log(`Starting: listening on ${cfg.host}:${cfg.port}; /healthz answers now, /readyz once ready.`);
  let demoHistory = 0;
  try {
    const where = cfg.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${cfg.dataDir}`;
    console.log(`Starting: opening the database (${where}) and checking migrations…`);
    const opened = Date.now();
    // The rest of the application is loaded only now, so the listener is up within a second or two.
    const { createContext } = await import('../runtime.ts');
    const { buildApp, loggerOptions } = await import('../app.ts');
    const { formatCredentials, seedDemoData } = await import('../demo/seed.ts');
    ctx = await createContext(cfg);
    phase = 'starting';
    console.log(
      `Database: ${where}; migrations applied now: ${ctx.database.migrations.applied.length} (${Date.now() - opened} ms)`,
    );
    if (cfg.demoMode) {
      // The history is seeded once the server is ready (below), so the demo opens at once.
      console.log('Starting: adding the demo organisations and accounts…');
      const credentials = await seedDemoData(ctx, { historyReferrals: 0 });
      if (credentials) demoHistory = cfg.demoHistoryReferrals;
      if (credentials) console.log(`\n${formatCredentials(credentials)}\n`);
    }
    let fastifyHandler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
    app = await buildApp(ctx, {
      logger: loggerOptions(cfg.logLevel),
      webDist: WEB_DIST,
      backgroundJobs: true,
      serverFactory: (handler) => {
        fastifyHandler = handler;
        return server;
      },
    });
    // Starts the job worker and the audit sealer, which catch up in the background.
    await app.ready();
    const delay = readyDelayMs(cfg);
    if (delay > 0) {
      console.log(`Starting: readiness held back ${delay} ms (TIAKI_TEST_READY_DELAY_MS)…`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    if (!fastifyHandler) throw new Error('the application did not take the listening server');
    if (closing.now) return;
    handle = fastifyHandler;
  } catch (error) {
    if (closing.now) return;
    console.error(`Tiaki could not start: ${(error as Error).message}`);
    server.close();
    await app?.close().catch(() => {});
    await ctx?.database.close().catch(() => {});
    process.exit(1);
  }
  console.log(`Tiaki is running at ${cfg.publicUrl} (API docs: ${cfg.publicUrl}/api/docs)`);
  if (cfg.demoMode) console.log('Demo mode: synthetic data only; MFA is relaxed for demo accounts.');
  if (demoHistory > 0) {
    const ready = ctx;
    const { seedDemoHistoryFor } = await import('../demo/seed.ts');
    console.log(`Adding two years of synthetic demo history (${demoHistory} referrals) in the background…`);
    let shown = 0;
    seedDemoHistoryFor(ready, demoHistory, (done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct >= shown + 25 || done === total) {
        shown = pct;
        console.log(`Demo history: ${done} of ${total} referrals (${pct}%)`);
      }
    }).catch((error: unknown) => {
      if (!closing.now) console.error(`Demo history stopped: ${(error as Error).message}`);
    });
  }
}
