// Where the national-scale benchmarks keep their data, and the environment a Tiaki server needs
// to open it: a PostgreSQL database of its own, or a PGlite directory, with fixed benchmark keys
// (the data is synthetic; the keys must only match between the generator and the server).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export type Driver = 'postgres' | 'pglite';
export const DRIVERS: readonly Driver[] = ['postgres', 'pglite'];

/** The PostgreSQL server the benchmarks create their database on. */
export const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * The benchmark data set: `national` (bench:data, read by the load and statistics benchmarks) or
 * `import` (made afresh by the import benchmark, so it never disturbs the national one).
 */
export type DataSet = 'national' | 'import';
// BENCH_DATABASE_PREFIX keeps apart several people benchmarking on one PostgreSQL server.
const DATABASE_PREFIX = process.env.BENCH_DATABASE_PREFIX ?? 'tiaki_bench';
const POSTGRES_DATABASES: Record<DataSet, string> = {
  national: DATABASE_PREFIX,
  import: `${DATABASE_PREFIX}_import`,
};
/** PGlite benchmark directories: large, so outside the repository by default. */
const PGLITE_ROOT = resolve(process.env.BENCH_PGLITE_DIR ?? '/tmp/tiaki-bench-pglite');
const pgliteDir = (set: DataSet) => `${PGLITE_ROOT}/${set}`;

const benchKey = (purpose: string) =>
  createHash('sha256').update(`tiaki benchmark ${purpose}`).digest('base64');

function postgresUrl(set: DataSet): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${POSTGRES_DATABASES[set]}`;
  return url.toString();
}

/** A production-mode environment (no demo data, real password hashing) for the benchmark data. */
export function benchEnv(driver: Driver, set: DataSet = 'national'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    TIAKI_ENV: 'production',
    TIAKI_DEMO: 'false',
    PUBLIC_URL: 'http://127.0.0.1',
    TIAKI_KEYS: `bench1:${benchKey('field encryption')}`,
    TIAKI_BLIND_INDEX_KEY: benchKey('blind index'),
    TIAKI_STATS_SECRET: benchKey('statistics'),
    LOG_LEVEL: 'warn',
    ...(driver === 'postgres'
      ? { DATABASE_URL: postgresUrl(set), DATA_DIR: `/tmp/tiaki-bench-files-${set}` }
      : {}),
    ...(driver === 'pglite' ? { DATA_DIR: pgliteDir(set) } : {}),
  };
}

/** Drops the benchmark database (or directory) so the generator starts from nothing. */
export async function resetTarget(driver: Driver, set: DataSet = 'national'): Promise<void> {
  if (driver === 'pglite') {
    rmSync(pgliteDir(set), { recursive: true, force: true });
    return;
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${POSTGRES_DATABASES[set]} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${POSTGRES_DATABASES[set]}`);
  await admin.end();
}

export const formatCount = (n: number) => n.toLocaleString('en-NZ');

/** The p-th percentile of sorted values by nearest rank (p 100 is the largest). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

/** Progress on one line of stderr, at most twice a second. */
export function progressLine(): (text: string) => void {
  let last = 0;
  return (text) => {
    const now = performance.now();
    if (now - last < 500) return;
    last = now;
    process.stderr.write(`\r${text}          `);
  };
}
