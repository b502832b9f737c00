import type { AppContext } from '../../context.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { EXTRACT_PRODUCE_JOB, expireDueExtracts, produceApprovedExtract } from '../extracts/index.ts';
import { scoreChild } from '../linkage/index.ts';
import { REINDEX_NAMES_JOB, reindexChildNames } from '../referrals/index.ts';
import {
  RETENTION_PURGE_EVERY_MS,
  RETENTION_PURGE_JOB,
  scheduledRetentionPurge,
} from '../retention/index.ts';
import { STATISTICS_WARM_JOB, warmStatistics } from '../statistics/index.ts';
import { emailNotifications } from './email.ts';
import type { JobHandler, JobLane, RecurringJob } from './queue.ts';
import { sendDeadlineReminders } from './reminders.ts';

export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  // One child ({childId}, as queued before imports grouped them) or a group ({childIds}).
  'linkage.score': async (ctx, payload) => {
    const childIds = Array.isArray(payload.childIds)
      ? payload.childIds.map(String)
      : [String(payload.childId)];
    for (const childId of childIds) {
      await scoreChild(ctx, childId);
      // Requests come in between children: on PGlite a query answers on the microtask queue, so a
      // job of a hundred children would otherwise hold off all I/O until its last one (issue 17:
      // blocks of 15–48 s while an import's linkage jobs ran).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  },
  // After the name matcher changes: each batch queues the next (migration 0017 queues the first).
  [REINDEX_NAMES_JOB]: async (ctx, payload) => {
    await reindexChildNames(ctx, typeof payload.after === 'string' ? payload.after : null);
  },
  'extracts.expire': async (ctx) => {
    await expireDueExtracts(ctx, SYSTEM_ACTOR);
  },
  [EXTRACT_PRODUCE_JOB]: async (ctx, payload) => {
    await produceApprovedExtract(ctx, SYSTEM_ACTOR, String(payload.id));
  },
  'deadlines.remind': async (ctx) => {
    await sendDeadlineReminders(ctx);
    await emailNotifications(ctx);
  },
  [RETENTION_PURGE_JOB]: async (ctx) => {
    await scheduledRetentionPurge(ctx);
  },
  // Looks whether the facts changed and, once they are quiet, computes the standard periods.
  [STATISTICS_WARM_JOB]: async (ctx) => {
    await warmStatistics(ctx);
  },
};

export function recurringJobs(ctx: AppContext): RecurringJob[] {
  return [
    { kind: 'deadlines.remind', everyMs: () => ctx.config.reminderIntervalMinutes * 60_000 },
    // Research extracts expire by date: cleared within an hour of it even if nobody opens them.
    { kind: 'extracts.expire', everyMs: () => 60 * 60_000 },
    // Opt-in (RETENTION_AUTO_PURGE=on): the retention schedule, applied once a day.
    ...(ctx.config.retentionAutoPurge
      ? [{ kind: RETENTION_PURGE_JOB, everyMs: () => RETENTION_PURGE_EVERY_MS }]
      : []),
    // Statistics ready before anyone asks: one look every STATS_WARM_SECONDS (0: off), on its
    // own lane (JOB_LANES).
    ...(ctx.config.statsWarmSeconds > 0
      ? [{ kind: STATISTICS_WARM_JOB, everyMs: () => ctx.config.statsWarmSeconds * 1000 }]
      : []),
  ];
}

/**
 * The job lanes each server process runs, each with a worker of its own: statistics warming (a
 * look may compute for minutes) on one, every other kind on the other, so that reminders, linkage
 * and extracts never wait behind a warming slice (issue 17).
 */
export const JOB_LANES: readonly (JobLane & { name: string })[] = [
  { name: 'jobs', except: [STATISTICS_WARM_JOB] },
  { name: 'statistics', only: [STATISTICS_WARM_JOB] },
];

/** Whether a lane takes jobs of this kind. */
export function inLane(lane: JobLane, kind: string): boolean {
  if (lane.only) return lane.only.includes(kind);
  return !(lane.except ?? []).includes(kind);
}
