import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { CaseDetail, Service, ServiceReferral } from '@tiaki/domain';
import { loadConfig } from '../src/config.ts';
import { readCheckpoint } from '../src/modules/audit/checkpoint.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { enqueue } from '../src/modules/jobs/queue.ts';
import { createContext } from '../src/runtime.ts';
import { CaseWorld, type Person } from './cases.ts';
import { buildTestApp, createPostgresDatabase, testEnv, type TestContext } from './harness.ts';
import { freePort, headers, serve, stop, type Server, type Session } from './processes.ts';

/**
 * Two real server processes (`tiaki serve`) on one PostgreSQL database, as a deployment with
 * more than one instance runs:
 * - the same case plan goal and the same service referral changed through both at once with the
 *   same version: one wins, the other gets 409 with the current version, a retry with it is
 *   judged on what is now stored, and nothing the client was told succeeded is lost;
 * - both run the job worker while reminders are due: each reminder is raised once and each
 *   email goes out once, even when both processes run a reminder pass at the same moment.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL;
const ROUNDS = 20;
/** Referrals that nobody answers: they stay overdue for the reminders. */
const UNANSWERED = 3;
/** Cases only there for their overdue reasonable-grounds decisions. */
const DECISION_CASES = 2;
/** Reminder passes due at the same moment (the scheduled one and copies, as after a lease takeover). */
const PASSES = 6;
/** Seeding happens on this day; the servers run weeks later, when everything seeded is overdue. */
const SEED_TODAY = '2026-07-03';
const SERVER_TODAY = '2026-08-03';
/** SMTP answers each message after this long, so a reminder pass lasts longer than a job poll. */
const SMTP_DELAY_MS = 60;
const T0 = Date.now();
/** CONCURRENCY_LOG=1 shows the servers' output, for debugging. */
const log = (...what: unknown[]) => {
  if (process.env.CONCURRENCY_LOG) console.log(`${((Date.now() - T0) / 1000).toFixed(1)}s`, ...what);
};

const STATUSES = ['achieved', 'discontinued', 'open'] as const;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function send(server: Server, session: Session, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: headers(session),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> } satisfies Answer;
}

describe.skipIf(!ADMIN_URL)('two server processes on one PostgreSQL database', () => {
  const env = testEnv({ TIAKI_TODAY: SEED_TODAY, LOG_LEVEL: 'warn' });
  let drop = async () => {};
  let ctx: TestContext | undefined;
  let smtp: SMTPServer | undefined;
  const mail: { to: string; body: string }[] = [];
  let a: Server | undefined;
  let b: Server | undefined;
  let caseworker: Person;
  let colleague: Person;
  let provider: Person;
  let deciders: string[];
  let planCase: { caseId: string; goalId: string };
  let racedReferrals: ServiceReferral[];
  /** Each server's DATA_DIR, where its sealer writes the audit checkpoint. */
  const serverDirs: string[] = [];
  const figures = {
    requests: 0,
    conflicts: 0,
    retries: 0,
    refusedRetries: 0,
    reminders: 0,
    emails: 0,
    passes: '',
  };

  const session = (person: Person): Session => ({
    cookie: person.client.cookie ?? '',
    csrfToken: person.client.csrfToken ?? '',
  });
  const db = () => ctx!.db;

  beforeAll(async () => {
    // A real SMTP server, a little slow as real ones are, so the email path runs end to end.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, smtpSession, callback) {
        let body = '';
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => {
          mail.push({ to: smtpSession.envelope.rcptTo.map((r) => r.address).join(','), body });
          setTimeout(callback, SMTP_DELAY_MS);
        });
      },
    });
    await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    drop = created.drop;

    // The installation is prepared in-process; the servers then share its database and keys.
    const context = await createContext(loadConfig(env));
    ctx = { ...context, env, close: () => context.database.close() };
    const app = await buildTestApp(ctx);
    try {
      const world = new CaseWorld(ctx, app);
      caseworker = await world.caseworker();
      colleague = await world.person('caseworker-2', ['caseworker']);
      deciders = [(await world.decisionMaker()).user.id, (await world.secondDecisionMaker()).user.id];
      provider = await world.person('provider', ['service_provider'], 'shelter', 'ngo');
      const service = await provider.client.post('/api/services', {
        providerOrganisationId: provider.user.organisationId,
        name: 'Whare Haumaru',
        needTypes: ['emergency_accommodation'],
        regions: ['02'],
      });
      expect(service.statusCode, service.body).toBe(201);
      const serviceId = service.json<Service>().id;
      const openCase = () => world.openCase({ concern: { date: '2026-07-01', region: '02' } });

      const plan = await openCase();
      const goal = await caseworker.client.post(`/api/cases/${plan.caseId}/goals`, {
        description: 'Safe place to stay',
      });
      expect(goal.statusCode, goal.body).toBe(201);
      const joined = await caseworker.client.post(`/api/cases/${plan.caseId}/team/members`, {
        userId: colleague.user.id,
        teamRole: 'caseworker',
      });
      expect(joined.statusCode, joined.body).toBe(201);
      planCase = { caseId: plan.caseId, goalId: goal.json<{ id: string }>().id };

      const referred = await openCase();
      const referrals: ServiceReferral[] = [];
      for (let i = 0; i < ROUNDS + UNANSWERED; i++) {
        const res = await caseworker.client.post(`/api/cases/${referred.caseId}/service-referrals`, {
          serviceId,
          needType: 'emergency_accommodation',
          sharedFields: ['age_band'],
          lawfulBasis: 'ota_66c_support_plan',
          purpose: 'Find emergency accommodation',
          childConsulted: 'yes',
        });
        expect(res.statusCode, res.body).toBe(201);
        referrals.push(res.json<ServiceReferral>());
      }
      expect(referrals.every((r) => r.status === 'sent' && r.version === 1)).toBe(true);
      racedReferrals = referrals.slice(0, ROUNDS);
      for (let i = 0; i < DECISION_CASES; i++) await openCase();

      // The reminder pass is scheduled, as the scheduler leaves it after a run: due in an hour.
      await enqueue(
        ctx.db,
        'deadlines.remind',
        {},
        { singletonKey: 'deadlines.remind', runAt: new Date(Date.now() + 3_600_000) },
      );
    } finally {
      await app.close();
    }

    const serverEnv = (): Record<string, string> => ({
      ...env,
      TIAKI_TODAY: SERVER_TODAY,
      DATA_DIR: serverDirs[serverDirs.push(mkdtempSync(join(tmpdir(), 'tiaki-test-'))) - 1]!,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      JOB_POLL_SECONDS: '1',
    });
    const onOutput = (name: string) => (chunk: string) => {
      log(`server ${name}:`, chunk.trim().slice(0, 200));
    };
    [a, b] = await Promise.all([
      serve(serverEnv(), await freePort(), onOutput('A')),
      serve(serverEnv(), await freePort(), onOutput('B')),
    ]);
    log('both servers up');
  });

  afterAll(async () => {
    log('stopping servers');
    // SIGTERM: each finishes what is in progress, stops its job worker and closes the database.
    const running = [a, b].filter((server): server is Server => server !== undefined);
    await Promise.all(running.map((server) => stop(server, 'SIGTERM')));
    await ctx?.close();
    await drop();
    if (smtp) {
      const server = smtp;
      await new Promise<void>((resolve) => {
        server.close(resolve);
      });
    }
    console.log(
      `[concurrency] ${ROUNDS} rounds each on a plan goal and on service referrals through two processes: ` +
        `${figures.requests} requests, ${figures.conflicts} answered 409 version_conflict, ` +
        `${figures.retries} retries succeeded, ${figures.refusedRetries} refused by the workflow; ` +
        `${figures.reminders} reminders raised once and ${figures.emails} emails sent once ` +
        `from ${PASSES} simultaneous reminder passes (${figures.passes}); ${((Date.now() - T0) / 1000).toFixed(1)}s`,
    );
  });

  it(
    'raises each reminder once and emails it once when both processes run the reminder pass at once',
    { timeout: 120_000 },
    async () => {
      // The interval elapses: the scheduled pass falls due now, and with it copies of it (as when a
      // lease expires under a slow pass), so both workers, polling every second, run passes together.
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .updateTable('job')
            .set({ run_at: new Date() })
            .where('kind', '=', 'deadlines.remind')
            .where('status', '=', 'queued')
            .execute();
          for (let i = 1; i < PASSES; i++) await enqueue(trx, 'deadlines.remind', {}, { runAt: new Date() });
        });
      const passes = async () =>
        db()
          .selectFrom('job')
          .select(['status', 'locked_by', 'singleton_key', 'run_at', 'last_error'])
          .where('kind', '=', 'deadlines.remind')
          .execute();
      const deadline = Date.now() + 90_000;
      let jobs = await passes();
      while (jobs.filter((j) => j.status === 'done').length < PASSES && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        jobs = await passes();
      }
      const done = jobs.filter((j) => j.status === 'done');
      expect(done, JSON.stringify(jobs)).toHaveLength(PASSES);
      // Both processes ran reminder passes.
      const ranBy = new Set(done.map((j) => Number(j.locked_by?.split(':')[1])));
      expect(ranBy, 'processes that ran a pass').toEqual(new Set([a!.child.pid, b!.child.pid]));
      const by = (server: Server) =>
        done.filter((j) => Number(j.locked_by?.split(':')[1]) === server.child.pid).length;
      figures.passes = `A ran ${by(a!)}, B ran ${by(b!)}`;
      // The scheduled pass queued its next run once, an interval later, whoever ran it.
      const next = jobs.filter((j) => j.status === 'queued');
      expect(next).toHaveLength(1);
      expect(next[0]).toMatchObject({ singleton_key: 'deadlines.remind' });
      expect(next[0]!.run_at.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);

      // What is due on SERVER_TODAY: every pending decision (to both decision makers, none being
      // assigned) and every referral sent and unanswered (to the caseworker who sent it).
      const decisions = await db()
        .selectFrom('decision')
        .select(['id', 'assigned_to_user_id'])
        .where('status', '=', 'pending')
        .execute();
      expect(decisions).toHaveLength(2 + DECISION_CASES);
      expect(decisions.every((d) => d.assigned_to_user_id === null)).toBe(true);
      const referrals = await db().selectFrom('service_referral').select('id').execute();
      expect(referrals).toHaveLength(ROUNDS + UNANSWERED);
      const expected = [
        ...decisions.flatMap((d) =>
          deciders.map((userId) => `${userId} decision:${d.id}:overdue:${SERVER_TODAY}`),
        ),
        ...referrals.map((r) => `${caseworker.user.id} service_referral:${r.id}:overdue:${SERVER_TODAY}`),
      ].sort();
      const rows = await sql<{ user_id: string; dedupe_key: string; n: number; emailed: number }>`
        SELECT user_id, dedupe_key, count(*)::int AS n, count(emailed_at)::int AS emailed
          FROM notification WHERE dedupe_key LIKE '%:overdue:%' GROUP BY user_id, dedupe_key`.execute(db());
      expect(rows.rows.map((r) => `${r.user_id} ${r.dedupe_key}`).sort()).toEqual(expected);
      expect(
        rows.rows.filter((r) => r.n !== 1 || r.emailed !== 1),
        'raised more than once or not emailed once',
      ).toEqual([]);

      // Each email went out once: as many as reminders, one per recipient and reminder.
      const notifications = await db()
        .selectFrom('notification as n')
        .innerJoin('app_user as u', 'u.id', 'n.user_id')
        .select(['u.email', 'n.message'])
        // Deadline reminders only: people are also told of work given to them (case allocated).
        .where('n.dedupe_key', 'like', '%:overdue:%')
        .execute();
      const text = (body: string) => body.replace(/=\r?\n/g, '').replace(/\r?\n/g, ' ');
      const tally = (pairs: string[]) => {
        const counts = new Map<string, number>();
        for (const p of pairs) counts.set(p, (counts.get(p) ?? 0) + 1);
        return Object.fromEntries([...counts].sort());
      };
      const sentMail = mail
        .filter((m) => !/has been allocated to you|assigned to you|sent to you/.test(text(m.body)))
        .map((m) => {
          const found = notifications.find((n) => n.email === m.to && text(m.body).includes(n.message));
          return found ? `${m.to} ${found.message}` : `${m.to} (unknown message)`;
        });
      expect(tally(sentMail)).toEqual(tally(notifications.map((n) => `${n.email} ${n.message}`)));
      expect(sentMail).toHaveLength(expected.length);
      figures.reminders = expected.length;
      figures.emails = sentMail.length;
    },
  );

  it(
    'lets exactly one of two simultaneous plan changes through, each round, and loses none',
    { timeout: 120_000 },
    async () => {
      const { caseId, goalId } = planCase;
      const url = `/api/cases/${caseId}/goals/${goalId}`;
      // Two caseworkers on the case team, each through a different process.
      const people = [session(caseworker), session(colleague)];
      const servers = [a!, b!];
      let version = 1;
      const written: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Each round a different status each, so every write can be told apart.
        const wants = [STATUSES[round % 3]!, STATUSES[(round + 1) % 3]!];
        // The people swap processes every round.
        const via = round % 2 === 0 ? [0, 1] : [1, 0];
        const answers = await Promise.all(
          [0, 1].map((i) => send(servers[via[i]!]!, people[i]!, 'PATCH', url, { status: wants[i], version })),
        );
        figures.requests += 2;
        expect(answers.map((x) => x.status).sort(), JSON.stringify(answers)).toEqual([200, 409]);
        const winner = answers.findIndex((x) => x.status === 200);
        const loser = 1 - winner;
        expect(answers[loser]!.body).toMatchObject({ code: 'version_conflict', currentVersion: version + 1 });
        figures.conflicts += 1;
        // The loser reloads nothing: the 409 told it the version, and its retry with it succeeds.
        const current = answers[loser]!.body.currentVersion as number;
        const retry = await send(servers[via[loser]!]!, people[loser]!, 'PATCH', url, {
          status: wants[loser],
          version: current,
        });
        figures.requests += 1;
        expect(retry.status, JSON.stringify(retry.body)).toBe(200);
        figures.retries += 1;
        written.push(wants[winner]!, wants[loser]!);
        version = current + 1;
      }

      // Both processes show the last write, at a version counting every write.
      for (const server of [a!, b!]) {
        const detail = await send(server, session(caseworker), 'GET', `/api/cases/${caseId}`);
        expect(detail.status).toBe(200);
        const goal = (detail.body as unknown as CaseDetail).goals.find((g) => g.id === goalId);
        expect(goal).toMatchObject({ status: written.at(-1), version: 1 + written.length });
      }
      // Every acknowledged write is on the timeline and in the audit log, in the order it won.
      const timeline = await db()
        .selectFrom('case_event')
        .select('details')
        .where('kind', '=', 'plan.goal_updated')
        .where('subject_id', '=', goalId)
        .orderBy('id')
        .execute();
      expect(timeline.map((e) => e.details.status)).toEqual(written);
      const audited = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_event
         WHERE action = 'case.goal_updated' AND details->>'goalId' = ${goalId}`.execute(db());
      expect(audited.rows[0]?.n).toBe(written.length);
      expect(written).toHaveLength(2 * ROUNDS);
    },
  );

  it(
    'lets exactly one of a provider’s answer and a withdrawal at once through, and loses none',
    { timeout: 120_000 },
    async () => {
      const servers = [a!, b!];
      const steps = [
        { who: session(provider), body: { to: 'accepted' } },
        { who: session(caseworker), body: { to: 'withdrawn', detail: 'No longer needed.' } },
      ];
      let written = 0;
      for (const [round, referral] of racedReferrals.entries()) {
        const url = `/api/service-referrals/${referral.id}/transition`;
        const via = round % 2 === 0 ? [0, 1] : [1, 0];
        const answers = await Promise.all(
          steps.map((s, i) =>
            send(servers[via[i]!]!, s.who, 'POST', url, { ...s.body, version: referral.version }),
          ),
        );
        figures.requests += 2;
        expect(answers.map((x) => x.status).sort(), JSON.stringify(answers)).toEqual([200, 409]);
        const winner = answers.findIndex((x) => x.status === 200);
        const loser = 1 - winner;
        expect(answers[loser]!.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
        expect(answers[winner]!.body).toMatchObject({ status: steps[winner]!.body.to, version: 2 });
        figures.conflicts += 1;
        const expected = [steps[winner]!.body.to];
        // The retry with the current version is judged on the referral as it now stands, never
        // again on its version: a withdrawal after an acceptance goes through; an acceptance after
        // a withdrawal is refused, so the withdrawal is not silently undone.
        const retry = await send(servers[via[loser]!]!, steps[loser]!.who, 'POST', url, {
          ...steps[loser]!.body,
          version: answers[loser]!.body.currentVersion,
        });
        figures.requests += 1;
        if (steps[loser]!.body.to === 'withdrawn') {
          expect(retry.status, JSON.stringify(retry.body)).toBe(200);
          expect(retry.body).toMatchObject({ status: 'withdrawn', version: 3 });
          expected.push('withdrawn');
          figures.retries += 1;
        } else {
          expect(retry.status).toBe(409);
          expect(retry.body).toMatchObject({ code: 'step_not_allowed' });
          figures.refusedRetries += 1;
        }
        written += expected.length;

        const row = await db()
          .selectFrom('service_referral')
          .select(['status', 'version'])
          .where('id', '=', referral.id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ status: expected.at(-1), version: 1 + expected.length });
        const events = await db()
          .selectFrom('service_referral_event')
          .select('to_status')
          .where('service_referral_id', '=', referral.id)
          .orderBy('id')
          .execute();
        expect(events.map((e) => e.to_status)).toEqual(['sent', ...expected]);
      }
      const audited = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_event
         WHERE action IN ('service_referral.accepted', 'service_referral.withdrawn')`.execute(db());
      expect(audited.rows[0]?.n).toBe(written);
    },
  );

  it(
    'appends audit entries from both processes at once without waiting on each other, and seals them all once, in order',
    { timeout: 120_000 },
    async () => {
      const { caseId } = planCase;
      const READS = 60;
      const before = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_event WHERE action = 'case.viewed'`.execute(db());
      // Audited reads through both processes at once: each writes its entry, none takes a lock.
      const answers = await Promise.all(
        Array.from({ length: READS }, (_, i) =>
          send(i % 2 ? a! : b!, session(i % 3 ? caseworker : colleague), 'GET', `/api/cases/${caseId}`),
        ),
      );
      expect(answers.map((x) => x.status)).toEqual(Array.from({ length: READS }, () => 200));
      // The servers' own sealers (about once a second, one at a time) link them: nobody asks.
      let unsealed = -1;
      for (let tries = 0; tries < 600 && unsealed !== 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM audit_event WHERE seq IS NULL`.execute(db());
        unsealed = rows[0]?.n ?? -1;
      }
      expect(unsealed, 'entries left unsealed by the servers').toBe(0);
      // Each server's checkpoint (written by whichever sealed last in it) is reached, unchanged.
      expect(serverDirs).toHaveLength(2);
      for (const dir of serverDirs) {
        const kept = readCheckpoint(join(dir, 'audit-checkpoint.json'), ctx!.config.auditCheckpointKey);
        const chain = await verifyAuditChain(db(), { seal: false, checkpoint: kept });
        expect(chain).toMatchObject({ ok: true, unsealed: 0, checkpoint: { matched: true } });
      }
      const viewed = await sql<{ n: number; positions: number }>`
        SELECT count(*)::int AS n, count(DISTINCT seq)::int AS positions FROM audit_event
         WHERE action = 'case.viewed'`.execute(db());
      expect(viewed.rows[0]).toEqual({
        n: (before.rows[0]?.n ?? 0) + READS,
        positions: (before.rows[0]?.n ?? 0) + READS,
      });
    },
  );
});
