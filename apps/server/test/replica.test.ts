import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { StatisticsReportView } from '@tiaki/domain';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/runtime.ts';
import { CaseWorld } from './cases.ts';
import { buildTestApp, testEnv, type TestContext } from './harness.ts';
import { freePort } from './processes.ts';

/**
 * A scale-out deployment's read path on real parts: a PostgreSQL primary of the test's own
 * (initdb), a streaming replica made from it with pg_basebackup, and Tiaki with DATABASE_URL on
 * the primary and STATS_DATABASE_URL on the replica. Statistics are read from the replica — shown
 * by pausing its replay: new referrals on the primary do not appear in the figures until the
 * replica has replayed them — while casework reads and writes the primary.
 *
 * Needs the PostgreSQL server binaries and a user that may run them (postgres, or root through
 * runuser); without them, and without TEST_DATABASE_URL (the sign that this machine runs
 * PostgreSQL tests at all), the file is skipped.
 */
const BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(root, version, 'bin') : undefined;
})();
const ME = userInfo().username;
const RUNNABLE = ME === 'postgres' || ME === 'root';
const AVAILABLE = Boolean(
  process.env.TEST_DATABASE_URL && RUNNABLE && BIN !== undefined && existsSync(join(BIN, 'pg_ctl')),
);

/** Runs a PostgreSQL program as the postgres user (the server refuses to run as root). */
function pgRun(program: string, args: string[]): string {
  const command = join(BIN ?? '', program);
  const [file, argv] =
    ME === 'root' ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

const PERIOD = 'from=2026-07-01&to=2026-07-31&exact=true';

describe.skipIf(!AVAILABLE)('statistics from a streaming replica (STATS_DATABASE_URL)', () => {
  let dir = '';
  let primaryPort = 0;
  let replicaPort = 0;
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const started: string[] = [];

  const superuser = (port: number) =>
    new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  async function onReplica<T>(query: string): Promise<T[]> {
    const client = superuser(replicaPort);
    await client.connect();
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      await client.end();
    }
  }
  /** Waits until the replica has replayed everything the primary has written so far. */
  async function replicaCaughtUp() {
    const primary = superuser(primaryPort);
    await primary.connect();
    const lsn = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]
      ?.lsn;
    await primary.end();
    for (let i = 0; i < 600; i++) {
      const [row] = await onReplica<{ behind: boolean }>(
        `SELECT pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn AS behind`,
      );
      if (row && !row.behind) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the replica did not catch up within a minute');
  }
  const referralsCounted = async () => {
    const steward = await world.person('steward', ['data_steward']);
    const res = await steward.client.get(`/api/statistics?${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<StatisticsReportView>().headline.referrals;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tiaki-replica-'));
    if (ME === 'root') execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    else chownSync(dir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    [primaryPort, replicaPort] = [await freePort(), await freePort()];
    const primary = join(dir, 'primary');
    const replica = join(dir, 'replica');
    pgRun('initdb', ['-D', primary, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    const options = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    pgRun('pg_ctl', [
      '-D',
      primary,
      '-o',
      options(primaryPort),
      '-l',
      join(dir, 'primary.log'),
      '-w',
      'start',
    ]);
    started.push(primary);
    pgRun('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replica,
      '-R',
      '-X',
      'stream',
    ]);
    pgRun('pg_ctl', [
      '-D',
      replica,
      '-o',
      options(replicaPort),
      '-l',
      join(dir, 'replica.log'),
      '-w',
      'start',
    ]);
    started.push(replica);

    const env = testEnv({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      STATS_DATABASE_URL: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
      TIAKI_TODAY: '2026-07-28',
    });
    const context = await createContext(loadConfig(env));
    ctx = { ...context, env, close: () => context.database.close() };
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  }, 300_000);

  afterAll(async () => {
    await app.close();
    await ctx.close();
    for (const data of started.reverse()) {
      try {
        pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('reads statistics on the replica, which follows the primary', async () => {
    expect(ctx.statsDb).toBeDefined();
    for (const day of ['2026-07-03', '2026-07-10', '2026-07-17'])
      await world.submitReferral({ concern: { date: day, region: '09' } });
    await replicaCaughtUp();
    expect(await referralsCounted()).toBe(3);

    // Replay paused: the primary takes two more referrals the replica has not seen.
    await onReplica('SELECT pg_wal_replay_pause()');
    for (const day of ['2026-07-20', '2026-07-24'])
      await world.submitReferral({ concern: { date: day, region: '09' } });
    const onPrimary = await ctx.db
      .selectFrom('referral')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(onPrimary.n)).toBe(5);
    expect(await referralsCounted()).toBe(3);

    await onReplica('SELECT pg_wal_replay_resume()');
    await replicaCaughtUp();
    expect(await referralsCounted()).toBe(5);
  }, 240_000);

  it('never writes to the replica: a write sent there is refused by the database', async () => {
    const replica = ctx.statsDb;
    if (!replica) throw new Error('no replica configured');
    await expect(sql`UPDATE referral SET version = version WHERE false`.execute(replica)).rejects.toThrow(
      /read-only/,
    );
  }, 60_000);
});
