import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from './schema.ts';
import { PGlitePool } from './pglite-pool.ts';
import { lockDatabaseFolder } from './pglite-lock.ts';
import { migrate, type MigrationReport } from './migrate.ts';
import type { OwnerConnection } from './owner.ts';

/** The database role the application runs as: it may only SELECT and INSERT the audit table. */
export const APP_ROLE = 'tiaki_app';

export type Db = Kysely<Schema>;

// A calendar date is a day, not an instant: keep 'YYYY-MM-DD' rather than a local-midnight Date.
const DATE_OID = 1082;
const DATE_AS_TEXT = { [DATE_OID]: (value: string) => value };
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type { OwnerConnection };

export interface Database {
  kind: 'pglite' | 'postgres';
  /** Typed queries, executed as the application role. */
  db: Db;
  owner: OwnerConnection;
  migrations: MigrationReport;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent, an embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined keeps the database in memory (tests). */
  dataDir?: string | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPGlite(options.dataDir);
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  let location: string | undefined;
  let unlock = () => {};
  if (dataDir) {
    location = join(dataDir, 'pglite');
    mkdirSync(location, { recursive: true, mode: 0o700 });
    unlock = lockDatabaseFolder(location);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(location, { parsers: DATE_AS_TEXT });
  } catch (error) {
    unlock();
    throw error;
  }
  const pool = new PGlitePool(pglite);

  // Owner work borrows the one connection, steps out of the app role, and steps back in.
  const withOwner = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await pool.acquire();
    try {
      await pglite.exec('RESET ROLE');
      return await fn();
    } finally {
      await pglite.exec(`SET ROLE ${APP_ROLE}`).catch(() => undefined);
      release();
    }
  };
  const ownerOn = (runner: Pick<PGlite, 'exec' | 'query'>): OwnerConnection => ({
    exec: async (sql) => {
      await runner.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await runner.query<T>(sql, params)).rows,
    transaction: (fn) => fn(ownerOn(runner)),
  });
  const direct = ownerOn(pglite);
  const owner: OwnerConnection = {
    exec: (sql) => withOwner(() => direct.exec(sql)),
    query: <T>(sql: string, params?: unknown[]) => withOwner(() => direct.query<T>(sql, params)),
    transaction: (fn) => withOwner(() => pglite.transaction((tx) => fn(ownerOn(tx)))),
  };

  const migrations = await migrate(direct);
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    owner,
    migrations,
    ping: async () => {
      try {
        await pglite.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const ownerPool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a fresh one.
  const ignoreIdleError = () => undefined;
  ownerPool.on('error', ignoreIdleError);
  const ownerOn = (client: pg.Pool | pg.PoolClient): OwnerConnection => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    transaction: async (fn) => {
      const c = await ownerPool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(ownerOn(c));
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      } finally {
        c.release();
      }
    },
  });
  const owner = ownerOn(ownerPool);
  let migrations: MigrationReport;
  const migrationClient = await ownerPool.connect();
  try {
    // Two processes starting together must not both migrate.
    await migrationClient.query('SELECT pg_advisory_lock(727274)');
    migrations = await migrate(ownerOn(migrationClient));
  } finally {
    await migrationClient.query('SELECT pg_advisory_unlock(727274)');
    migrationClient.release();
  }

  const appPool = new pg.Pool({ connectionString: url, max: 10 });
  appPool.on('error', ignoreIdleError);
  appPool.on('connect', (client) => {
    void client.query(`SET ROLE ${APP_ROLE}`);
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: appPool }) });
  return {
    kind: 'postgres',
    db,
    owner,
    migrations,
    ping: async () => {
      try {
        await appPool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await db.destroy();
      await ownerPool.end();
    },
  };
}
