// A scoring worker: rebuilds comparators over the shared columns and scores chunks of pairs.
import { parentPort, workerData } from 'node:worker_threads';
import { Dataset } from './comparisons.ts';
import { Scorer } from './model.ts';
import {
  countPatterns,
  KeptPairs,
  scoreChunk,
  type WorkerData,
  type WorkerReply,
  type WorkerRequest,
} from './pool.ts';

const data = workerData as WorkerData;
const scorer = new Scorer(new Dataset(data.strings, data.columns), data.config);
const port = parentPort;

port?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (request.type === 'model') {
      if (request.model.comparisons.length > 0) scorer.setModel(request.model);
      reply = { id: request.id, ok: true };
    } else if (request.type === 'patterns') {
      const counts = countPatterns(scorer, request.pairs);
      const flat = new Float64Array(counts.size * 2);
      let k = 0;
      for (const [p, c] of counts) {
        flat[k++] = p;
        flat[k++] = c;
      }
      reply = { id: request.id, patterns: flat };
      transfer.push(flat.buffer);
    } else {
      const out = new KeptPairs();
      scoreChunk(scorer, request.pairs, request.minWeight, out);
      const i = out.i.slice(0, out.length);
      const j = out.j.slice(0, out.length);
      const w = out.w.slice(0, out.length);
      reply = { id: request.id, i, j, w };
      transfer.push(i.buffer, j.buffer, w.buffer);
    }
  } catch (error) {
    reply = {
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  port.postMessage(reply, transfer);
});
