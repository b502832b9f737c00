// The API under load: a real server process on the benchmark data (run `npm run bench:data`
// first), driven from this process by autocannon at a fixed rate with a mixed workload — triage
// queue, read a referral (audited), submit a referral, add a note to a service referral — and
// the server's and the database's CPU measured from /proc, and (PostgreSQL) the linkage queue's
// length every 5 s: scoring must keep up with the referrals submitted.
//   npx tsx bench/api/load.ts [--driver postgres] [--rate 500] [--duration 60] [--connections 32]
//     [--stats-warm-seconds 60] [--stats-threads 0]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { random, syntheticReferral } from '../../apps/server/src/demo/history.ts';
import pg from 'pg';
import { openBenchDatabase, sessionFor, startBenchServer, usersWith } from '../server.ts';
import { benchEnv, formatCount, percentile, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '32' },
    // The statistics warming job's look (STATS_WARM_SECONDS); not given: the server's default.
    'stats-warm-seconds': { type: 'string' },
    // Worker threads protecting statistics releases (STATS_THREADS; 0: the main thread, as before
    // issue 17's worker); not given: the server's default.
    'stats-threads': { type: 'string' },
  },
});
const driver = values.driver as Driver;

/** The mix, in shares of all requests. */
const MIX = { queue: 0.2, read: 0.4, submit: 0.2, note: 0.2 } as const;

/** CPU seconds (user + system) used so far by the processes whose command line matches. */
function cpuSeconds(match: (pid: number, cmdline: string) => boolean): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!match(pid, cmdline)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name: utime and stime are the 12th and 13th (clock ticks).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks / 100;
}

async function main() {
  const database = await openBenchDatabase(driver);
  const db = database.db;
  const referrals = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM referral`.execute(db)).rows[0]?.n ?? 0,
  );
  const triage = await sessionFor(database, (await usersWith(database, 'triage'))[0] ?? '');
  const frontline = await Promise.all(
    (await usersWith(database, 'frontline', 20)).map((id) => sessionFor(database, id)),
  );
  const untriaged = (
    await db
      .selectFrom('referral')
      .select('id')
      .where('status', 'in', ['submitted', 'in_triage'])
      .limit(2000)
      .execute()
  ).map((r) => r.id);
  // Service referrals still with the provider, and the lead caseworker of each one's case.
  const notes = await db
    .selectFrom('service_referral as s')
    .innerJoin('case_member as m', 'm.case_id', 's.case_id')
    .select(['s.id', 'm.user_id'])
    .where('s.status', 'in', ['sent', 'accepted', 'engaged'])
    .limit(200)
    .execute();
  const caseworkerSessions = new Map<string, { cookie: string; csrf: string }>();
  for (const n of notes)
    if (!caseworkerSessions.has(n.user_id))
      caseworkerSessions.set(n.user_id, await sessionFor(database, n.user_id));
  const rand = random(11);
  const bodies = Array.from({ length: 200 }, (_, i) =>
    JSON.stringify(
      syntheticReferral(
        rand,
        new Date(Date.now() - 86_400_000 * (1 + (i % 20))).toISOString().slice(0, 10),
        9_000_000 + i,
      ),
    ),
  );
  await database.close();
  process.stderr.write(
    `${driver}: ${formatCount(referrals)} referrals; ${formatCount(untriaged.length)} waiting referrals and ${notes.length} service referrals to work on\n`,
  );

  const warm = values['stats-warm-seconds'];
  const threads = values['stats-threads'];
  const server = await startBenchServer(driver, {
    ...(warm === undefined ? {} : { STATS_WARM_SECONDS: warm }),
    ...(threads === undefined ? {} : { STATS_THREADS: threads }),
  });
  const base = server.base;

  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
  const counts = { queue: 0, read: 0, submit: 0, note: 0 };
  const statusCounts = new Map<number, number>();
  const isServer = (pid: number) => pid === server.child.pid;
  const databaseName =
    driver === 'postgres' ? new URL(benchEnv(driver).DATABASE_URL ?? '').pathname.slice(1) : '';
  const isPostgres = (_pid: number, cmd: string) =>
    driver === 'postgres' && cmd.startsWith('postgres: ') && cmd.includes(` ${databaseName} `);
  // Linkage jobs waiting or running, sampled through a connection of our own (PostgreSQL only:
  // PGlite is open in the server process alone).
  const queue: number[] = [];
  const observer =
    driver === 'postgres' ? new pg.Client({ connectionString: benchEnv(driver).DATABASE_URL }) : undefined;
  await observer?.connect();
  const sampleQueue = async () => {
    if (!observer) return;
    const { rows } = await observer.query<{ n: string }>(
      `SELECT count(*) AS n FROM job WHERE kind = 'linkage.score' AND status IN ('queued', 'running')`,
    );
    queue.push(Number(rows[0]?.n ?? 0));
  };
  await sampleQueue();
  const sampler = setInterval(() => void sampleQueue(), 5000);
  const cpuBefore = {
    server: cpuSeconds(isServer),
    postgres: cpuSeconds(isPostgres),
    wall: performance.now(),
  };

  const latencies: number[] = [];
  let finished: (result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve) => (finished = resolve));
  const instance = autocannon(
    {
      url: base,
      connections: Number(values.connections),
      overallRate: Number(values.rate),
      duration: Number(values.duration),
      requests: [
        {
          setupRequest: (request) => {
            const r = Math.random();
            if (r < MIX.queue) {
              counts.queue++;
              return {
                ...request,
                method: 'GET',
                path: '/api/triage/queue',
                headers: { cookie: triage.cookie },
              };
            }
            if (r < MIX.queue + MIX.read) {
              counts.read++;
              return {
                ...request,
                method: 'GET',
                path: `/api/referrals/${pick(untriaged)}`,
                headers: { cookie: triage.cookie },
              };
            }
            if (r < MIX.queue + MIX.read + MIX.submit) {
              counts.submit++;
              const who = pick(frontline);
              return {
                ...request,
                method: 'POST',
                path: '/api/referrals',
                headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
                body: pick(bodies),
              };
            }
            counts.note++;
            const target = pick(notes);
            const who = caseworkerSessions.get(target.user_id);
            if (!who) throw new Error('no caseworker session');
            return {
              ...request,
              method: 'POST',
              path: `/api/service-referrals/${target.id}/notes`,
              headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
              body: JSON.stringify({ body: 'Benchmark note: attended the first session; next one booked.' }),
            };
          },
          onResponse: (status) => statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1),
        },
      ],
    },
    (error: unknown, result) => {
      if (error instanceof Error) throw error;
      finished(result);
    },
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await done;
  clearInterval(sampler);
  await sampleQueue();
  await observer?.end();
  const wall = (performance.now() - cpuBefore.wall) / 1000;
  const serverCpu = (cpuSeconds(isServer) - cpuBefore.server) / wall;
  const postgresCpu = (cpuSeconds(isPostgres) - cpuBefore.postgres) / wall;
  await server.stop();

  latencies.sort((a, b) => a - b);
  const ms = (p: number) => percentile(latencies, p).toFixed(1);
  console.log(`driver            ${driver}, ${formatCount(referrals)} referrals`);
  console.log(
    `offered           ${values.rate} requests/s for ${values.duration} s over ${values.connections} connections`,
  );
  console.log(
    `done              ${formatCount(result.requests.total)} requests, ${result.requests.average.toFixed(0)}/s on average`,
  );
  console.log(`mix               ${JSON.stringify(counts)}`);
  console.log(
    `statuses          ${JSON.stringify(Object.fromEntries(statusCounts))}; errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
  );
  console.log(`latency (ms)      p50 ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${ms(100)}`);
  if (queue.length > 0)
    console.log(
      `linkage queue     ${queue.join(' → ')} jobs waiting or running (every 5 s, first before the run)`,
    );
  console.log(
    `CPU (cores)       server ${serverCpu.toFixed(2)}${driver === 'postgres' ? `, PostgreSQL ${postgresCpu.toFixed(2)}` : ''} of 2`,
  );
}

await main();
