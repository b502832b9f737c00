// Audited read throughput at 1 and 16 connections on PostgreSQL, for one or more checkouts of
// Tiaki side by side, with pgbench's rate for the same shape of work (one select, one insert,
// commit) as the ceiling, all in one run (issue 17). Each checkout gets a fresh database with the
// demo installation and 120 referrals of demo history; a triage officer reads one untriaged
// referral (identity decrypted, the read audited) as fast as autocannon can ask.
// With --servers N, N `tiaki serve` processes share the database (the scale-out of
// docs/operations.md) and the connections are spread over them, as a reverse proxy would.
//   npx tsx bench/api/audited-read.ts [--duration 20] [--servers 1] [--root label=/path/to/checkout ...]
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { POSTGRES_ADMIN_URL } from '../target.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    servers: { type: 'string', default: '1' },
    root: { type: 'string', multiple: true, default: [`this=${resolve('.')}`] },
    // Database names start with this (several people may share one PostgreSQL server).
    'db-prefix': { type: 'string', default: 'tiaki_bench_audit_' },
    // Write a CPU profile of each server process into this folder (node --cpu-prof).
    'cpu-prof': { type: 'string' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = [1, 16];
const SERVERS = Math.max(1, Number(values.servers));
const PREFIX = values['db-prefix'];

const urlFor = (name: string) => {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => {
        done(port);
      });
    });
  });
}

/** pgbench: one select by key, one insert, commit; the database's own rate for that work. */
async function ceiling(): Promise<Record<number, number>> {
  const name = `${PREFIX}pgbench`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ connectionString: urlFor(name) });
  await client.connect();
  await client.query(`CREATE TABLE item (id int PRIMARY KEY, body text NOT NULL);
    INSERT INTO item SELECT i, md5(i::text) FROM generate_series(1, 10000) i;
    CREATE TABLE entry (id bigserial PRIMARY KEY, item int NOT NULL, at timestamptz NOT NULL DEFAULT now(), details jsonb NOT NULL);`);
  await client.end();
  const script = join(mkdtempSync(join(tmpdir(), 'tiaki-pgbench-')), 'read-and-audit.sql');
  writeFileSync(
    script,
    `\\set id random(1, 10000)
BEGIN;
SELECT body FROM item WHERE id = :id;
INSERT INTO entry (item, details) VALUES (:id, '{"action": "referral.viewed"}');
COMMIT;
`,
  );
  const rates: Record<number, number> = {};
  for (const c of CONNECTIONS) {
    const out = execFileSync(
      'pgbench',
      [
        '-n',
        '-f',
        script,
        '-c',
        String(c),
        '-j',
        String(Math.min(c, 2)),
        '-T',
        String(DURATION),
        urlFor(name),
      ],
      { encoding: 'utf8' },
    );
    rates[c] = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
    console.log(`pgbench, ${c} connection(s): ${(rates[c] ?? 0).toFixed(0)} transactions/s`);
  }
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return rates;
}

interface Measured {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

async function serve(
  root: string,
  env: Record<string, string>,
  ready: (output: string) => boolean | Promise<boolean>,
): Promise<{ child: ChildProcess; output: () => string }> {
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`] : [];
  const child = spawn('node', [...profile, join(root, 'apps/server/bin/tiaki.mjs'), 'serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process.on('exit', () => child.kill('SIGKILL'));
  const started = Date.now();
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`server ended:\n${output}`);
    if (Date.now() - started > 600_000) throw new Error(`not ready after 10 minutes:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => output };
}

/** Several autocannon runs at once as one: rates and errors add up; latency is the worst part's. */
function combine(parts: autocannon.Result[]) {
  return {
    requests: { average: parts.reduce((sum, part) => sum + part.requests.average, 0) },
    latency: {
      p50: Math.max(...parts.map((part) => part.latency.p50)),
      p99: Math.max(...parts.map((part) => part.latency.p99)),
    },
    non2xx: parts.reduce((sum, part) => sum + part.non2xx, 0),
    errors: parts.reduce((sum, part) => sum + part.errors, 0),
  };
}

async function measure(label: string, root: string): Promise<Record<number, Measured>> {
  const name = `${PREFIX}${label.replace(/\W/g, '_')}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const env = {
    TIAKI_ENV: 'development',
    TIAKI_DEMO: 'true',
    DEMO_HISTORY_REFERRALS: '120',
    DATABASE_URL: urlFor(name),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tiaki-bench-audit-')),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const ports = [await freePort()];
  // The first process installs the demo and its history (seeded after it listens).
  const servers = [
    await serve(root, { ...env, PORT: String(ports[0]) }, (output) =>
      /Demo history: 120 of 120/.test(output),
    ),
  ];
  // The others share its database and DATA_DIR (keys), as processes behind a proxy would.
  while (servers.length < SERVERS) {
    const port = await freePort();
    ports.push(port);
    servers.push(
      await serve(root, { ...env, TIAKI_DEMO: 'false', PORT: String(port) }, async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return answer?.status === 200;
      }),
    );
  }
  const db = new pg.Client({ connectionString: urlFor(name) });
  await db.connect();
  const officer = await db.query<{ id: string }>(
    `SELECT u.id FROM app_user u JOIN role_assignment r ON r.user_id = u.id WHERE r.role = 'triage' ORDER BY u.email LIMIT 1`,
  );
  const referral = await db.query<{ id: string }>(
    `SELECT id FROM referral WHERE status IN ('submitted', 'in_triage') ORDER BY submitted_at DESC LIMIT 1`,
  );
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO session (id, user_id, stage, csrf_token, expires_at) VALUES ($1, $2, 'active', $3, now() + interval '4 hours')`,
    [
      createHash('sha256').update(token).digest('hex'),
      officer.rows[0]?.id,
      randomBytes(24).toString('base64url'),
    ],
  );
  const urls = ports.map((port) => `http://127.0.0.1:${port}/api/referrals/${referral.rows[0]?.id}`);
  const headers = { cookie: `tiaki_session=${token}` };
  for (const url of urls) {
    const check = await fetch(url, { headers });
    if (check.status !== 200)
      throw new Error(`the audited read answered ${check.status}: ${await check.text()}`);
  }
  const results: Record<number, Measured> = {};
  for (const connections of CONNECTIONS) {
    const before = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'referral.viewed'`,
    );
    // The connections spread over the servers; one connection goes to the first.
    const share = urls.slice(0, connections).map((url, i, used) => ({
      url,
      connections: Math.floor(connections / used.length) + (i < connections % used.length ? 1 : 0),
    }));
    const parts = await Promise.all(
      share.map((part) => autocannon({ ...part, headers, duration: DURATION })),
    );
    const result = combine(parts);
    const after = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'referral.viewed'`,
    );
    results[connections] = {
      rate: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors,
    };
    console.log(
      `${label}, ${connections} connection(s): ${result.requests.average.toFixed(0)} audited reads/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} errors; ${Number(after.rows[0]?.n) - Number(before.rows[0]?.n)} reads audited`,
    );
  }
  await db.end();
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return results;
}

async function main() {
  const ceilings = await ceiling();
  const rows: string[] = [];
  for (const entry of values.root) {
    const [label = '', root = ''] = entry.split('=');
    const r = await measure(label, resolve(root));
    const one = r[1];
    const many = r[16];
    if (!one || !many) throw new Error('a measurement is missing');
    rows.push(
      `| ${label} | ${one.rate.toFixed(0)} (p99 ${one.p99} ms) | ${many.rate.toFixed(0)} (p50 ${many.p50} ms, p99 ${many.p99} ms) | ${(many.rate / one.rate).toFixed(2)}× | ${((100 * many.rate) / (ceilings[16] ?? 1)).toFixed(1)} % |`,
    );
  }
  console.log(
    `\npgbench (select + insert + commit): ${ceilings[1]?.toFixed(0)}/s at 1 connection, ${ceilings[16]?.toFixed(0)}/s at 16`,
  );
  console.log('| code | 1 connection, reads/s | 16 connections, reads/s | 16 vs 1 | of pgbench at 16 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  process.exit(0);
}

await main();
