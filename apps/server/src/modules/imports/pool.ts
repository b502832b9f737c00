// The import's checking and encryption, spread over worker threads (worker.ts). The importing
// thread keeps reading the file and feeding the database; the workers validate, encrypt and write
// COPY text. Until a worker has started, batches are prepared in the importing thread, so a small
// file never waits for one.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EncryptionKey } from '../../config.ts';
import type { KeyRing } from '../../security/keyring.ts';
import { prepareBatch, type PreparedBatch } from './prepare.ts';
import type { ImportFormat, SourceRow } from './rows.ts';

export interface PrepareWorkerData {
  keys: EncryptionKey[];
  blindIndexKey: Buffer;
}
export interface PrepareRequest {
  id: number;
  rows: SourceRow[];
  format: ImportFormat;
  checkOnly: boolean;
}
export type PrepareReply =
  { id: number; batch: PreparedBatch } | { id: number; error: string } | { id: 0; ready: true };

export interface Preparer {
  /** Checks (and unless checkOnly, encrypts) a batch; batches may finish out of order. */
  prepare(rows: SourceRow[], format: ImportFormat, checkOnly: boolean): Promise<PreparedBatch>;
  /** Batches sent and not yet back. */
  readonly pending: number;
  /** Batches that may be pending at once before the caller should wait (bounded memory). */
  readonly capacity: number;
  /** Resolves once a worker has started (at once when there are none). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Threads for an import: the machine's cores, at most four (the database needs some too). */
export const defaultImportThreads = () => Math.min(4, availableParallelism());

/** The worker's sources through tsx: seconds of CPU to start (tsx compiles ~90 modules in the worker). */
const ENTRY = new URL('./worker-entry.mjs', import.meta.url);
const SOURCE = new URL('./worker.ts', import.meta.url);

/**
 * The worker as one JavaScript module, bundled once a process by esbuild (which tsx brings and
 * runs anyway) and started from memory: a worker is ready in about 0.1 s of CPU instead of 1.6–2.7 s
 * (measured on the 2-core machine), which at 50,000 rows was a fifth of the import's CPU. The
 * holiday calendar (a megabyte of data no row check uses) is left out. If bundling fails, the
 * workers run the sources through tsx as before.
 */
async function bundleWorker(): Promise<URL> {
  const esbuild = await import('esbuild');
  // esbuild works in a child process, ended once the bundle is made (it is made once).
  const result = await esbuild
    .build({
      entryPoints: [fileURLToPath(SOURCE)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
      // Bundled CommonJS packages require Node's own modules: give the module a `require`.
      banner: {
        js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(${JSON.stringify(fileURLToPath(SOURCE))});`,
      },
      plugins: [
        {
          name: 'no-holiday-calendar',
          setup(build) {
            build.onResolve({ filter: /^date-holidays$/ }, () => ({
              path: 'date-holidays',
              namespace: 'stub',
            }));
            build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
              contents:
                "export default class Holidays { constructor() { throw new Error('No holiday calendar in an import worker'); } }",
            }));
          },
        },
      ],
    })
    .finally(() => esbuild.stop().catch(() => undefined));
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error('The import worker bundle is empty');
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

let bundled: Promise<URL | null> | undefined;
/** The bundled worker, built at the first import of the process (null: use the sources). */
const workerScript = (): Promise<URL | null> => (bundled ??= bundleWorker().catch(() => null));

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: number;
}

const READY_POLL_MS = 50;

class PreparePool implements Preparer {
  private nextId = 1;
  private failure: Error | undefined;
  private readonly slots: Slot[];
  private readonly waiting = new Map<
    number,
    { resolve: (b: PreparedBatch) => void; reject: (e: Error) => void }
  >();
  pending = 0;
  readonly capacity: number;

  private closed = false;
  private referenced = true;

  constructor(
    private readonly keyring: KeyRing,
    private readonly data: PrepareWorkerData,
    threads: number,
  ) {
    this.capacity = threads * 2;
    this.slots = [];
    void workerScript().then((script) => {
      for (let n = 0; n < threads; n++) this.spawn(script);
    });
  }

  /** Starts a worker (the bundled one, or the sources through tsx if that one fails to start). */
  private spawn(script: URL | null): void {
    if (this.closed) return;
    const slot: Slot = {
      worker: new Worker(script ?? ENTRY, { workerData: this.data }),
      ready: false,
      inFlight: 0,
    };
    if (!this.referenced) slot.worker.unref();
    this.slots.push(slot);
    slot.worker.on('message', (reply: PrepareReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        return;
      }
      slot.inFlight--;
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!pending) return;
      if ('error' in reply) pending.reject(new Error(`Import worker failed: ${reply.error}`));
      else pending.resolve(reply.batch);
    });
    slot.worker.on('error', (error) => {
      if (script && !slot.ready) {
        // The bundle did not start: this worker runs the sources instead (it had no batch yet).
        this.slots.splice(this.slots.indexOf(slot), 1);
        this.spawn(null);
        return;
      }
      this.fail(error);
    });
    slot.worker.on('exit', (code) => {
      if (code !== 0 && (slot.ready || !script) && !this.closed)
        this.fail(new Error(`Import worker exited with code ${code}`));
    });
  }

  async ready(): Promise<void> {
    while (!this.slots.some((slot) => slot.ready)) {
      if (this.failure) throw this.failure;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Whether the workers keep the process alive (only while an import uses them). */
  ref(on: boolean): void {
    this.referenced = on;
    for (const slot of this.slots) {
      if (on) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.waiting.values()) p.reject(error);
    this.waiting.clear();
  }

  async prepare(rows: SourceRow[], format: ImportFormat, checkOnly: boolean): Promise<PreparedBatch> {
    if (this.failure) throw this.failure;
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.ready && (!best || slot.inFlight < best.inFlight)) best = slot;
    // No worker has started yet: this thread does the batch itself.
    if (!best) return prepareBatch(this.keyring, rows, format, checkOnly);
    const id = this.nextId++;
    const target = best;
    target.inFlight++;
    this.pending++;
    try {
      return await new Promise<PreparedBatch>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        target.worker.postMessage({ id, rows, format, checkOnly } satisfies PrepareRequest);
      });
    } finally {
      this.pending--;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

class InThread implements Preparer {
  readonly pending = 0;
  readonly capacity = 1;
  constructor(private readonly keyring: KeyRing) {}
  prepare(rows: SourceRow[], format: ImportFormat, checkOnly: boolean): Promise<PreparedBatch> {
    return Promise.resolve(prepareBatch(this.keyring, rows, format, checkOnly));
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A pool's workers stay this long after the last import using them, for the next one. */
const IDLE_MS = 30_000;

interface Shared {
  pool: PreparePool;
  threads: number;
  leases: number;
  idle?: NodeJS.Timeout;
}
/** One pool per key ring (a process has one): starting a worker costs seconds of CPU. */
const shared = new WeakMap<KeyRing, Shared>();

/** An import's use of the shared pool: its own count of batches in flight. */
class Lease implements Preparer {
  pending = 0;
  private closed = false;
  constructor(
    private readonly keyring: KeyRing,
    private readonly entry: Shared,
  ) {}
  get capacity(): number {
    return this.entry.pool.capacity;
  }
  ready(): Promise<void> {
    return this.entry.pool.ready();
  }
  async prepare(rows: SourceRow[], format: ImportFormat, checkOnly: boolean): Promise<PreparedBatch> {
    this.pending++;
    try {
      return await this.entry.pool.prepare(rows, format, checkOnly);
    } finally {
      this.pending--;
    }
  }
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const entry = this.entry;
    entry.leases--;
    if (entry.leases === 0) {
      // Kept for the next import a while, without keeping the process alive meanwhile.
      entry.pool.ref(false);
      entry.idle = setTimeout(() => {
        if (shared.get(this.keyring) === entry) shared.delete(this.keyring);
        void entry.pool.close();
      }, IDLE_MS);
      entry.idle.unref();
    }
    return Promise.resolve();
  }
}

/**
 * Worker threads (the keys are handed to them in memory), shared by the imports of this process
 * and kept a while after the last one; or this thread alone when threads is 0.
 */
export function createPreparer(
  keyring: KeyRing,
  keys: { encryptionKeys: EncryptionKey[]; blindIndexKey: Buffer },
  threads: number,
): Preparer {
  if (threads <= 0) return new InThread(keyring);
  let entry = shared.get(keyring);
  if (entry && (entry.threads !== threads || entry.pool.failed)) {
    if (entry.leases === 0) void entry.pool.close();
    entry = undefined;
  }
  if (!entry) {
    entry = {
      pool: new PreparePool(
        keyring,
        { keys: keys.encryptionKeys, blindIndexKey: keys.blindIndexKey },
        threads,
      ),
      threads,
      leases: 0,
    };
    shared.set(keyring, entry);
  }
  clearTimeout(entry.idle);
  entry.leases++;
  entry.pool.ref(true);
  return new Lease(keyring, entry);
}
