import type { AppContext } from '../../context.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { jobsDoneWithin } from './queries.ts';
import { retentionPurge, type RetentionReport } from './service.ts';

/** The job kind of the daily purge (RETENTION_AUTO_PURGE=on). */
export const RETENTION_PURGE_JOB = 'retention.purge';
export const RETENTION_PURGE_EVERY_MS = 24 * 60 * 60_000;
/**
 * A purge that finished less than this long ago stands for today's: the next run is queued a day
 * after the last one, so only a duplicate job (a second queue entry, a restart with another
 * process's schedule) finds one this recent.
 */
const ONCE_A_DAY_HOURS = 20;

/**
 * The job scheduler's daily purge: applies the retention schedule (config.retention) as
 * `tiaki retention --purge` does, audited as the system. Does nothing when RETENTION_AUTO_PURGE is
 * off (a job queued while it was on), or when a purge already finished in the last day, however
 * many server processes run workers. Answers the report, or null when it did nothing.
 */
export async function scheduledRetentionPurge(ctx: AppContext): Promise<RetentionReport | null> {
  if (!ctx.config.retentionAutoPurge) return null;
  if ((await jobsDoneWithin(ctx.db, RETENTION_PURGE_JOB, ONCE_A_DAY_HOURS)) > 0) return null;
  return retentionPurge(ctx, SYSTEM_ACTOR, ctx.config.retention);
}
