import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { readCheckpoint } from '../src/modules/audit/checkpoint.ts';
import { sealAudit } from '../src/modules/audit/sealer.ts';
import { recordAudits, SYSTEM_ACTOR, verifyAuditChain } from '../src/modules/audit/service.ts';
import { prepareForServer, sessionOf } from './cases.ts';
import { DRIVERS, testEnv } from './harness.ts';
import { freePort, headers, serve as serveProcess, stop, type Server, type Session } from './processes.ts';
import { validReferral } from './referrals.ts';

/**
 * Crash safety: the real server, killed with SIGKILL (no shutdown, no flush) in the middle of a
 * bulk import and while decisions are being recorded, then started again. After every crash:
 * an import is all there or not there at all, every write the client was told succeeded is
 * there, each decision is whole (decision, timeline, next decision, audit entry) or absent, and
 * the audit chain verifies.
 */
/** The interrupted imports: a few thousand rows, one transaction. */
const IMPORT_ROWS = 2000;
/** An import that is let finish (acknowledged) before the crash. */
const SMALL_IMPORT_ROWS = 200;
const DECISION_ROUNDS = 2;
const DECISIONS_PER_ROUND = 8;
const T0 = Date.now();
/** CRASH_LOG=1 narrates each step, for debugging. */
const log = (...what: unknown[]) => {
  if (process.env.CRASH_LOG) console.log(`${((Date.now() - T0) / 1000).toFixed(1)}s`, ...what);
};

const serve = (env: Record<string, string>, port: number) =>
  serveProcess(env, port, (chunk) => {
    log('server:', chunk.trim().slice(0, 120));
  });

/** kill -9: the process gets no chance to finish anything. */
const crash = (server: Server) => stop(server, 'SIGKILL');

describe.each(DRIVERS)('crash safety of the server on %s', (driver) => {
  const env = testEnv({ TIAKI_TODAY: '2026-07-03', LOG_LEVEL: 'warn' });
  let drop = async () => {};
  let frontline: Session;
  let decider: Session & { userId: string };
  let police: string;
  let pending: { id: string; version: number; caseId: string }[];
  let server: Server | null = null;
  const crashes = { import: 0, decision: 0, seal: 0 };

  /** Opens the database as the next server start would (PGlite replays its log here). */
  async function inspect<T>(fn: (database: Database) => Promise<T>): Promise<T> {
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  }

  const checkpoint = () => {
    const config = loadConfig(env);
    return { file: config.auditCheckpointFile, key: config.auditCheckpointKey };
  };

  /** What must hold after any crash, whatever was in flight. */
  async function checkInvariants(database: Database): Promise<void> {
    // The checkpoint the dead server left outside the database must be reached, unchanged.
    const { file, key } = checkpoint();
    const kept = existsSync(file) ? readCheckpoint(file, key) : undefined;
    const chain = await verifyAuditChain(database.db, { checkpoint: kept });
    expect(chain, 'audit chain').toMatchObject({ ok: true, unsealed: 0 });
    // A child exists only with the referral that brought it in.
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM child c WHERE NOT EXISTS (SELECT 1 FROM referral r WHERE r.child_id = c.id)`.execute(
      database.db,
    );
    expect(orphans.rows[0]?.n, 'children without their referral').toBe(0);
    // Every import batch in the database is complete and was audited once, with its row count.
    const batches = await sql<{ batch: string; n: number }>`
      SELECT import_batch_id::text AS batch, count(*)::int AS n FROM referral
       WHERE import_batch_id IS NOT NULL GROUP BY 1`.execute(database.db);
    const audited = await database.db
      .selectFrom('audit_event')
      .select(['subject_id', 'details'])
      .where('action', '=', 'import.completed')
      .execute();
    expect(audited.length, 'one audit entry per committed import').toBe(batches.rows.length);
    for (const batch of batches.rows) {
      expect([IMPORT_ROWS, SMALL_IMPORT_ROWS], 'rows of an import batch').toContain(batch.n);
      const entry = audited.find((a) => a.subject_id === batch.batch);
      expect(entry?.details.imported, 'audited row count').toBe(batch.n);
    }
  }

  beforeAll(async () => {
    // The installation is prepared in-process, on the same DATA_DIR or database the server uses.
    drop = await prepareForServer(driver, env, async (world, ctx) => {
      for (let i = 0; i < DECISION_ROUNDS * DECISIONS_PER_ROUND + 1; i++)
        await world.openCase({}, { givenNames: `Crash${i}`, familyName: 'Synthetic-Testchild' });
      frontline = sessionOf(await world.frontline());
      const dm = await world.decisionMaker();
      decider = { ...sessionOf(dm), userId: dm.user.id };
      police = await world.organisation('police', 'police');
      pending = (
        await ctx.db
          .selectFrom('decision')
          .select(['id', 'version', 'case_id'])
          .where('status', '=', 'pending')
          .orderBy('id')
          .execute()
      ).map((d) => ({ id: d.id, version: d.version, caseId: d.case_id }));
      expect(pending).toHaveLength(DECISION_ROUNDS * DECISIONS_PER_ROUND + 1);
    });
  });

  afterAll(async () => {
    if (server) await crash(server);
    await drop();
    console.log(
      `[crash ${driver}] survived ${crashes.import} kill -9 during imports, ${crashes.decision} while recording decisions and ${crashes.seal} while sealing the audit chain`,
    );
  });

  /**
   * Uploads `rows` referrals to a running server and reads the progress it streams back; when
   * `when` says so, kills the server. Returns whether the import's report (its acknowledgement:
   * the HTTP status is sent before the work starts) said committed.
   */
  async function upload(
    running: Server,
    round: number,
    rows: number,
    when: (line: { progress?: { phase: string; done: number }; report?: unknown }) => boolean,
  ): Promise<boolean> {
    const body = Array.from({ length: rows }, (_, i) =>
      JSON.stringify({
        sourceId: `crash-${round}-${i}`,
        ...validReferral({}, { givenNames: `Imported${i}`, familyName: `Round${round}-Testchild` }),
      }),
    ).join('\n');
    let acknowledged = false;
    let killed: Promise<void> | null = null;
    try {
      const response = await fetch(`${running.base}/api/imports/referrals?mode=all-or-nothing`, {
        method: 'POST',
        headers: headers(frontline, 'application/x-ndjson'),
        body,
      });
      expect(response.status).toBe(200);
      let text = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += Buffer.from(chunk).toString();
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const l of lines) {
          const line = JSON.parse(l) as {
            progress?: { phase: string; done: number };
            report?: { committed: boolean };
          };
          log('line', l.slice(0, 80));
          if (line.report?.committed) acknowledged = true;
          if (!killed && when(line)) killed = crash(running);
        }
      }
    } catch (error) {
      // The connection dies with the server.
      log('connection ended', (error as Error).message);
    }
    await killed;
    return acknowledged;
  }

  async function importAndCrash(
    round: number,
    when: (line: { progress?: { phase: string; done: number }; report?: unknown }) => boolean,
  ): Promise<boolean> {
    log('import round', round, 'starting server');
    server = await serve(env, await freePort());
    log('server up', server.output().trim().split('\n')[0]);
    const acknowledged = await upload(server, round, IMPORT_ROWS, when);
    await crash(server);
    server = null;
    crashes.import++;
    return acknowledged;
  }

  async function checkImport(
    database: Database,
    round: number,
    rows: number,
    acknowledged: boolean,
  ): Promise<number> {
    const found = await database.db
      .selectFrom('referral')
      .select(['import_batch_id'])
      .where('organisation_id', '=', police)
      .where('source_key', 'like', `id:crash-${round}-%`)
      .execute();
    expect([0, rows], 'all of the import or none of it').toContain(found.length);
    if (acknowledged) expect(found.length, 'an acknowledged import is all there').toBe(rows);
    expect(new Set(found.map((r) => r.import_batch_id)).size).toBeLessThanOrEqual(1);
    return found.length;
  }

  /** Records a round of decisions at once; kills the server after `afterAcks` answers (+ delay). */
  async function decideAndCrash(round: number, afterAcks: number, delayMs: number) {
    log('decision round', round, 'starting server');
    server = await serve(env, await freePort());
    const running = server;
    log('server up');
    // First an import that is let finish: once its report says committed, it must survive.
    const imported = await upload(running, 10 + round, SMALL_IMPORT_ROWS, () => false);
    expect(imported).toBe(true);
    const batch = pending.slice(round * DECISIONS_PER_ROUND, (round + 1) * DECISIONS_PER_ROUND);
    let acks = 0;
    const kill: { done: Promise<void> | null } = { done: null };
    const outcomes = batch.map((d, i) => (i % 2 === 0 ? 'positive' : 'negative'));
    const answers = await Promise.allSettled(
      batch.map(async (d, i) => {
        const res = await fetch(`${running.base}/api/decisions/${d.id}/decide`, {
          method: 'POST',
          headers: headers(decider),
          body: JSON.stringify({
            outcome: outcomes[i],
            rationale: 'Synthetic rationale recorded during a crash test.',
            evidence: 'Synthetic evidence reference P0000000.',
            version: d.version,
          }),
        });
        await res.arrayBuffer();
        if (res.status === 200 && ++acks === afterAcks)
          kill.done = new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => crash(running));
        return res.status;
      }),
    );
    await (kill.done ?? crash(running));
    server = null;
    crashes.decision++;
    return batch.map((d, i) => {
      const answer = answers[i];
      return {
        ...d,
        outcome: outcomes[i] as string,
        status: answer?.status === 'fulfilled' ? answer.value : null,
      };
    });
  }

  async function checkDecisions(round: number, results: Awaited<ReturnType<typeof decideAndCrash>>) {
    log('checking decisions', results.map((r) => r.status).join(','));
    return inspect(async (database) => {
      log('database open');
      await checkInvariants(database);
      expect(await checkImport(database, 10 + round, SMALL_IMPORT_ROWS, true)).toBe(SMALL_IMPORT_ROWS);
      let made = 0;
      for (const r of results) {
        // Only a success or no answer at all: the server never half-failed a decision.
        expect([200, null]).toContain(r.status);
        const row = await database.db
          .selectFrom('decision')
          .select(['status', 'outcome', 'decided_by_user_id'])
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow();
        const audit = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM audit_event
           WHERE action = 'decision.made' AND details->>'decisionId' = ${r.id}`.execute(database.db);
        const timeline = await database.db
          .selectFrom('case_event')
          .select('id')
          .where('kind', '=', 'decision.made')
          .where('subject_id', '=', r.id)
          .execute();
        const next = await database.db
          .selectFrom('decision')
          .select('id')
          .where('case_id', '=', r.caseId)
          .where('kind', '=', 'conclusive_grounds')
          .execute();
        if (r.status === 200) expect(row.status, 'an acknowledged decision is there').toBe('made');
        if (row.status === 'made') {
          made++;
          expect(row).toMatchObject({ outcome: r.outcome, decided_by_user_id: decider.userId });
          expect(audit.rows[0]?.n, 'audited once').toBe(1);
          expect(timeline, 'on the timeline once').toHaveLength(1);
          expect(next, 'conclusive-grounds decision opened').toHaveLength(r.outcome === 'positive' ? 1 : 0);
        } else {
          expect(row.status).toBe('pending');
          expect(audit.rows[0]?.n).toBe(0);
          expect(timeline).toHaveLength(0);
          expect(next).toHaveLength(0);
        }
      }
      return made;
    });
  }

  it(
    'keeps an import whole when killed part-way through it and around its commit',
    { timeout: 450_000 },
    async () => {
      // Killed part-way through inserting rows: nothing may remain.
      const midway = await importAndCrash(
        0,
        (l) => l.progress?.phase === 'importing' && l.progress.done >= 600,
      );
      expect(midway).toBe(false);
      expect(
        await inspect(async (database) => {
          await checkInvariants(database);
          return checkImport(database, 0, IMPORT_ROWS, midway);
        }),
      ).toBe(0);
      // Killed as the last rows went in, racing the commit: all or nothing, and all if acknowledged.
      const atCommit = await importAndCrash(
        1,
        (l) => l.progress?.phase === 'importing' && l.progress.done >= IMPORT_ROWS,
      );
      const kept = await inspect(async (database) => {
        await checkInvariants(database);
        return checkImport(database, 1, IMPORT_ROWS, atCommit);
      });
      log('import killed at its commit:', kept, 'rows kept; acknowledged:', atCommit);
    },
  );

  it(
    'keeps decisions whole, and everything acknowledged, when killed while recording them',
    { timeout: 450_000 },
    async () => {
      const plans: [number, number][] = [
        [1, 0],
        [2, 15],
      ];
      let acknowledged = 0;
      let made = 0;
      for (const [round, [afterAcks, delay]] of plans.entries()) {
        const results = await decideAndCrash(round, afterAcks, delay);
        acknowledged += results.filter((r) => r.status === 200).length;
        made += await checkDecisions(round, results);
      }
      expect(acknowledged).toBeGreaterThan(0);
      expect(made).toBeGreaterThanOrEqual(acknowledged);
      console.log(
        `[crash ${driver}] decisions: ${acknowledged} acknowledged, ${made} in the database, of ${plans.length * DECISIONS_PER_ROUND} sent`,
      );
    },
  );

  it(
    'loses nothing and seals nothing twice when killed while sealing the audit chain',
    { timeout: 300_000 },
    async () => {
      const ENTRIES = 20_000;
      // Entries committed but not yet sealed, as a burst of audited work leaves them.
      const before = await inspect(async (database) => {
        await sealAudit(database.db, { wait: true, checkpoint: checkpoint() });
        await database.db.transaction().execute((trx) =>
          recordAudits(
            trx,
            SYSTEM_ACTOR,
            Array.from({ length: ENTRIES }, (_, i) => ({ action: 'test.crash_seal', details: { i } })),
          ),
        );
        return (await verifyAuditChain(database.db, { seal: false })).checked;
      });
      server = await serve(env, await freePort());
      const running = server;
      let sealedAtKill: number | null = null;
      if (driver === 'postgres') {
        // Killed once the sealer has committed some batches but not all of them.
        const watcher = new pg.Client({ connectionString: env.DATABASE_URL });
        await watcher.connect();
        try {
          for (let tries = 0; tries < 6000; tries++) {
            const { rows } = await watcher.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.crash_seal' AND seq IS NOT NULL",
            );
            sealedAtKill = rows[0]?.n ?? 0;
            if (sealedAtKill > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        } finally {
          await watcher.end();
        }
      } else {
        // The embedded database cannot be watched from outside: killed just after it listens.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await crash(running);
      server = null;
      crashes.seal++;
      await inspect(async (database) => {
        const sealed = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.crash_seal' AND seq IS NOT NULL`.execute(
          database.db,
        );
        log('killed with', sealed.rows[0]?.n, 'of', ENTRIES, 'sealed; watcher saw', sealedAtKill);
        console.log(
          `[crash ${driver}] sealing killed with ${sealed.rows[0]?.n} of ${ENTRIES} new entries sealed`,
        );
        // Verifying seals the rest (as the next server would) and checks every entry and the checkpoint.
        await checkInvariants(database);
        const all = await sql<{ n: number; positions: number }>`
        SELECT count(*)::int AS n, count(DISTINCT seq)::int AS positions FROM audit_event
         WHERE action = 'test.crash_seal'`.execute(database.db);
        expect(all.rows[0], 'every entry there, each sealed once').toEqual({
          n: ENTRIES,
          positions: ENTRIES,
        });
        expect((await verifyAuditChain(database.db)).checked).toBeGreaterThanOrEqual(before + ENTRIES);
      });
    },
  );

  it('starts again after the crashes and records new work', { timeout: 180_000 }, async () => {
    server = await serve(env, await freePort());
    expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
    if (driver === 'pglite') {
      // While it runs, no other process may open its embedded database (a crash's lock was taken over).
      await expect(openDatabase({ dataDir: env.DATA_DIR })).rejects.toThrow(/in use by process \d+/);
    }
    // The uploads of imports interrupted by a crash are gone: they hold children's details.
    const uploads = readdirSync(join(env.DATA_DIR!, 'imports'));
    expect(uploads, 'upload files left behind by a crash').toEqual([]);
    const last = pending[pending.length - 1]!;
    const res = await fetch(`${server.base}/api/decisions/${last.id}/decide`, {
      method: 'POST',
      headers: headers(decider),
      body: JSON.stringify({
        outcome: 'negative',
        rationale: 'Synthetic rationale after the crashes.',
        evidence: 'Synthetic evidence reference P0000001.',
        version: last.version,
      }),
    });
    expect(res.status).toBe(200);
    // One more kill -9, just after the answer: the decision must be there on the next start.
    await crash(server);
    server = null;
    crashes.decision++;
    await inspect(async (database) => {
      await checkInvariants(database);
      const row = await database.db
        .selectFrom('decision')
        .select('status')
        .where('id', '=', last.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('made');
    });
  });
});
