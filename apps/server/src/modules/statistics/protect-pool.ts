// Release protection off the main thread (issue 17). Protecting a release (random rounding of every
// cell and linked secondary suppression across all its tables, packages/disclosure) is seconds to
// a minute of CPU at national volume; in the server's main thread it held every request up,
// /healthz included. It runs in a small pool of worker threads instead (STATS_THREADS; 0: here).
//
// A worker gets what protectRelease needs and nothing else: table inputs (labels, counts and the
// records' cell keys, which are salted hashes), the links between tables and the release options
// with their secret. Never a name, an identifier or a narrative.
//
// A worker that stops (a crash, out of memory) fails the releases it was computing with a
// plain-language error, nothing of them is kept (cache.ts forgets a failed computation), and the
// next release starts a new worker.
import { isMainThread, Worker } from 'node:worker_threads';
import {
  protectRelease,
  tabulate,
  type DisclosureOptions,
  type PublishedTable,
  type ReleaseLinks,
  type TableInput,
} from '@tiaki/disclosure';

/**
 * A table of a release as sent to a worker: its input, not a tabulated table (an ExactTable's
 * cell keys live in a WeakMap of the thread that made it, and would be lost on the way).
 */
export interface ReleaseInput {
  readonly table: TableInput;
  readonly protectZerosBelow?: number;
}

export interface ProtectRequest {
  id: number;
  tables: readonly ReleaseInput[];
  options: DisclosureOptions;
  links: ReleaseLinks;
  /** Tests only: CPU spent before protecting (ms), or stop the worker as a crash would. */
  test?: { spinMs?: number; crash?: boolean };
}

export type ProtectReply =
  { id: number; published: PublishedTable[] } | { id: number; error: string } | { id: 0; ready: true };

/** Protects one release: the same in a worker and in this thread. */
export function runProtection(request: Omit<ProtectRequest, 'id'>): PublishedTable[] {
  if (request.test?.crash) {
    if (!isMainThread) process.exit(70);
    throw new StatisticsWorkerError('a test stopped it');
  }
  const until = performance.now() + (request.test?.spinMs ?? 0);
  while (performance.now() < until) {
    // Busy on purpose (tests): a computation that takes the CPU, as a large release does.
  }
  const tables = request.tables.map((t) => ({ ...t, table: tabulate(t.table) }));
  return protectRelease(tables, request.options, request.links);
}

const ENTRY = new URL('./protect-worker-entry.mjs', import.meta.url);

/** What a stopped worker's releases fail with: said to the reader as a 500's plain message. */
export class StatisticsWorkerError extends Error {
  constructor(detail: string) {
    super(`The statistics worker stopped (${detail}); nothing of this release was kept`);
    this.name = 'StatisticsWorkerError';
  }
}

interface Job {
  request: ProtectRequest;
  resolve: (published: PublishedTable[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

class ProtectPool {
  private nextId = 1;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];

  constructor(readonly threads: number) {}

  protect(request: Omit<ProtectRequest, 'id'>): Promise<PublishedTable[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.threads) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift() as Job;
      slot.job = job;
      // Keeps the process alive only while it computes: an idle worker never holds up an exit.
      slot.worker.ref();
      slot.worker.postMessage(job.request);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(ENTRY), job: null };
    slot.worker.unref();
    this.slots.push(slot);
    slot.worker.on('message', (reply: ProtectReply) => {
      if ('ready' in reply) return;
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      slot.job = null;
      slot.worker.unref();
      if ('error' in reply) job.reject(new Error(`Release protection failed: ${reply.error}`));
      else job.resolve(reply.published);
      this.dispatch();
    });
    const stopped = (detail: string) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.job?.reject(new StatisticsWorkerError(detail));
      slot.job = null;
      // Waiting releases get a new worker.
      this.dispatch();
    };
    slot.worker.on('error', (error) => {
      stopped(error.message);
      void slot.worker.terminate();
    });
    slot.worker.on('exit', (code) => {
      stopped(`exit code ${code}`);
    });
    return slot;
  }

  /** Releases a worker is computing now. */
  get computing(): number {
    return this.slots.filter((slot) => slot.job !== null).length;
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const job of this.queue.splice(0)) job.reject(new StatisticsWorkerError('the server is stopping'));
    for (const slot of slots) slot.job?.reject(new StatisticsWorkerError('the server is stopping'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}

/** The pools of this process (one a thread count), each started at the first release it protects. */
const pools = new Map<number, ProtectPool>();

let testHooks: ProtectRequest['test'];

/** Tests only: make the next releases slow (CPU) or stop their worker; undefined to stop. */
export function setProtectionTestHooks(hooks: ProtectRequest['test']): void {
  testHooks = hooks;
}

/**
 * Protects a release in a worker thread (threads > 0) or in this thread (0), with the same
 * result: protection is a pure function of the counts, their keys, the links and the secret.
 */
export function protectReleaseOffThread(
  threads: number,
  tables: readonly ReleaseInput[],
  options: DisclosureOptions,
  links: ReleaseLinks = {},
): Promise<PublishedTable[]> {
  const request = { tables, options, links, ...(testHooks ? { test: testHooks } : {}) };
  if (threads <= 0) {
    try {
      return Promise.resolve(runProtection(request));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
  let pool = pools.get(threads);
  if (!pool) pools.set(threads, (pool = new ProtectPool(threads)));
  return pool.protect(request);
}

/** Releases being protected in worker threads of this process now (tests, diagnostics). */
export function releasesInWorkers(): number {
  return [...pools.values()].reduce((n, pool) => n + pool.computing, 0);
}

/** Stops the statistics workers (the server's close); the next release starts new ones. */
export async function closeStatisticsWorkers(): Promise<void> {
  const closing = [...pools.values()];
  pools.clear();
  await Promise.all(closing.map((pool) => pool.close()));
}
