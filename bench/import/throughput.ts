// Bulk import throughput: writes a CSV file of synthetic referrals (as an agency's export would
// look), then imports it with full validation, encryption and auditing into a fresh PostgreSQL
// database and a fresh PGlite directory, one after the other, printing rows per second and the
// process's memory as it streams.
//   npx tsx bench/import/throughput.ts [--rows 200000] [--gigabytes 2] [--drivers postgres,pglite] [--dry-run] [--threads 2]
// --gigabytes sizes the file by bytes instead of rows (the memory check on a 2 GB file); --threads
// sets the import's worker threads (0: the importing thread alone; default: the machine's cores).
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { ReferralData } from '@tiaki/domain';
import { loadConfig } from '../../apps/server/src/config.ts';
import { random, syntheticReferral } from '../../apps/server/src/demo/history.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/modules/audit/service.ts';
import { importReferrals } from '../../apps/server/src/modules/imports/service.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { benchEnv, formatCount, progressLine, resetTarget, type Driver } from '../target.ts';

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

const COLUMNS = [
  'source_id',
  'referrer_name',
  'referrer_role',
  'referrer_email',
  'concern_date',
  'region',
  'police_district',
  'child_identified',
  'given_names',
  'family_name',
  'aliases',
  'date_of_birth',
  'gender',
  'ethnicities',
  'iwi',
  'languages',
  'child_safety',
  'manifestations',
  'contexts',
  'indicators',
  'narrative',
  'immediate_risk',
  'child_aware',
  'lawful_basis',
] as const;

const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

function csvLine(id: number, r: ReferralData): string {
  const cells: Record<(typeof COLUMNS)[number], string> = {
    source_id: `BENCH-${id}`,
    referrer_name: r.referrer.name,
    referrer_role: r.referrer.role ?? '',
    referrer_email: r.referrer.email ?? '',
    concern_date: r.concern.date,
    region: r.concern.region,
    police_district: r.concern.policeDistrict ?? '',
    child_identified: r.child.identified ? 'yes' : 'no',
    given_names: r.child.givenNames ?? '',
    family_name: r.child.familyName ?? '',
    aliases: r.child.aliases.join(';'),
    date_of_birth: r.child.dateOfBirth ?? '',
    gender: r.child.gender,
    ethnicities: r.child.ethnicities.join(';'),
    iwi: r.child.iwi.join(';'),
    languages: r.child.languages.join(';'),
    child_safety: r.child.safety,
    manifestations: r.manifestations.join(';'),
    contexts: r.contexts.join(';'),
    indicators: r.indicators.join(';'),
    // A few sentences, as a referrer writes them, with a comma and a line break to quote.
    narrative: `${r.narrative} Seen near the bus station on two evenings, with an older adult;\nschool attendance has dropped this term. Reference ${id}.`,
    immediate_risk: r.immediateRisk ? 'yes' : 'no',
    child_aware: r.childAware,
    lawful_basis: r.lawfulBasis,
  };
  return COLUMNS.map((column) => quote(cells[column])).join(',') + '\n';
}

/** Writes the file; returns its row count. Dates spread over the last ten years. */
async function writeFile(file: string, rows: number, bytes: number | null): Promise<number> {
  const rand = random(7);
  const out = createWriteStream(file);
  out.write(COLUMNS.join(',') + '\n');
  let written = 0;
  let size = 0;
  const progress = progressLine();
  const start = Date.UTC(2016, 10, 1);
  for (let n = 0; bytes === null ? n < rows : size < bytes; n++) {
    const received = new Date(start + rand() * 3650 * 86_400_000).toISOString().slice(0, 10);
    const line = csvLine(n, syntheticReferral(rand, received, n));
    size += Buffer.byteLength(line);
    written++;
    if (!out.write(line)) await once(out, 'drain');
    progress(`writing ${file}: ${formatCount(written)} rows, ${(size / 2 ** 20).toFixed(0)} MiB`);
  }
  out.end();
  await once(out, 'finish');
  process.stderr.write('\n');
  return written;
}

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
