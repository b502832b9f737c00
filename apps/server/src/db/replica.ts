import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { APP_ROLE, type Db } from './database.ts';
import type { Schema } from './schema.ts';

export interface ReadReplica {
  db: Db;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A read-only pool on a streaming replica (hot standby) of the primary. No migrations run here:
 * the replica replays the primary's. Every session is read-only and runs as the application role,
 * so a query sent here by mistake that writes fails loudly instead of being lost.
 */
export function openReadReplica(url: string): ReadReplica {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // A replica restarting must not crash the process: the next query opens a fresh connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    void client.query(`SET default_transaction_read_only = on; SET ROLE ${APP_ROLE}`);
  });
  const db: Db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    ping: async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
