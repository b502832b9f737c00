// A statistics worker thread: protects the releases it is sent (rounding and linked suppression,
// packages/disclosure) off the server's main thread. It gets counts and cell keys only, never a
// record, and the release secret in each request; it holds nothing between requests.
import { parentPort } from 'node:worker_threads';
import { runProtection, type ProtectReply, type ProtectRequest } from './protect-pool.ts';

parentPort?.on('message', (request: ProtectRequest) => {
  let reply: ProtectReply;
  try {
    reply = { id: request.id, published: runProtection(request) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage({ id: 0, ready: true } satisfies ProtectReply);
