import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestContext, createUser, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { JOB_HANDLERS, recurringJobs } from '../jobs/handlers.ts';
import { enqueue, JobWorker } from '../jobs/queue.ts';
import { RETENTION_PURGE_JOB } from './job.ts';

const DAY = 86_400_000;

/** RETENTION_AUTO_PURGE: the job scheduler applies the retention schedule once a day, or never. */
describe.each(DRIVERS)('the scheduled retention purge on %s', (driver) => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
  });

  const open = async (overrides: Record<string, string>) => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03', ...overrides });
    return ctx;
  };
  /** A session that expired well past RETENTION_SESSION_DAYS (7): due for deletion. */
  const oldSession = async (c: TestContext) => {
    const user = await createUser(c, ['caseworker']);
    const id = randomUUID();
    await sql`INSERT INTO session (id, user_id, stage, csrf_token, expires_at)
      VALUES (${id}, ${user.id}, 'full', 'x', now() - make_interval(days => 8))`.execute(c.db);
    return id;
  };
  const sessionExists = async (c: TestContext, id: string) =>
    (await c.db.selectFrom('session').select('id').where('id', '=', id).execute()).length === 1;
  const purgeEntries = async (c: TestContext) =>
    (await c.db.selectFrom('audit_event').select('id').where('action', '=', 'retention.purged').execute())
      .length;
  const purgeJobs = (c: TestContext) =>
    c.db
      .selectFrom('job')
      .select(['status', 'run_at'])
      .where('kind', '=', RETENTION_PURGE_JOB)
      .orderBy('id')
      .execute();

  it('purges what is due when RETENTION_AUTO_PURGE=on, then waits a day, even with two workers', async () => {
    const c = await open({ RETENTION_AUTO_PURGE: 'on' });
    expect(c.config.retentionAutoPurge).toBe(true);
    const due = await oldSession(c);
    // Two server processes start against one database: one purge is queued, and one runs.
    const a = new JobWorker(c, JOB_HANDLERS, recurringJobs(c));
    const b = new JobWorker(c, JOB_HANDLERS, recurringJobs(c));
    await a.scheduleRecurring();
    await b.scheduleRecurring();
    expect(await purgeJobs(c)).toHaveLength(1);
    const started = Date.now();
    await Promise.all([a.runDue(), b.runDue()]);
    const finished = Date.now();

    expect(await sessionExists(c, due)).toBe(false);
    // One audit entry per kind, as `tiaki retention --purge` writes.
    expect(await purgeEntries(c)).toBe(7);
    const jobs = await purgeJobs(c);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'queued']);
    // A day after the run, within a minute, whenever in the (on a busy machine, long) run it was queued.
    const next = new Date(jobs[1]!.run_at).getTime();
    expect(next).toBeGreaterThan(started + DAY - 60_000);
    expect(next).toBeLessThan(finished + DAY + 60_000);

    // A duplicate job on the same day (say, queued by hand) finds today's purge done and does nothing.
    const later = await oldSession(c);
    await enqueue(c.db, RETENTION_PURGE_JOB);
    await a.runDue();
    expect(await sessionExists(c, later)).toBe(true);
    expect(await purgeEntries(c)).toBe(7);
  });

  it('does nothing when RETENTION_AUTO_PURGE is off, the default', async () => {
    const c = await open({});
    expect(c.config.retentionAutoPurge).toBe(false);
    expect(recurringJobs(c).map((j) => j.kind)).not.toContain(RETENTION_PURGE_JOB);
    const due = await oldSession(c);
    const worker = new JobWorker(c, JOB_HANDLERS, recurringJobs(c));
    await worker.scheduleRecurring();
    await worker.runDue();
    expect(await purgeJobs(c)).toEqual([]);

    // A purge job left queued from when it was on: it runs, purges nothing and is not queued again.
    await enqueue(c.db, RETENTION_PURGE_JOB, {}, { singletonKey: RETENTION_PURGE_JOB });
    await worker.runDue();
    expect((await purgeJobs(c)).map((j) => j.status)).toEqual(['done']);
    expect(await sessionExists(c, due)).toBe(true);
    expect(await purgeEntries(c)).toBe(0);
  });
});
