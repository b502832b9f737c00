import { createTransport } from 'nodemailer';
import type { AppContext } from '../../context.ts';
import { claimUnemailedNotification, markNotificationEmailed, unsentEmails } from './queries.ts';

/**
 * Emails reminders not yet emailed, when SMTP is configured. The email says what is due and
 * where; it never names a child (email leaves our control).
 */
export async function emailNotifications(ctx: AppContext): Promise<number> {
  const smtp = ctx.config.smtp;
  if (!smtp) return 0;
  const transport = createTransport(smtp.url);
  try {
    let sent = 0;
    for (const n of await unsentEmails(ctx.db)) {
      const link = n.link ? `${ctx.config.publicUrl}${n.link}` : ctx.config.publicUrl;
      // Each one is claimed (row locked, still unsent) before it is sent and marked in the same
      // transaction: another process running a pass at the same time skips it, and a failure
      // half-way leaves only the unsent ones to send. So nobody is emailed twice.
      const emailed = await ctx.db.transaction().execute(async (trx) => {
        if (!(await claimUnemailedNotification(trx, n.id))) return false;
        await transport.sendMail({
          from: smtp.from,
          to: n.email,
          subject: 'Tiaki reminder',
          text: `${n.message}\n\nOpen Tiaki to see it: ${link}\n`,
        });
        await markNotificationEmailed(trx, n.id);
        return true;
      });
      if (emailed) sent += 1;
    }
    return sent;
  } finally {
    transport.close();
  }
}
