import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { AppContext } from '../../context.ts';
import type { OwnerConnection } from '../../db/database.ts';
import { ident, MIGRATIONS_TABLE, planOrder, readCatalog, TEXT_SETTINGS, type TableInfo } from './catalog.ts';
import { BackupError, createEncryptor, fingerprintsOf, type KeyFingerprints } from './format.ts';

/**
 * The first line of a backup's plaintext. Then, per table in restore order, a
 * {"table","columns"} line, one JSON array per row (every value as PostgreSQL's own text, or
 * null) and {"end","rows"}; then {"update","key","columns"} sections that fill in the foreign
 * keys deferred to break cycles; then {"sequences"}; last {"summary"}.
 */
export interface Manifest {
  tiakiBackup: 1;
  createdAt: string;
  source: { driver: 'pglite' | 'postgres'; server: string };
  migrations: { name: string; checksum: string }[];
  /** Fingerprints of the installation's keys (not the keys): a restore checks it has the same. */
  keys: KeyFingerprints;
  /** How many stored values each field-encryption key id encrypted. */
  encryptedValues: Record<string, number>;
  tables: string[];
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface BackupReport {
  file: string;
  bytes: number;
  milliseconds: number;
  tables: Record<string, number>;
  rows: number;
  auditEntries: number;
  encryptedValues: Record<string, number>;
  migrations: number;
}

const FETCH_ROWS = 1000;

/** Every stored value of a row, as text, in one JSON array (ARRAY[] has no argument limit). */
function rowExpression(columns: string[], asNull: readonly string[] = []): string {
  return `to_json(ARRAY[${columns.map((c) => (asNull.includes(c) ? 'NULL::text' : `${ident(c)}::text`)).join(', ')}])::text`;
}

function orderBy(table: TableInfo): string {
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  return key.map(ident).join(', ');
}

/** Streams one query's rows through a cursor, a batch of JSON lines at a time. */
async function* cursorLines(tx: OwnerConnection, query: string, count: (n: number) => void) {
  await tx.exec(`DECLARE tiaki_backup NO SCROLL CURSOR FOR ${query}`);
  for (;;) {
    const rows = await tx.query<{ r: string }>(`FETCH FORWARD ${FETCH_ROWS} FROM tiaki_backup`);
    if (rows.length === 0) break;
    count(rows.length);
    yield `${rows.map((row) => row.r).join('\n')}\n`;
  }
  await tx.exec('CLOSE tiaki_backup');
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Writes a logical, encrypted backup of every table (see docs/operations.md). It reads one
 * consistent snapshot (REPEATABLE READ, READ ONLY), so the server may keep running on
 * PostgreSQL. The file appears only when complete: it is written beside it and renamed.
 */
export async function createBackup(
  ctx: Pick<AppContext, 'database' | 'config'>,
  file: string,
  passphrase: string,
  options: { overwrite?: boolean; scryptN?: number } = {},
): Promise<BackupReport> {
  if (!options.overwrite && existsSync(file))
    throw new BackupError(`${file} already exists. Choose another name, or pass --force to replace it.`);
  const started = performance.now();
  const partial = `${file}.partial-${randomBytes(4).toString('hex')}`;
  const tables: Record<string, number> = {};
  let encryptedValues: Record<string, number> = {};
  let migrations = 0;
  const encryptor = await createEncryptor(passphrase, { scryptN: options.scryptN });
  try {
    await ctx.database.owner.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      for (const setting of TEXT_SETTINGS) await tx.exec(setting);
      const catalog = await readCatalog(tx);
      const plan = planOrder(catalog);
      const used: Record<string, number> = {};
      for (const table of catalog.tables.values()) {
        for (const column of table.columns) {
          if (!column.name.endsWith('_enc') || column.type !== 'text') continue;
          const counts = await tx.query<{ key_id: string; n: string | number }>(
            `SELECT split_part(${ident(column.name)}, '.', 2) AS key_id, count(*) AS n
               FROM ${ident(table.name)} WHERE ${ident(column.name)} IS NOT NULL GROUP BY 1`,
          );
          for (const c of counts) used[c.key_id] = (used[c.key_id] ?? 0) + Number(c.n);
        }
      }
      encryptedValues = used;
      const applied = await tx.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`,
      );
      migrations = applied.length;
      const server = await tx.query<{ version: string }>('SELECT version() AS version');
      const manifest: Manifest = {
        tiakiBackup: 1,
        createdAt: new Date().toISOString(),
        source: { driver: ctx.database.kind, server: server[0]?.version ?? '' },
        migrations: applied,
        keys: fingerprintsOf(ctx.config),
        encryptedValues: used,
        tables: plan.order,
      };

      async function* plaintext(): AsyncGenerator<string> {
        yield line(manifest);
        let total = 0;
        for (const name of plan.order) {
          const table = catalog.tables.get(name) as TableInfo;
          const columns = table.columns.map((c) => c.name);
          yield line({ table: name, columns });
          let rows = 0;
          yield* cursorLines(
            tx,
            `SELECT ${rowExpression(columns, plan.deferred.get(name))} AS r FROM ${ident(name)} ORDER BY ${orderBy(table)}`,
            (n) => (rows += n),
          );
          tables[name] = rows;
          total += rows;
          yield line({ end: name, rows });
        }
        for (const [name, deferred] of plan.deferred) {
          const table = catalog.tables.get(name) as TableInfo;
          yield line({ update: name, key: table.primaryKey, columns: deferred });
          let rows = 0;
          yield* cursorLines(
            tx,
            `SELECT ${rowExpression([...table.primaryKey, ...deferred])} AS r FROM ${ident(name)}
              WHERE ${deferred.map((c) => `${ident(c)} IS NOT NULL`).join(' OR ')} ORDER BY ${orderBy(table)}`,
            (n) => (rows += n),
          );
          yield line({ end: name, rows });
        }
        const sequences: SequenceState[] = [];
        for (const name of catalog.sequences) {
          const [state] = await tx.query<{ last_value: string; is_called: boolean }>(
            `SELECT last_value::text AS last_value, is_called FROM ${ident(name)}`,
          );
          if (state) sequences.push({ name, lastValue: state.last_value, isCalled: state.is_called });
        }
        yield line({ sequences });
        yield line({ summary: { tables, rows: total } });
      }

      await pipeline(
        Readable.from(plaintext()),
        createGzip({ level: 6 }),
        encryptor,
        createWriteStream(partial, { mode: 0o600 }),
      );
    });
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return {
    file,
    bytes: (await stat(file)).size,
    milliseconds: Math.round(performance.now() - started),
    tables,
    rows: Object.values(tables).reduce((a, b) => a + b, 0),
    auditEntries: tables.audit_event ?? 0,
    encryptedValues,
    migrations,
  };
}

export function formatBackupReport(report: BackupReport): string {
  const keys = Object.entries(report.encryptedValues)
    .map(([id, n]) => `${n} under key ${id}`)
    .join(', ');
  return [
    `Backed up ${report.rows} rows from ${Object.keys(report.tables).length} tables (${report.auditEntries} audit entries, ${report.migrations} migrations) to ${report.file}.`,
    `Size ${(report.bytes / 1024).toFixed(1)} KiB, ${(report.milliseconds / 1000).toFixed(1)} s. Encrypted with AES-256-GCM under a key derived from TIAKI_BACKUP_PASSPHRASE.`,
    `Field-encrypted values stay encrypted inside it${keys ? ` (${keys})` : ''}: a restore needs the same TIAKI_KEYS and TIAKI_BLIND_INDEX_KEY.`,
  ].join('\n');
}
