import { createTransport } from 'nodemailer';
import type { AppContext } from '../../context.ts';
import { unsentEmails } from './reminders.ts';

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
    for (const n of await unsentEmails(ctx)) {
      const link = n.link ? `${ctx.config.publicUrl}${n.link}` : ctx.config.publicUrl;
      await transport.sendMail({
        from: smtp.from,
        to: n.email,
        subject: 'Tiaki reminder',
        text: `${n.message}\n\nOpen Tiaki to see it: ${link}\n`,
      });
      // Marked one by one, so a failure half-way never emails anyone twice.
      await ctx.db
        .updateTable('notification')
        .set({ emailed_at: new Date() })
        .where('id', '=', n.id)
        .execute();
      sent += 1;
    }
    return sent;
  } finally {
    transport.close();
  }
}
