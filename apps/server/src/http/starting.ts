import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@tiaki/domain';

/** What a server that listens but is not ready yet is doing: opening and migrating the database, then the rest. */
export type StartPhase = 'migrating' | 'starting';

/** How long a caller is asked to wait before trying again while the server starts. */
export const START_RETRY_AFTER_SECONDS = 5;

const STARTING: ErrorCode = 'starting';

function send(response: ServerResponse, status: number, body: string, type: string): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...(status === 503 ? { 'retry-after': String(START_RETRY_AFTER_SECONDS) } : {}),
  });
  response.end(body);
}

/**
 * Answers every request while the server listens but the database is not yet opened, migrated
 * and the application assembled: `/healthz` says the process is up, `/readyz` says why it is not
 * ready, and everything else is 503 `starting` with Retry-After, so nothing runs against an
 * unmigrated database. Reads no body and touches nothing.
 */
export function answerWhileStarting(
  phase: StartPhase,
  database: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const json = 'application/json; charset=utf-8';
  if (path === '/healthz' || path === '/healthz/') {
    send(response, 200, JSON.stringify({ status: 'ok' }), json);
    return;
  }
  if (path === '/readyz' || path === '/readyz/') {
    send(response, 503, JSON.stringify({ status: phase, database }), json);
    return;
  }
  const isPage = !path.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
  if (isPage) {
    send(
      response,
      503,
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">' +
        '<title>Tiaki is starting</title></head><body><main><h1>Tiaki is starting</h1>' +
        '<p>This page will open by itself in a few seconds.</p></main></body></html>',
      'text/html; charset=utf-8',
    );
    return;
  }
  send(
    response,
    503,
    JSON.stringify({
      code: STARTING,
      message: `Tiaki is starting and not ready yet. Try again in ${START_RETRY_AFTER_SECONDS} seconds.`,
    }),
    json,
  );
}
