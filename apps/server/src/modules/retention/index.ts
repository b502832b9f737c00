/** Retention: the schedule, the purge that de-identifies in place, and its daily job. */
export { RETENTION_PURGE_EVERY_MS, RETENTION_PURGE_JOB, scheduledRetentionPurge } from './job.ts';
