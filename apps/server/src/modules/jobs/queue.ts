import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import {
  claimNextJob,
  insertJob,
  insertJobs,
  insertSingletonJob,
  markJobDone,
  markJobFailed,
  type ClaimedJob,
  type JobLane,
} from './queries.ts';

export type { JobLane } from './queries.ts';

/** A job's work. It must be safe to run again if a process dies half-way (its lease expires). */
export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>) => Promise<void>;

export interface RecurringJob {
  kind: string;
  everyMs: () => number;
}

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one queued or running job with this key: a recurring job's next run. */
  singletonKey?: string;
}

const MAX_ATTEMPTS = 5;
const LEASE_MS = 5 * 60_000;

export async function enqueue(
  db: Db,
  kind: string,
  payload: Record<string, unknown> = {},
  options: EnqueueOptions = {},
): Promise<void> {
  const runAt = options.runAt ?? new Date();
  if (options.singletonKey) {
    await insertSingletonJob(db, kind, payload, runAt, options.singletonKey);
    return;
  }
  await insertJob(db, kind, payload, runAt);
}

/** Rows per INSERT when queueing many jobs at once. */
const JOBS_PER_INSERT = 2000;

/** Queues one job of `kind` per payload, to run now, in a few multi-row statements. */
export async function enqueueMany(
  db: Db,
  kind: string,
  payloads: readonly Record<string, unknown>[],
): Promise<void> {
  for (let at = 0; at < payloads.length; at += JOBS_PER_INSERT) {
    await insertJobs(db, kind, payloads.slice(at, at + JOBS_PER_INSERT));
  }
}

/**
 * Lets interactive work hold off this process's background jobs for a while: an import holds it
 * from the first byte of its upload to its report, so that on the embedded database (one thread
 * and one connection) linkage scoring of earlier imports does not stall the upload or the other
 * users' requests. Jobs already running finish; no new one starts while a hold is kept, but for
 * at most `maxMs` in a row (imports back to back must not hold reminders off for hours).
 */
export class BackgroundGate {
  private holds = 0;
  private since = 0;

  constructor(
    private readonly maxMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get held(): boolean {
    return this.holds > 0 && this.now() - this.since < this.maxMs;
  }

  /** Holds background jobs off until the returned function is called (once). */
  hold(): () => void {
    if (this.holds++ === 0) this.since = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
    };
  }
}

/**
 * Background work from the job table. Any number of processes may run a worker against one
 * database: a job is claimed with FOR UPDATE SKIP LOCKED, so exactly one worker takes it; a
 * worker that dies leaves a lease that expires, and another worker takes the job over.
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly recurring: readonly RecurringJob[] = [],
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
    /**
     * The kinds of job this worker takes (default: all). A process runs long jobs (statistics
     * warming) on a lane of their own, so that reminders and linkage never wait behind them.
     */
    private readonly lane: JobLane = {},
    /** While held, no new job starts (the next poll looks again). */
    private readonly gate?: BackgroundGate,
  ) {}

  /** Makes sure each recurring job has its next run queued (only one, whoever asks). */
  async scheduleRecurring(): Promise<void> {
    for (const job of this.recurring) {
      await enqueue(this.ctx.db, job.kind, {}, { singletonKey: job.kind });
    }
  }

  start(pollMs: number): void {
    const tick = () => {
      this.running = this.runDue()
        .catch((error: unknown) => {
          this.log('job worker tick failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, pollMs);
        });
    };
    this.running = this.scheduleRecurring().then(tick, tick);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async claim(): Promise<ClaimedJob | undefined> {
    return claimNextJob(this.ctx.db, this.id, LEASE_MS, this.lane);
  }

  /** Runs every job that is due now, one at a time; answers how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (ran > 0 && this.stopped) return ran;
      if (this.gate?.held) return ran;
      const job = await this.claim();
      if (!job) return ran;
      ran += 1;
      await this.execute(job);
      // Let requests in between jobs: PGlite answers on the microtask queue, so without this a
      // backlog (say, linkage scoring after a large import) holds off all I/O until it is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const id = job.id;
    const handler = this.handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(this.ctx, job.payload);
      await this.ctx.db.transaction().execute(async (trx) => {
        await markJobDone(trx, id, this.id);
        const recurring = this.recurring.find((r) => r.kind === job.kind);
        if (recurring && job.singleton_key) {
          await insertSingletonJob(
            trx,
            job.kind,
            {},
            new Date(Date.now() + recurring.everyMs()),
            job.singleton_key,
          );
        }
      });
    } catch (error) {
      // Error messages only: a job's payload may hold ids but never names, and nor does its log.
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= MAX_ATTEMPTS || !handler;
      await markJobFailed(this.ctx.db, id, {
        giveUp,
        message: message.slice(0, 500),
        runAt: new Date(Date.now() + 2 ** job.attempts * 1000),
      });
      this.log('job failed', { jobId: id, kind: job.kind, attempts: job.attempts, giveUp });
    }
  }
}
