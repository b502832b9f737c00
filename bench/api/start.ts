// How soon a server answers after it is started on the benchmark data (`npm run bench:data`
// first; issue 17: `/healthz` within 5 s of start whatever the data size): the time from spawning
// `tiaki serve` to the first 200 from `/healthz` (the process is up) and from `/readyz` (the
// database is open and migrated: it takes requests), asked every 50 ms. Several starts in a row.
//   npx tsx bench/api/start.ts [--driver postgres|pglite] [--repeat 3]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openBenchDatabase } from '../server.ts';
import { benchEnv, formatCount, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    repeat: { type: 'string', default: '3' },
  },
});
const driver = values.driver as Driver;
const BIN = resolve('apps/server/bin/tiaki.mjs');

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

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** One start: seconds to /healthz and to /readyz answering 200. */
async function start(): Promise<{ healthz: number; readyz: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('node', [BIN, 'serve'], {
    env: { ...benchEnv(driver), HOST: '127.0.0.1', PORT: String(port) },
    stdio: 'ignore',
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  let healthz = NaN;
  let readyz = NaN;
  while (Number.isNaN(readyz)) {
    if (child.exitCode !== null) throw new Error(`the server ended with ${child.exitCode}`);
    if ((performance.now() - t0) / 1000 > 600) throw new Error('not ready after 10 minutes');
    if (Number.isNaN(healthz) && (await answers(`${base}/healthz`)))
      healthz = (performance.now() - t0) / 1000;
    if (!Number.isNaN(healthz) && (await answers(`${base}/readyz`))) readyz = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  return { healthz, readyz };
}

async function main() {
  const database = await openBenchDatabase(driver);
  const referrals = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM referral`.execute(database.db)).rows[0]?.n ?? 0,
  );
  await database.close();
  console.log(`${driver}, ${formatCount(referrals)} referrals`);
  for (let i = 1; i <= Number(values.repeat); i++) {
    const { healthz, readyz } = await start();
    console.log(`start ${i}: /healthz after ${healthz.toFixed(2)} s, /readyz after ${readyz.toFixed(2)} s`);
  }
  process.exit(0);
}

await main();
