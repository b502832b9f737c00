import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { OwnerConnection } from './owner.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(MIGRATIONS_DIR, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * The application role may read and write every table, but may only read and append to the
 * audit table (and seal its entries: set their chain position and hashes, once). Re-applied after every migration so new tables are covered.
 */
const GRANTS = `
DO $$ BEGIN
  CREATE ROLE tiaki_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
  EXECUTE format('GRANT tiaki_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;
GRANT USAGE ON SCHEMA public TO tiaki_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tiaki_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tiaki_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM tiaki_app;
DO $$ BEGIN
  -- The sealer fills in an entry's place in the chain, once (the trigger refuses anything else).
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'audit_event' AND column_name = 'seq') THEN
    GRANT UPDATE (seq, prev_hash, hash) ON audit_event TO tiaki_app;
  END IF;
END $$;
REVOKE ALL ON schema_migration FROM tiaki_app;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tiaki_stats') THEN
    -- Statistics run as tiaki_stats (SET LOCAL ROLE from the app role): fact views only.
    GRANT tiaki_stats TO tiaki_app;
    GRANT USAGE ON SCHEMA public TO tiaki_stats;
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM tiaki_stats;
    GRANT SELECT ON fact_referral, fact_decision, fact_service_referral, fact_unmet_need, fact_case TO tiaki_stats;
    IF to_regclass('fact_charge') IS NOT NULL THEN GRANT SELECT ON fact_charge TO tiaki_stats; END IF;
  END IF;
END $$;
`;

/** Applies every migration not yet applied, each in its own transaction, as the owner. */
export async function migrate(owner: OwnerConnection): Promise<MigrationReport> {
  await owner.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = new Map(
    (
      await owner.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migration')
    ).map((row) => [row.name, row.checksum]),
  );
  const applied: string[] = [];
  for (const migration of readMigrations()) {
    const checksum = done.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was changed after it was applied. Add a new migration instead.`,
        );
      }
      continue;
    }
    await owner.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
    });
    applied.push(migration.name);
  }
  await owner.exec(GRANTS);
  return { applied, alreadyApplied: done.size };
}
