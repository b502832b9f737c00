import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { STATISTICS_WARM_JOB } from '../statistics/index.ts';
import { inLane, JOB_LANES } from './handlers.ts';
import { BackgroundGate, enqueue, JobWorker, type JobHandler } from './queue.ts';

describe.each(DRIVERS)('background jobs on %s', (driver) => {
  let ctx: TestContext;
  let second: AppContext;
  let secondDatabase: Database | undefined;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    // A second server process: its own connection pool to the same database (PGlite has one
    // process, so there the two workers share it).
    if (ctx.config.databaseUrl) {
      secondDatabase = await openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: undefined });
      second = { ...ctx, database: secondDatabase, db: secondDatabase.db };
    } else {
      second = ctx;
    }
  });
  afterAll(async () => {
    await secondDatabase?.close();
    await ctx.close();
  });

  const jobs = async (kind: string) =>
    ctx.db
      .selectFrom('job')
      .select(['status', 'attempts', 'last_error', 'run_at'])
      .where('kind', '=', kind)
      .execute();

  it('runs each job exactly once when two workers compete for them', async () => {
    const runs: number[] = [];
    const handler: JobHandler = async (_ctx, payload) => {
      runs.push(Number(payload.n));
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    for (let n = 0; n < 40; n++) await enqueue(ctx.db, 'count', { n });
    const a = new JobWorker(ctx, { count: handler });
    const b = new JobWorker(second, { count: handler });
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(40);
    expect(runs.sort((x, y) => x - y)).toEqual([...Array(40).keys()]);
    expect((await jobs('count')).every((j) => j.status === 'done')).toBe(true);
  });

  it('starts no job while an import holds the gate, runs them once it is let go, and is never held for longer than its limit', async () => {
    const runs: number[] = [];
    const handler: JobHandler = (_ctx, payload) => {
      runs.push(Number(payload.n));
      return Promise.resolve();
    };
    for (let n = 0; n < 3; n++) await enqueue(ctx.db, 'gated', { n });
    let clock = 0;
    const gate = new BackgroundGate(60_000, () => clock);
    const worker = new JobWorker(ctx, { gated: handler }, [], () => {}, {}, gate);
    const letGo = gate.hold();
    const second = gate.hold();
    expect(await worker.runDue()).toBe(0);
    letGo();
    letGo(); // letting go twice counts once: the other hold still keeps the gate
    expect(await worker.runDue()).toBe(0);
    expect(runs).toEqual([]);
    second();
    expect(await worker.runDue()).toBe(3);
    expect(runs.sort()).toEqual([0, 1, 2]);
    // A hold kept past the limit no longer stops the jobs.
    await enqueue(ctx.db, 'gated', { n: 3 });
    const kept = gate.hold();
    expect(await worker.runDue()).toBe(0);
    clock += 60_000;
    expect(await worker.runDue()).toBe(1);
    kept();
  });

  it('keeps one queued run of a recurring job, and queues the next run after each', async () => {
    let ran = 0;
    const recurring = [{ kind: 'tick', everyMs: () => 60_000 }];
    const a = new JobWorker(ctx, { tick: () => Promise.resolve(void (ran += 1)) }, recurring);
    const b = new JobWorker(second, { tick: () => Promise.resolve(void (ran += 1)) }, recurring);
    await Promise.all([a.scheduleRecurring(), b.scheduleRecurring(), a.scheduleRecurring()]);
    expect(await jobs('tick')).toHaveLength(1);
    // Measured from before the run, not after: a busy machine may take seconds over it.
    const beforeRun = Date.now();
    await Promise.all([a.runDue(), b.runDue()]);
    expect(ran).toBe(1);
    const after = await jobs('tick');
    expect(after.map((j) => j.status).sort()).toEqual(['done', 'queued']);
    const next = after.find((j) => j.status === 'queued')!;
    expect(next.run_at.getTime()).toBeGreaterThanOrEqual(beforeRun + 60_000);
  });

  it('takes over a job whose worker died, once its lease has expired', async () => {
    await enqueue(ctx.db, 'orphan', {});
    // A worker claimed it and died: the row says running, with a lease in the past.
    await sql`UPDATE job SET status = 'running', locked_by = 'dead', lease_until = now() - interval '1 minute'
      WHERE kind = 'orphan'`.execute(ctx.db);
    let ran = 0;
    await new JobWorker(ctx, { orphan: () => Promise.resolve(void (ran += 1)) }).runDue();
    expect(ran).toBe(1);
    expect((await jobs('orphan'))[0]?.status).toBe('done');
  });

  it('retries a failing job later, keeping the error message', async () => {
    await enqueue(ctx.db, 'flaky', {});
    const beforeRun = Date.now();
    await new JobWorker(ctx, { flaky: () => Promise.reject(new Error('SMTP server unreachable')) }).runDue();
    const [job] = await jobs('flaky');
    expect(job).toMatchObject({ status: 'queued', attempts: 1, last_error: 'SMTP server unreachable' });
    // Later than the failure (two seconds' back-off), however long the run took.
    expect(job!.run_at.getTime()).toBeGreaterThan(beforeRun + 1_000);
  });

  it('runs a reminder pass while a statistics warming slice is still computing (its own lane)', async () => {
    // A warming look that computes until the test lets it finish, queued before the reminders.
    let finishWarming = () => {};
    const warming = new Promise<void>((resolve) => {
      finishWarming = resolve;
    });
    let warmingStarted = false;
    let reminded = 0;
    const handlers: Record<string, JobHandler> = {
      [STATISTICS_WARM_JOB]: async () => {
        warmingStarted = true;
        await warming;
      },
      'deadlines.remind': () => Promise.resolve(void (reminded += 1)),
    };
    await enqueue(ctx.db, STATISTICS_WARM_JOB, {}, { runAt: new Date(Date.now() - 60_000) });
    await enqueue(ctx.db, 'deadlines.remind', {});
    const [jobsLane, statisticsLane] = JOB_LANES.map(
      (lane) => new JobWorker(ctx, handlers, [], () => {}, lane),
    );
    expect(inLane(JOB_LANES[0]!, 'deadlines.remind') && inLane(JOB_LANES[1]!, STATISTICS_WARM_JOB)).toBe(
      true,
    );
    const slice = statisticsLane!.runDue();
    // The other lane runs the reminder pass, however long the slice takes: were warming on the
    // same worker (or the lanes mixed up), this would wait for the slice and time out.
    const stuck = new Promise<'stuck'>((resolve) =>
      setTimeout(() => {
        resolve('stuck');
      }, 60_000).unref(),
    );
    const ran = await Promise.race([jobsLane!.runDue(), stuck]);
    expect(ran).toBe(1);
    expect(reminded).toBe(1);
    expect(warmingStarted).toBe(true);
    expect((await jobs(STATISTICS_WARM_JOB))[0]?.status).toBe('running');
    finishWarming();
    expect(await slice).toBe(1);
    expect((await jobs(STATISTICS_WARM_JOB))[0]?.status).toBe('done');
  }, 120_000);
});
