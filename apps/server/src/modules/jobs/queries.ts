import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// The job queue (queue.ts).

/** Queues a job unless one with this key is already queued or running. */
export async function insertSingletonJob(
  db: Db,
  kind: string,
  payload: Record<string, unknown>,
  runAt: Date,
  singletonKey: string,
): Promise<void> {
  await sql`
      INSERT INTO job (kind, payload, run_at, singleton_key)
      VALUES (${kind}, ${JSON.stringify(payload)}::jsonb, ${runAt}, ${singletonKey})
      ON CONFLICT (singleton_key) WHERE status IN ('queued', 'running') DO NOTHING`.execute(db);
}

export async function insertJob(
  db: Db,
  kind: string,
  payload: Record<string, unknown>,
  runAt: Date,
): Promise<void> {
  await db
    .insertInto('job')
    .values({ kind, payload: JSON.stringify(payload), run_at: runAt })
    .execute();
}

/** Queues one job of `kind` per payload, to run now, in one statement. */
export async function insertJobs(
  db: Db,
  kind: string,
  payloads: readonly Record<string, unknown>[],
): Promise<void> {
  await db
    .insertInto('job')
    .values(payloads.map((payload) => ({ kind, payload: JSON.stringify(payload) })))
    .execute();
}

export interface ClaimedJob {
  id: string | number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  singleton_key: string | null;
}

/** Which kinds of job a worker takes: only these, or every kind but these (default: every kind). */
export interface JobLane {
  only?: readonly string[];
  except?: readonly string[];
}

/**
 * Takes the next due job (or one whose worker's lease ran out) for `workerId`, skipping rows
 * another worker holds, and counts the attempt.
 */
export async function claimNextJob(
  db: Db,
  workerId: string,
  leaseMs: number,
  lane: JobLane = {},
): Promise<ClaimedJob | undefined> {
  const kinds = lane.only
    ? sql`AND kind = ANY(${[...lane.only]}::text[])`
    : lane.except && lane.except.length > 0
      ? sql`AND kind <> ALL(${[...lane.except]}::text[])`
      : sql``;
  const result = await sql<ClaimedJob>`
      UPDATE job SET status = 'running', locked_at = now(), locked_by = ${workerId},
        lease_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
      WHERE id = (
        SELECT id FROM job
        WHERE ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now())) ${kinds}
        ORDER BY run_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, kind, payload, attempts, singleton_key`.execute(db);
  return result.rows[0];
}

/** Marks a job done, if this worker still holds it. */
export async function markJobDone(db: Db, id: string | number, workerId: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'done', finished_at: new Date(), lease_until: null, last_error: null })
    .where(sql<boolean>`id = ${id}`)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Records a job's failure: queued again at `runAt`, or failed for good when `giveUp`. */
export async function markJobFailed(
  db: Db,
  id: string | number,
  failure: { giveUp: boolean; message: string; runAt: Date },
): Promise<void> {
  await db
    .updateTable('job')
    .set({
      status: failure.giveUp ? 'failed' : 'queued',
      last_error: failure.message,
      lease_until: null,
      run_at: failure.runAt,
      finished_at: failure.giveUp ? new Date() : null,
    })
    .where(sql<boolean>`id = ${id}`)
    .execute();
}

// Reminders (reminders.ts, email.ts).

/** Pending decisions on open cases, with what a reminder needs. */
export async function pendingDecisionsOnOpenCases(db: Db) {
  return db
    .selectFrom('decision as d')
    .innerJoin('case_record as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.kind',
      'd.due_on',
      'd.earliest_on',
      'd.assigned_to_user_id',
      'c.id as case_id',
      'c.reference',
      'c.region',
      'c.owner_organisation_id',
    ])
    .where('d.status', '=', 'pending')
    .where('c.status', '=', 'open')
    .execute();
}

/** Service referrals of open cases sent and not answered by their respond-by date (before `today`). */
export async function unansweredServiceReferrals(db: Db, today: string) {
  return db
    .selectFrom('service_referral as s')
    .innerJoin('case_record as c', 'c.id', 's.case_id')
    .select([
      's.id',
      's.respond_by',
      's.created_by_user_id',
      'c.id as case_id',
      'c.reference',
      'c.owner_organisation_id',
    ])
    .where('s.status', '=', 'sent')
    .where('s.respond_by', '<', today)
    .where('c.status', '=', 'open')
    .execute();
}

/** Open conference actions of open cases, with an owner, due before `today`. */
export async function overdueConferenceActions(db: Db, today: string) {
  return db
    .selectFrom('conference_action as a')
    .innerJoin('case_record as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.due_on', 'a.owner_user_id', 'c.id as case_id', 'c.reference'])
    .where('a.status', '=', 'open')
    .where('a.due_on', '<', today)
    .where('a.owner_user_id', 'is not', null)
    .where('c.status', '=', 'open')
    .execute();
}

/** Notifications of active accounts from the last two days not yet emailed, oldest first. */
export async function unsentEmails(db: Db, limit = 200) {
  return db
    .selectFrom('notification as n')
    .innerJoin('app_user as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.message', 'n.link', 'u.email'])
    .where('n.emailed_at', 'is', null)
    .where('u.is_active', '=', true)
    .where(sql<boolean>`n.created_at > now() - interval '2 days'`)
    .orderBy('n.created_at')
    .limit(limit)
    .execute();
}

/** Locks a notification still unemailed (skipping one another process holds); false if none. */
export async function claimUnemailedNotification(trx: Db, id: string): Promise<boolean> {
  const claimed = await trx
    .selectFrom('notification')
    .select('id')
    .where('id', '=', id)
    .where('emailed_at', 'is', null)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function markNotificationEmailed(trx: Db, id: string): Promise<void> {
  await trx.updateTable('notification').set({ emailed_at: new Date() }).where('id', '=', id).execute();
}
