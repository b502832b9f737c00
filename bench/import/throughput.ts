// Bulk import throughput: writes a CSV file of synthetic referrals (as an agency's export would
// look), then imports it with full validation, encryption and auditing into a fresh PostgreSQL
// database and a fresh PGlite directory, one after the other, printing rows per second and the
// process's memory as it streams.
//   npx tsx bench/import/throughput.ts [--rows 200000] [--gigabytes 2] [--drivers postgres,pglite] [--dry-run] [--threads 2]
// --gigabytes sizes the file by bytes instead of rows (the memory check on a 2 GB file); --threads
// sets the import's worker threads (0: the importing thread alone; default: the machine's cores).
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../apps/server/src/config.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/modules/audit/service.ts';
import { importReferrals } from '../../apps/server/src/modules/imports/service.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { benchEnv, formatCount, progressLine, resetTarget, type Driver } from '../target.ts';
import { writeFile } from './csv-file.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    gigabytes: { type: 'string' },
    drivers: { type: 'string', default: 'postgres,pglite' },
    file: { type: 'string', default: '/tmp/tiaki-bench-import.csv' },
    // Check only (read and validate every row, write nothing): the streaming memory check.
    'dry-run': { type: 'boolean', default: false },
    threads: { type: 'string' },
  },
});

async function importInto(driver: Driver, file: string, rows: number) {
  await resetTarget(driver, 'import');
  const ctx = await createContext(loadConfig(benchEnv(driver, 'import')));
  const organisation = await ctx.db
    .insertInto('organisation')
    .values({ kind: 'oranga_tamariki', name: 'Oranga Tamariki (benchmark import)', regions_served: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
  const progress = progressLine();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const timings: Record<string, number> = {};
  const report = await importReferrals(
    ctx,
    SYSTEM_ACTOR,
    { organisationId: organisation.id, userId: null, apiKeyId: null },
    file,
    'csv',
    {
      mode: 'all-or-nothing',
      timings,
      dryRun: values['dry-run'],
      ...(values.threads === undefined ? {} : { threads: Number(values.threads) }),
      onProgress: (phase, done) => {
        const seconds = (performance.now() - t0) / 1000;
        progress(`${driver} ${phase}: ${formatCount(done)} / ${formatCount(rows)} (${seconds.toFixed(0)} s)`);
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  process.stderr.write('\n');
  await ctx.database.close();
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  return {
    driver,
    imported: values['dry-run'] ? report.valid : report.imported,
    seconds,
    // This process's CPU (worker threads included; the PostgreSQL server's not).
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rowsPerSecond: Math.round((values['dry-run'] ? report.rows : report.imported) / seconds),
    steps: Object.entries(timings)
      .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
      .join(', '),
    rss: `${mib(Math.min(...rss))} → ${mib(Math.max(...rss))} (samples each second: first ${rss.slice(0, 3).map(mib).join(', ')}; last ${rss.slice(-3).map(mib).join(', ')})`,
  };
}

const gigabytes = values.gigabytes ? Number(values.gigabytes) : null;
const rows = await writeFile(
  values.file,
  Number(values.rows),
  gigabytes === null ? null : gigabytes * 2 ** 30,
);
const fileSize = statSync(values.file).size;
console.log(
  `file             ${values.file}: ${formatCount(rows)} rows, ${(fileSize / 2 ** 20).toFixed(0)} MiB`,
);
for (const driver of values.drivers.split(',') as Driver[]) {
  const r = await importInto(driver, values.file, rows);
  console.log(
    `${r.driver.padEnd(9)}        ${formatCount(r.imported)} ${values['dry-run'] ? 'checked' : 'imported'} in ${r.seconds.toFixed(1)} s: ${formatCount(r.rowsPerSecond)} rows/s overall ` +
      `(${values['dry-run'] ? 'each row read and validated, nothing written' : 'each row read, validated, encrypted, written and audited'}); ` +
      `CPU of this process ${r.cpuSeconds.toFixed(1)} s (${Math.round((r.cpuSeconds * 1e6) / Math.max(1, r.imported))} µs a row); memory ${r.rss}`,
  );
  // Where the time went (wall clock): waiting for prepared batches and COPYs while staging, then
  // the publishing transaction and its statements.
  if (r.steps) console.log(`${r.driver.padEnd(9)}        steps: ${r.steps}`);
}
