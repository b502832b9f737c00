import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { CaseDetail } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { emailNotifications } from './email.ts';
import { JOB_HANDLERS, recurringJobs } from './handlers.ts';
import { JobWorker } from './queue.ts';
import { sendDeadlineReminders } from './reminders.ts';

interface Notification {
  id: string;
  kind: string;
  message: string;
  link: string | null;
  readAt: string | null;
}

describe.each(DRIVERS)('deadline reminders on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let smtp: SMTPServer;
  const mail: { to: string; body: string }[] = [];

  beforeAll(async () => {
    // A real SMTP server on a local port, so the email path is exercised end to end.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => {
          mail.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    ctx = await createTestContext(driver, {
      TIAKI_TODAY: '2026-07-03',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await new Promise<void>((resolve) => {
      smtp.close(resolve);
    });
  });

  it('reminds decision makers once when a decision is due soon and again when it is overdue, without names', async () => {
    const { caseId, reference } = await world.openCase();
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    ctx.today = () => '2026-07-09';
    expect(await sendDeadlineReminders(ctx)).toBeGreaterThan(0);
    expect(await sendDeadlineReminders(ctx)).toBe(0);
    let mine = (await dm.client.get('/api/notifications')).json<{ items: Notification[] }>().items;
    const dueSoon = mine.find((n) => n.message.includes(reference))!;
    expect(dueSoon).toMatchObject({ kind: 'decision.due_soon', link: `/cases/${caseId}` });
    expect(dueSoon.message).toContain('2026-07-13');
    expect(dueSoon.message).not.toContain('Tāne');
    // Not a decision maker: no reminder (only the word that the case was given to them).
    const theirs = (await caseworker.client.get('/api/notifications')).json<{
      items: Notification[];
    }>();
    expect(theirs.items.some((n) => n.kind.startsWith('decision.') && n.message.includes(reference))).toBe(
      false,
    );

    ctx.today = () => '2026-07-14';
    await sendDeadlineReminders(ctx);
    mine = (await dm.client.get('/api/notifications')).json<{ items: Notification[] }>().items;
    expect(mine.some((n) => n.kind === 'decision.overdue' && n.message.includes(reference))).toBe(true);

    // Reading one marks it read; someone else cannot touch it.
    expect((await caseworker.client.post(`/api/notifications/${dueSoon.id}/read`)).statusCode).toBe(404);
    expect((await dm.client.post(`/api/notifications/${dueSoon.id}/read`)).statusCode).toBe(200);
    mine = (await dm.client.get('/api/notifications')).json<{ items: Notification[] }>().items;
    expect(mine.find((n) => n.id === dueSoon.id)!.readAt).not.toBeNull();

    // Once decided, no more reminders for it.
    const detail = (await dm.client.get(`/api/cases/${caseId}`)).json<CaseDetail>();
    const rg = detail.decisions.find((d) => d.status === 'pending')!;
    await dm.client.post(`/api/decisions/${rg.id}/decide`, {
      outcome: 'positive',
      rationale: 'Synthetic rationale.',
      evidence: 'Police file P1.',
      version: rg.version,
    });
    ctx.today = () => '2026-07-15';
    await sendDeadlineReminders(ctx);
    const stillAboutRg = await ctx.db
      .selectFrom('notification')
      .select('id')
      .where('subject_id', '=', rg.id)
      .where('dedupe_key', 'like', '%2026-07-15')
      .execute();
    expect(stillAboutRg).toHaveLength(0);
    ctx.today = () => '2026-07-03';
  });

  it('emails each reminder once when SMTP is configured, naming the case, never the child', async () => {
    const sent = await emailNotifications(ctx);
    expect(sent).toBeGreaterThan(0);
    expect(mail.length).toBe(sent);
    expect(mail.every((m) => m.body.includes('CASE-') && !m.body.includes('Tāne'))).toBe(true);
    expect(await emailNotifications(ctx)).toBe(0);
  });

  it('runs reminders as a recurring background job that survives a restart', async () => {
    const worker = new JobWorker(ctx, JOB_HANDLERS, recurringJobs(ctx));
    await worker.scheduleRecurring();
    await worker.runDue();
    const done = await ctx.db
      .selectFrom('job')
      .select('status')
      .where('kind', '=', 'deadlines.remind')
      .where('status', '=', 'done')
      .execute();
    expect(done).toHaveLength(1);
    // A new process (a restart) finds the next run already queued, not a second one.
    const restarted = new JobWorker(ctx, JOB_HANDLERS, recurringJobs(ctx));
    await restarted.scheduleRecurring();
    const queued = await ctx.db
      .selectFrom('job')
      .select(['status', 'run_at'])
      .where('kind', '=', 'deadlines.remind')
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
  });
});
