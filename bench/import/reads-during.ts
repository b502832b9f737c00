// Other users' reads while a large import runs (issue 17): a real server on the benchmark data
// (`npm run bench:data` first), two people reading as they do all day — a triage officer (the
// queue, then a waiting referral with the child's identity, audited) and a caseworker (their
// cases, then one case) — one request after another, first with nothing else running, then while
// a frontline officer imports a CSV of N referrals through the API. Prints p50/p95/p99/max of
// the reads in each phase and the import's rate.
//   npx tsx bench/import/reads-during.ts [--driver postgres|pglite] [--rows 100000] [--quiet-seconds 20]
// BENCH_NODE_OPTIONS is passed to the server as NODE_OPTIONS (e.g. `--require` of a probe).
// The imported rows stay in the benchmark data (each run's source ids are new).
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openBenchDatabase, sessionFor, startBenchServer, usersWith, type BenchSession } from '../server.ts';
import { formatCount, percentile, type Driver } from '../target.ts';
import { writeFile } from './csv-file.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    rows: { type: 'string', default: '100000' },
    'quiet-seconds': { type: 'string', default: '20' },
    file: { type: 'string', default: '/tmp/tiaki-bench-reads-during.csv' },
  },
});
const driver = values.driver as Driver;
const rows = Number(values.rows);

interface Reader {
  label: string;
  who: BenchSession;
  paths: string[];
}

/** Reads one path after another until `until` says stop; returns each request's time in ms. */
async function readLoop(base: string, reader: Reader, until: () => boolean) {
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; !until(); i++) {
    const path = reader.paths[i % reader.paths.length] ?? '/healthz';
    const t0 = performance.now();
    try {
      const answer = await fetch(base + path, { headers: { cookie: reader.who.cookie } });
      await answer.arrayBuffer();
      if (answer.status !== 200) failures++;
    } catch (error) {
      // No answer at all (the connection reset, say): a failure, and the reader goes on.
      failures++;
      console.log(`${reader.label}: ${path} failed: ${String((error as Error).cause ?? error)}`);
    }
    times.push(performance.now() - t0);
  }
  return { times, failures };
}

function summary(label: string, times: number[], failures: number): string {
  const sorted = [...times].sort((a, b) => a - b);
  const ms = (p: number) => `${percentile(sorted, p).toFixed(0)} ms`;
  return `${label.padEnd(34)} ${formatCount(times.length).padStart(7)} reads  p50 ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${ms(100)}  failed ${failures}`;
}

async function main() {
  const database = await openBenchDatabase(driver);
  const db = database.db;
  const waiting = await db
    .selectFrom('referral')
    .select('id')
    .where('status', 'in', ['submitted', 'in_triage'])
    .orderBy('received_on', 'desc')
    .executeTakeFirstOrThrow();
  const member = (
    await sql<{ user_id: string; case_id: string }>`
      SELECT user_id, case_id FROM case_member WHERE removed_at IS NULL ORDER BY case_id LIMIT 1`.execute(db)
  ).rows[0];
  if (!member) throw new Error('No case in the benchmark data: run `npm run bench:data` first');
  const importer = (await usersWith(database, 'frontline'))[0] ?? '';
  const readers: Reader[] = [
    {
      label: 'triage officer',
      who: await sessionFor(database, (await usersWith(database, 'triage'))[0] ?? ''),
      paths: ['/api/triage/queue', `/api/referrals/${waiting.id}`],
    },
    {
      label: 'caseworker',
      who: await sessionFor(database, member.user_id),
      paths: ['/api/cases', `/api/cases/${member.case_id}`],
    },
  ];
  const importing = await sessionFor(database, importer);
  const before = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM referral`.execute(db)).rows[0]?.n ?? 0,
  );
  await database.close();

  const written = await writeFile(values.file, rows, null, `READS-${Date.now().toString(36)}`);
  const mib = (statSync(values.file).size / 2 ** 20).toFixed(0);
  console.log(
    `${driver}: ${formatCount(before)} referrals in the data; file of ${formatCount(written)} rows, ${mib} MiB`,
  );

  const nodeOptions = process.env.BENCH_NODE_OPTIONS;
  const server = await startBenchServer(driver, nodeOptions ? { NODE_OPTIONS: nodeOptions } : {});
  const base = server.base;
  try {
    // Warm the server's caches as a day's first requests would.
    for (const reader of readers)
      for (const path of reader.paths) {
        const answer = await fetch(base + path, { headers: { cookie: reader.who.cookie } });
        if (answer.status !== 200) throw new Error(`${reader.label}: ${path} answered ${answer.status}`);
      }

    const quietUntil = Date.now() + Number(values['quiet-seconds']) * 1000;
    const quiet = await Promise.all(readers.map((r) => readLoop(base, r, () => Date.now() > quietUntil)));

    let importDone = false;
    const t0 = performance.now();
    // When the whole file had been read into the request, and when the answer's headers came
    // (the server answers once it holds the whole upload).
    let sent = 0;
    let answered = 0;
    const body = createReadStream(values.file).on('end', () => (sent = performance.now()));
    const importing$ = (async () => {
      const answer = await fetch(`${base}/api/imports/referrals?mode=all-or-nothing`, {
        method: 'POST',
        headers: {
          cookie: importing.cookie,
          'x-csrf-token': importing.csrf,
          'content-type': 'text/csv',
        },
        body: Readable.toWeb(body),
        duplex: 'half',
      });
      answered = performance.now();
      const text = await answer.text();
      importDone = true;
      const last = text.trim().split('\n').at(-1) ?? '';
      if (answer.status !== 200 || !last.includes('"report"'))
        throw new Error(`the import failed (${answer.status}): ${last.slice(0, 300)}`);
      return JSON.parse(last) as { report: { imported: number } };
    })();
    const during = await Promise.all(readers.map((r) => readLoop(base, r, () => importDone)));
    const { report } = await importing$;
    const seconds = (performance.now() - t0) / 1000;

    const at = (t: number) => (t ? `${((t - t0) / 1000).toFixed(1)} s` : 'never');
    console.log(`upload: file sent at ${at(sent)}, answer's headers at ${at(answered)}`);
    console.log(
      `import: ${formatCount(report.imported)} referrals in ${seconds.toFixed(1)} s (${formatCount(Math.round(report.imported / seconds))} rows/s, through HTTP, with the readers running)`,
    );
    readers.forEach((reader, i) => {
      const q = quiet[i];
      const d = during[i];
      if (!q || !d) return;
      console.log(summary(`${reader.label}, nothing else`, q.times, q.failures));
      console.log(summary(`${reader.label}, during the import`, d.times, d.failures));
    });
    const all = (phase: typeof quiet) => phase.flatMap((p) => p.times);
    const failed = (phase: typeof quiet) => phase.reduce((n, p) => n + p.failures, 0);
    console.log(summary('all reads, nothing else', all(quiet), failed(quiet)));
    console.log(summary('all reads, during the import', all(during), failed(during)));
    if (failed(quiet) + failed(during) > 0) console.log(`server said:\n${server.output().slice(-3000)}`);
  } finally {
    await server.stop();
  }
  process.exit(0);
}

await main();
