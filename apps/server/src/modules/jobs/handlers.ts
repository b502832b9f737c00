import type { AppContext } from '../../context.ts';
import { scoreChild } from '../linkage/scoring.ts';
import { emailNotifications } from './email.ts';
import type { JobHandler, RecurringJob } from './queue.ts';
import { sendDeadlineReminders } from './reminders.ts';

export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  'linkage.score': async (ctx, payload) => {
    await scoreChild(ctx, String(payload.childId));
  },
  'deadlines.remind': async (ctx) => {
    await sendDeadlineReminders(ctx);
    await emailNotifications(ctx);
  },
};

export function recurringJobs(ctx: AppContext): RecurringJob[] {
  return [{ kind: 'deadlines.remind', everyMs: () => ctx.config.reminderIntervalMinutes * 60_000 }];
}
