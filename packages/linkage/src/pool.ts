// Scoring candidate pairs, in worker threads (all cores busy) or in this thread for small jobs.
import { Worker } from 'node:worker_threads';
import { Dataset } from './comparisons.ts';
import { Scorer, type PatternCounts, mergeCounts } from './model.ts';
import { shareColumns, type Prepared } from './prepare.ts';
import type { LinkageConfig, Model } from './types.ts';

/** Pairs that scored at least the kept weight: record indices and weights. */
export class KeptPairs {
  i = new Uint32Array(1024);
  j = new Uint32Array(1024);
  w = new Float64Array(1024);
  length = 0;
  push(i: number, j: number, w: number): void {
    if (this.length === this.i.length) {
      const size = this.length * 2;
      const grow = <T extends Uint32Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.i = grow(this.i, new Uint32Array(size));
      this.j = grow(this.j, new Uint32Array(size));
      this.w = grow(this.w, new Float64Array(size));
    }
    this.i[this.length] = i;
    this.j[this.length] = j;
    this.w[this.length] = w;
    this.length++;
  }
}

export type Progress = (done: number) => void;

export interface ScoringBackend {
  setModel(model: Model): Promise<void>;
  patterns(chunks: Iterable<Uint32Array>, progress?: Progress): Promise<PatternCounts>;
  score(chunks: Iterable<Uint32Array>, minWeight: number, progress?: Progress): Promise<KeptPairs>;
  close(): Promise<void>;
}

/** What a worker replies. */
export type WorkerReply =
  | { id: number; patterns: Float64Array }
  | { id: number; i: Uint32Array; j: Uint32Array; w: Float64Array }
  | { id: number; ok: true }
  | { id: number; error: string };

export type WorkerRequest =
  | { id: number; type: 'patterns'; pairs: Uint32Array }
  | { id: number; type: 'score'; pairs: Uint32Array; minWeight: number }
  | { id: number; type: 'model'; model: Model };

export function countPatterns(scorer: Scorer, pairs: Uint32Array): PatternCounts {
  const counts: PatternCounts = new Map();
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const p = scorer.pattern(pairs[k] ?? 0, pairs[k + 1] ?? 0);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

export function scoreChunk(scorer: Scorer, pairs: Uint32Array, minWeight: number, out: KeptPairs): void {
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const i = pairs[k] ?? 0;
    const j = pairs[k + 1] ?? 0;
    const w = scorer.weight(i, j);
    if (w >= minWeight) out.push(i, j, w);
  }
}

class InThread implements ScoringBackend {
  constructor(private readonly scorer: Scorer) {}
  setModel(model: Model): Promise<void> {
    this.scorer.setModel(model);
    return Promise.resolve();
  }
  patterns(chunks: Iterable<Uint32Array>, progress?: Progress): Promise<PatternCounts> {
    const all: PatternCounts = new Map();
    let done = 0;
    for (const chunk of chunks) {
      mergeCounts(all, countPatterns(this.scorer, chunk));
      done += chunk.length / 2;
      progress?.(done);
    }
    return Promise.resolve(all);
  }
  score(chunks: Iterable<Uint32Array>, minWeight: number, progress?: Progress): Promise<KeptPairs> {
    const out = new KeptPairs();
    let done = 0;
    for (const chunk of chunks) {
      scoreChunk(this.scorer, chunk, minWeight, out);
      done += chunk.length / 2;
      progress?.(done);
    }
    return Promise.resolve(out);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

class WorkerPool implements ScoringBackend {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }
  >();
  private readonly inFlight: number[];
  private failure: Error | undefined;

  constructor(private readonly workers: Worker[]) {
    this.inFlight = workers.map(() => 0);
    workers.forEach((w, k) => {
      w.on('message', (reply: WorkerReply) => {
        this.inFlight[k] = (this.inFlight[k] ?? 1) - 1;
        const pending = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (!pending) return;
        if ('error' in reply) pending.reject(new Error(`Scoring worker failed: ${reply.error}`));
        else pending.resolve(reply);
      });
      w.on('error', (error) => {
        this.fail(error);
      });
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`Scoring worker exited with code ${code}`));
      });
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.waiting.values()) p.reject(error);
    this.waiting.clear();
  }

  private send(k: number, request: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[k] as Worker;
    this.inFlight[k] = (this.inFlight[k] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      worker.postMessage(request, transfer);
    });
  }

  /** Least busy worker; waits while every worker has two chunks queued (bounded memory). */
  private async slot(pending: Set<Promise<unknown>>): Promise<number> {
    for (;;) {
      let best = 0;
      this.inFlight.forEach((n, k) => {
        if (n < (this.inFlight[best] ?? 0)) best = k;
      });
      if ((this.inFlight[best] ?? 0) < 2) return best;
      await Promise.race(pending);
    }
  }

  async setModel(model: Model): Promise<void> {
    await Promise.all(this.workers.map((_, k) => this.send(k, { id: this.nextId++, type: 'model', model })));
  }

  private async run(
    chunks: Iterable<Uint32Array>,
    request: (pairs: Uint32Array, id: number) => WorkerRequest,
    onReply: (reply: WorkerReply) => void,
    progress?: Progress,
  ): Promise<void> {
    const pending = new Set<Promise<unknown>>();
    let done = 0;
    for (const chunk of chunks) {
      const k = await this.slot(pending);
      const size = chunk.length / 2;
      const p = this.send(k, request(chunk, this.nextId++), [chunk.buffer as ArrayBuffer]).then((reply) => {
        pending.delete(p);
        onReply(reply);
        done += size;
        progress?.(done);
      });
      pending.add(p);
    }
    await Promise.all(pending);
  }

  async patterns(chunks: Iterable<Uint32Array>, progress?: Progress): Promise<PatternCounts> {
    const all: PatternCounts = new Map();
    await this.run(
      chunks,
      (pairs, id) => ({ id, type: 'patterns', pairs }),
      (reply) => {
        if (!('patterns' in reply)) return;
        const flat = reply.patterns;
        for (let k = 0; k + 1 < flat.length; k += 2) {
          const p = flat[k] ?? 0;
          all.set(p, (all.get(p) ?? 0) + (flat[k + 1] ?? 0));
        }
      },
      progress,
    );
    return all;
  }

  async score(chunks: Iterable<Uint32Array>, minWeight: number, progress?: Progress): Promise<KeptPairs> {
    const out = new KeptPairs();
    await this.run(
      chunks,
      (pairs, id) => ({ id, type: 'score', pairs, minWeight }),
      (reply) => {
        if (!('w' in reply)) return;
        for (let k = 0; k < reply.w.length; k++) out.push(reply.i[k] ?? 0, reply.j[k] ?? 0, reply.w[k] ?? 0);
      },
      progress,
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface WorkerData {
  strings: string[];
  columns: Prepared['columns'];
  config: LinkageConfig;
}

/** Starts `threads` workers sharing the prepared columns, or scores in this thread when threads is 0. */
export async function createBackend(
  prepared: Prepared,
  config: LinkageConfig,
  threads: number,
): Promise<ScoringBackend> {
  if (threads <= 0) return new InThread(new Scorer(new Dataset(prepared.strings, prepared.columns), config));
  const data: WorkerData = { strings: prepared.strings, columns: shareColumns(prepared.columns), config };
  const workers = Array.from({ length: threads }, () => new Worker(ENTRY, { workerData: data }));
  const pool = new WorkerPool(workers);
  // A no-op round trip: the worker has loaded its modules and is ready.
  await pool.setModel({
    version: 1,
    config,
    lambda: 0.5,
    comparisons: [],
    termFrequencies: {},
    training: { candidatePairs: 0, emIterations: 0, converged: false, randomPairs: 0 },
  });
  return pool;
}
