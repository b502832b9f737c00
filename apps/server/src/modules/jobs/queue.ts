import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';

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
    await sql`
      INSERT INTO job (kind, payload, run_at, singleton_key)
      VALUES (${kind}, ${JSON.stringify(payload)}::jsonb, ${runAt}, ${options.singletonKey})
      ON CONFLICT (singleton_key) WHERE status IN ('queued', 'running') DO NOTHING`.execute(db);
    return;
  }
  await db
    .insertInto('job')
    .values({ kind, payload: JSON.stringify(payload), run_at: runAt })
    .execute();
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
    await db
      .insertInto('job')
      .values(
        payloads
          .slice(at, at + JOBS_PER_INSERT)
          .map((payload) => ({ kind, payload: JSON.stringify(payload) })),
      )
      .execute();
  }
}

interface ClaimedJob {
  id: string | number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  singleton_key: string | null;
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
    const result = await sql<ClaimedJob>`
      UPDATE job SET status = 'running', locked_at = now(), locked_by = ${this.id},
        lease_until = now() + ${`${LEASE_MS} milliseconds`}::interval, attempts = attempts + 1
      WHERE id = (
        SELECT id FROM job
        WHERE (status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now())
        ORDER BY run_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, kind, payload, attempts, singleton_key`.execute(this.ctx.db);
    return result.rows[0];
  }

  /** Runs every job that is due now, one at a time; answers how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (ran > 0 && this.stopped) return ran;
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
        await trx
          .updateTable('job')
          .set({ status: 'done', finished_at: new Date(), lease_until: null, last_error: null })
          .where(sql<boolean>`id = ${id}`)
          .where('locked_by', '=', this.id)
          .execute();
        const recurring = this.recurring.find((r) => r.kind === job.kind);
        if (recurring && job.singleton_key) {
          await sql`
            INSERT INTO job (kind, payload, run_at, singleton_key)
            VALUES (${job.kind}, '{}'::jsonb, ${new Date(Date.now() + recurring.everyMs())}, ${job.singleton_key})
            ON CONFLICT (singleton_key) WHERE status IN ('queued', 'running') DO NOTHING`.execute(trx);
        }
      });
    } catch (error) {
      // Error messages only: a job's payload may hold ids but never names, and nor does its log.
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= MAX_ATTEMPTS || !handler;
      await this.ctx.db
        .updateTable('job')
        .set({
          status: giveUp ? 'failed' : 'queued',
          last_error: message.slice(0, 500),
          lease_until: null,
          run_at: new Date(Date.now() + 2 ** job.attempts * 1000),
          finished_at: giveUp ? new Date() : null,
        })
        .where(sql<boolean>`id = ${id}`)
        .execute();
      this.log('job failed', { jobId: id, kind: job.kind, attempts: job.attempts, giveUp });
    }
  }
}
