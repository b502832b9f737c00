import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type PostgresPool, type RootOperationNode } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from './schema.ts';
import { PGlitePool } from './pglite-pool.ts';
import { lockDatabaseFolder } from './pglite-lock.ts';
import { migrate, type MigrationReport } from './migrate.ts';
import { TableWrites } from './table-writes.ts';
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
  /** Moves whenever a statement run through `db` may change a session or what it grants. */
  sessionWrites: TableWrites;
  /** A connection of its own for bulk work (an import's staging table lives in it). */
  bulkSession(): Promise<BulkSession>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One database session for bulk work, as the application role: its temporary tables last until
 * it is released. On PostgreSQL it is a connection of the pool kept for the caller (its `db` runs
 * on that connection only); on PGlite, the one connection, taken for each statement only, so
 * other users' work goes on between them.
 */
export interface BulkSession {
  db: Db;
  /** Loads COPY text-format lines into columns of a table (a temporary one of this session). */
  copyIn(table: string, columns: readonly string[], text: string): Promise<void>;
  /** Gives the connection back; `broken` drops it (its session state is unknown). */
  release(broken?: boolean): Promise<void>;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const copyStatement = (table: string, columns: readonly string[], from: string) =>
  `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${from}`;

export interface OpenOptions {
  /** postgres:// URL; when absent, an embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined keeps the database in memory (tests). */
  dataDir?: string | undefined;
}

/** What a signed-in session is read from (auth/queries.ts findSession). */
const SESSION_TABLES = ['session', 'app_user', 'organisation', 'role_assignment'];
/** Touching a session's last-seen time (auth/service.ts loadSession) changes nothing it grants. */
const onlyTouchesSession = (node: RootOperationNode) =>
  node.kind === 'UpdateQueryNode' &&
  node.updates?.length === 1 &&
  (node.updates[0]?.column as { column?: { name?: string } } | undefined)?.column?.name === 'last_seen_at';
const sessionWritesOf = () => new TableWrites(SESSION_TABLES, onlyTouchesSession);

/** The owner connection runs SQL the plugin never sees: every statement counts as a write, before and after. */
function watched(owner: OwnerConnection, writes: TableWrites): OwnerConnection {
  const around = async <T>(run: () => Promise<T>): Promise<T> => {
    writes.written();
    try {
      return await run();
    } finally {
      writes.written();
    }
  };
  return {
    exec: (sql) => around(() => owner.exec(sql)),
    query: <T>(sql: string, params?: unknown[]) => around(() => owner.query<T>(sql, params)),
    transaction: (fn) => around(() => owner.transaction(fn)),
  };
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
    // pg_trgm: the trigram indexes of the reference filters (0037_reference_trigram.sql).
    pglite = await PGlite.create(location, { parsers: DATE_AS_TEXT, extensions: { pg_trgm } });
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
  const sessionWrites = sessionWritesOf();
  const owner: OwnerConnection = watched(
    {
      exec: (sql) => withOwner(() => direct.exec(sql)),
      query: <T>(sql: string, params?: unknown[]) => withOwner(() => direct.query<T>(sql, params)),
      transaction: (fn) => withOwner(() => pglite.transaction((tx) => fn(ownerOn(tx)))),
    },
    sessionWrites,
  );

  const migrations = await migrate(direct);
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), plugins: [sessionWrites] });
  return {
    kind: 'pglite',
    db,
    owner,
    migrations,
    sessionWrites,
    bulkSession: () =>
      Promise.resolve({
        db,
        // PGlite reads COPY data from its virtual /dev/blob, which PostgreSQL lets only a
        // superuser read: the one statement runs as the owner, into the application's table.
        copyIn: async (table, columns, text) => {
          const release = await pool.acquire();
          try {
            await pglite.exec('RESET ROLE');
            await pglite.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) });
          } finally {
            await pglite.exec(`SET ROLE ${APP_ROLE}`).catch(() => undefined);
            release();
          }
        },
        release: () => Promise.resolve(),
      }),
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
  const sessionWrites = sessionWritesOf();
  const owner = watched(ownerOn(ownerPool), sessionWrites);
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
    // No just-in-time compilation: the application's queries answer a page or one record, and
    // PostgreSQL switches JIT on by estimated cost alone; a list's capped count (cost ~100,000 at
    // 100,000 referrals) spent 60-70 ms compiling to save nothing (docs/benchmarks.md, issue 14).
    void client.query(`SET ROLE ${APP_ROLE}; SET jit = off`);
  });
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: appPool }),
    plugins: [sessionWrites],
  });
  return {
    kind: 'postgres',
    db,
    owner,
    migrations,
    sessionWrites,
    bulkSession: async () => {
      const client = await appPool.connect();
      // Kysely over this one connection: every statement of `db` goes to the same session.
      const single: PostgresPool = {
        connect: () =>
          Promise.resolve({
            query: (text: string, values: unknown[]) => client.query(text, values),
            release: () => undefined,
          } as never),
        end: () => Promise.resolve(),
      };
      return {
        db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool: single }), plugins: [sessionWrites] }),
        copyIn: async (table, columns, text) => {
          await pipeline(
            Readable.from([text]),
            client.query(copyFrom(copyStatement(table, columns, 'STDIN'))),
          );
        },
        release: (broken) => {
          client.release(broken === true);
          return Promise.resolve();
        },
      };
    },
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
