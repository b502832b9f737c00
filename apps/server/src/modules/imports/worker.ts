// An import worker: checks, encrypts and writes as COPY text the batches of rows it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { KeyRing } from '../../security/keyring.ts';
import { prepareBatch } from './prepare.ts';
import type { PrepareReply, PrepareRequest, PrepareWorkerData } from './pool.ts';

const data = workerData as PrepareWorkerData;
const keyring = new KeyRing(
  data.keys.map((key: { id: string; key: Uint8Array }) => ({ id: key.id, key: Buffer.from(key.key) })),
  Buffer.from(data.blindIndexKey),
);

parentPort?.postMessage({ id: 0, ready: true } satisfies PrepareReply);
parentPort?.on('message', (request: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    reply = { id: request.id, batch: prepareBatch(keyring, request.rows, request.format, request.checkOnly) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
