import type { AppContext } from '../../context.ts';
import type { OwnerConnection } from '../../db/database.ts';
import { verifyAuditChain, type ChainVerification } from '../audit/index.ts';
import type { Manifest, SequenceState } from './backup.ts';
import {
  ident,
  MIGRATIONS_TABLE,
  readCatalog,
  TEXT_SETTINGS,
  type Catalog,
  type TableInfo,
} from './catalog.ts';
import { BackupError, fingerprintsOf, readBackupLines } from './format.ts';

type Section =
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'update'; table: string; key: string[]; columns: string[] };

interface Handlers {
  manifest?(manifest: Manifest): Promise<void> | void;
  start?(section: Section): Promise<void> | void;
  /** One row: the line as written (a JSON array of text or null). */
  row?(line: string): Promise<void> | void;
  end?(section: Section): Promise<void> | void;
  sequences?(sequences: SequenceState[]): Promise<void> | void;
}

export interface BackupContents {
  manifest: Manifest;
  tables: Record<string, number>;
  sequences: number;
}

const broken = (what: string) =>
  new BackupError(`The backup's content is not what Tiaki writes (${what}). Nothing was restored.`);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Reads a whole backup, checking its structure as it goes: the manifest first, every table once
 * in the manifest's order, every row as wide as its header, every section's count, the summary
 * last. The handlers see each part as it is read.
 */
async function readBackup(
  file: string,
  passphrase: string,
  handlers: Handlers,
  derived: Map<string, Buffer>,
): Promise<BackupContents> {
  const state: {
    manifest: Manifest | null;
    section: (Section & { rows: number; width: number }) | null;
    nextTable: number;
    sequences: number;
    summary: Record<string, unknown> | null;
  } = { manifest: null, section: null, nextTable: 0, sequences: -1, summary: null };
  const tables: Record<string, number> = {};
  await readBackupLines(
    file,
    passphrase,
    async (text) => {
      if (state.summary) throw broken('data after the summary');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw broken('a line is not JSON');
      }
      const manifest = state.manifest;
      if (!manifest) {
        if (!isObject(value) || value.tiakiBackup !== 1 || !isStrings(value.tables))
          throw broken('no manifest at the start');
        state.manifest = value as unknown as Manifest;
        await handlers.manifest?.(state.manifest);
        return;
      }
      const section = state.section;
      if (section) {
        if (Array.isArray(value)) {
          if (value.length !== section.width || !value.every((v) => v === null || typeof v === 'string'))
            throw broken(`a row of ${section.table} does not match its columns`);
          section.rows++;
          await handlers.row?.(text);
          return;
        }
        if (!isObject(value) || value.end !== section.table) throw broken(`${section.table} is not closed`);
        if (value.rows !== section.rows)
          throw broken(`${section.table} should have ${String(value.rows)} rows`);
        if (section.kind === 'table') tables[section.table] = section.rows;
        state.section = null;
        await handlers.end?.(section);
        return;
      }
      if (!isObject(value)) throw broken('a row outside any table');
      const allTablesRead = state.nextTable === manifest.tables.length;
      let opened: Section & { rows: number; width: number };
      if (typeof value.table === 'string') {
        if (value.table !== manifest.tables[state.nextTable] || !isStrings(value.columns))
          throw broken(`table ${value.table} out of order`);
        state.nextTable++;
        opened = {
          kind: 'table',
          table: value.table,
          columns: value.columns,
          rows: 0,
          width: value.columns.length,
        };
      } else if (typeof value.update === 'string') {
        if (!allTablesRead || state.sequences >= 0 || !isStrings(value.key) || !isStrings(value.columns))
          throw broken(`update of ${value.update} out of order`);
        opened = {
          kind: 'update',
          table: value.update,
          key: value.key,
          columns: value.columns,
          rows: 0,
          width: value.key.length + value.columns.length,
        };
      } else if (Array.isArray(value.sequences)) {
        if (!allTablesRead || state.sequences >= 0) throw broken('sequences out of order');
        state.sequences = value.sequences.length;
        await handlers.sequences?.(value.sequences as SequenceState[]);
        return;
      } else if (isObject(value.summary)) {
        if (state.sequences < 0) throw broken('summary out of order');
        state.summary = value.summary;
        return;
      } else {
        throw broken('an unknown line');
      }
      state.section = opened;
      await handlers.start?.(opened);
    },
    derived,
  );
  const { manifest, summary } = state;
  if (!manifest || !summary) throw broken('it ends early');
  const expected = summary.tables;
  for (const name of manifest.tables) {
    if (!isObject(expected) || expected[name] !== tables[name])
      throw broken(`the summary does not match the rows of ${name}`);
  }
  return { manifest, tables, sequences: state.sequences };
}

async function tablesWithRows(owner: OwnerConnection, catalog: Catalog): Promise<string[]> {
  const found: string[] = [];
  for (const name of catalog.tables.keys()) {
    if (name === MIGRATIONS_TABLE) continue;
    const [row] = await owner.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${ident(name)}) AS found`,
    );
    if (row?.found) found.push(name);
  }
  return found;
}

function refuseNonEmpty(tables: string[]): void {
  if (tables.length === 0) return;
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '');
  throw new BackupError(
    `The database is not empty (${shown} already have rows). Restore only into a new, empty database: ` +
      'a fresh DATA_DIR, or a newly created PostgreSQL database in DATABASE_URL. Nothing was restored.',
  );
}

/** The keys here must be the keys that encrypted the backup's values and built its blind indexes. */
function checkKeys(manifest: Manifest, keys: Pick<AppContext['config'], 'encryptionKeys' | 'blindIndexKey'>) {
  const mine = fingerprintsOf(keys);
  const problems: string[] = [];
  for (const [id, count] of Object.entries(manifest.encryptedValues)) {
    const theirs = manifest.keys.encryption.find((k) => k.id === id);
    const ours = mine.encryption.find((k) => k.id === id);
    if (!ours) problems.push(`key "${id}" (${count} values in the backup) is not in TIAKI_KEYS`);
    else if (theirs?.fingerprint !== ours.fingerprint)
      problems.push(`key "${id}" in TIAKI_KEYS is a different key from the backup's "${id}"`);
  }
  if (mine.blindIndex !== manifest.keys.blindIndex)
    problems.push("TIAKI_BLIND_INDEX_KEY is not the backup installation's blind-index key");
  if (problems.length > 0)
    throw new BackupError(
      `This installation's keys cannot read the backup: ${problems.join('; ')}. Set TIAKI_KEYS and ` +
        "TIAKI_BLIND_INDEX_KEY to the original installation's keys (in development, copy its " +
        'DATA_DIR/secrets.json) and try again. Nothing was restored.',
    );
}

/** The backup must come from the same schema: same migrations, same tables, same columns. */
async function checkSchema(owner: OwnerConnection, manifest: Manifest, catalog: Catalog): Promise<void> {
  const here = await owner.query<{ name: string; checksum: string }>(
    `SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`,
  );
  const theirs = new Map(manifest.migrations.map((m) => [m.name, m.checksum]));
  const ours = new Map(here.map((m) => [m.name, m.checksum]));
  const newer = manifest.migrations.filter((m) => !ours.has(m.name)).map((m) => m.name);
  const older = here.filter((m) => !theirs.has(m.name)).map((m) => m.name);
  const changed = here
    .filter((m) => theirs.has(m.name) && theirs.get(m.name) !== m.checksum)
    .map((m) => m.name);
  if (newer.length > 0)
    throw new BackupError(
      `The backup was made by a newer version of Tiaki (it has migration ${newer.join(', ')}, which this version does not). Restore it with that version. Nothing was restored.`,
    );
  if (older.length > 0)
    throw new BackupError(
      `The backup was made by an older version of Tiaki (this version also has migration ${older.join(', ')}). ` +
        'Restore it with the version that made it, then start the newer version to migrate. Nothing was restored.',
    );
  if (changed.length > 0)
    throw new BackupError(
      `Migration ${changed.join(', ')} differs between the backup and this version. Nothing was restored.`,
    );
  const missing = [...catalog.tables.keys()].filter((t) => !manifest.tables.includes(t));
  const unknown = manifest.tables.filter((t) => !catalog.tables.has(t));
  if (missing.length > 0 || unknown.length > 0)
    throw new BackupError(
      `The backup's tables do not match this database (${[...missing, ...unknown].join(', ')}). Nothing was restored.`,
    );
}

function checkColumns(table: TableInfo, columns: string[]): void {
  const ours = table.columns.map((c) => c.name).sort();
  const theirs = [...columns].sort();
  if (ours.length !== theirs.length || ours.some((c, i) => c !== theirs[i]))
    throw new BackupError(
      `The backup's columns of ${table.name} do not match this database (${theirs.join(', ')} vs ${ours.join(', ')}). Nothing was restored.`,
    );
}

function typeOf(table: TableInfo, column: string): string {
  const found = table.columns.find((c) => c.name === column);
  if (!found) throw new BackupError(`Column ${table.name}.${column} is not in this database.`);
  return found.type;
}

/** INSERT or UPDATE a batch of rows passed as one JSON array of arrays of text. */
function statementFor(section: Section, table: TableInfo): string {
  const at = (i: number, column: string) => `(e.r->>${i})::${typeOf(table, column)}`;
  const source = 'json_array_elements($1::text::json) AS e(r)';
  if (section.kind === 'table') {
    const overriding = table.columns.some((c) => c.identityAlways) ? ' OVERRIDING SYSTEM VALUE' : '';
    return (
      `INSERT INTO ${ident(table.name)} (${section.columns.map(ident).join(', ')})${overriding} ` +
      `SELECT ${section.columns.map((c, i) => at(i, c)).join(', ')} FROM ${source}`
    );
  }
  const width = section.key.length;
  return (
    `UPDATE ${ident(table.name)} AS t SET ${section.columns.map((c, i) => `${ident(c)} = ${at(width + i, c)}`).join(', ')} ` +
    `FROM ${source} WHERE ${section.key.map((k, i) => `t.${ident(k)} = ${at(i, k)}`).join(' AND ')}`
  );
}

export interface RestoreReport {
  file: string;
  createdAt: string;
  sourceDriver: string;
  /** Rows per table, as found in the database after the restore (or in the file, when checking). */
  tables: Record<string, number>;
  rows: number;
  auditEntries: number;
  sequences: number;
  /** null when only checking. */
  chain: ChainVerification | null;
  milliseconds: number;
  checkedOnly: boolean;
}

const BATCH_BYTES = 1024 * 1024;
const BATCH_ROWS = 2000;

/**
 * Restores a backup into this installation's database (see docs/operations.md). First the whole
 * file is read and checked (passphrase, integrity, schema version, keys) without touching the
 * database; then, in one transaction with every table locked, the database must be empty and
 * every row goes in; then the row counts are compared and the audit chain verified.
 * With `check`, stops after reading and checking: nothing is written, and the database may hold data.
 */
export async function restoreBackup(
  ctx: Pick<AppContext, 'database' | 'config' | 'db'>,
  file: string,
  passphrase: string,
  options: { check?: boolean } = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const owner = ctx.database.owner;
  const catalog = await readCatalog(owner);
  if (!options.check) refuseNonEmpty(await tablesWithRows(owner, catalog));

  // Read twice (check, then restore); the key is derived once.
  const derived = new Map<string, Buffer>();
  const contents = await readBackup(
    file,
    passphrase,
    {
      manifest: async (manifest) => {
        // Checked on the first line, so a wrong installation is told at once.
        checkKeys(manifest, ctx.config);
        await checkSchema(owner, manifest, catalog);
      },
      start: (section) => {
        const table = catalog.tables.get(section.table);
        if (!table) throw new BackupError(`Table ${section.table} is not in this database.`);
        if (section.kind === 'table') checkColumns(table, section.columns);
        else for (const c of [...section.key, ...section.columns]) typeOf(table, c);
      },
    },
    derived,
  );
  const report = (tables: Record<string, number>, chain: ChainVerification | null): RestoreReport => ({
    file,
    createdAt: contents.manifest.createdAt,
    sourceDriver: contents.manifest.source.driver,
    tables,
    rows: Object.values(tables).reduce((a, b) => a + b, 0),
    auditEntries: tables.audit_event ?? 0,
    sequences: contents.sequences,
    chain,
    milliseconds: Math.round(performance.now() - started),
    checkedOnly: Boolean(options.check),
  });
  if (options.check) return report(contents.tables, null);

  const restored = await owner.transaction(async (tx) => {
    for (const setting of TEXT_SETTINGS) await tx.exec(setting);
    await tx.exec("SET LOCAL lock_timeout = '10s'");
    try {
      await tx.exec(
        `LOCK TABLE ${[...catalog.tables.keys()].map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`,
      );
    } catch {
      throw new BackupError(
        'The database is in use. Stop every Tiaki server using it, then restore. Nothing was restored.',
      );
    }
    refuseNonEmpty(await tablesWithRows(tx, catalog));
    await tx.exec(`DELETE FROM ${MIGRATIONS_TABLE}`);

    let statement = '';
    let batch: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.query(statement, [`[${batch.join(',')}]`]);
      batch = [];
      bytes = 0;
    };
    await readBackup(
      file,
      passphrase,
      {
        start: (section) => {
          statement = statementFor(section, catalog.tables.get(section.table) as TableInfo);
        },
        row: async (line) => {
          batch.push(line);
          bytes += line.length;
          if (bytes >= BATCH_BYTES || batch.length >= BATCH_ROWS) await flush();
        },
        end: flush,
        sequences: async (sequences) => {
          for (const s of sequences) {
            if (!catalog.sequences.includes(s.name))
              throw new BackupError(`Sequence ${s.name} is not in this database.`);
            await tx.query('SELECT setval($1::text::regclass, $2::text::bigint, $3::text::boolean)', [
              ident(s.name),
              s.lastValue,
              String(s.isCalled),
            ]);
          }
        },
      },
      derived,
    );

    const counts: Record<string, number> = {};
    for (const name of contents.manifest.tables) {
      const [row] = await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${ident(name)}`);
      counts[name] = Number(row?.n ?? -1);
      if (counts[name] !== contents.tables[name])
        throw new BackupError(
          `After restoring, ${name} has ${counts[name]} rows where the backup has ${contents.tables[name]}. Nothing was restored.`,
        );
    }
    return counts;
  });
  return report(restored, await verifyAuditChain(ctx.db));
}

export function formatRestoreReport(report: RestoreReport): string {
  const lines = [
    report.checkedOnly
      ? `Checked ${report.file}: intact, made ${report.createdAt} on ${report.sourceDriver}; it holds ${report.rows} rows. This installation's keys and schema can restore it. Nothing was written.`
      : `Restored ${report.rows} rows into ${Object.keys(report.tables).length} tables and ${report.sequences} sequences from ${report.file} (made ${report.createdAt} on ${report.sourceDriver}) in ${(report.milliseconds / 1000).toFixed(1)} s.`,
  ];
  for (const [table, rows] of Object.entries(report.tables))
    if (rows > 0) lines.push(`  ${table.padEnd(24)} ${rows}`);
  const empty = Object.values(report.tables).filter((n) => n === 0).length;
  if (empty > 0) lines.push(`  (${empty} tables empty)`);
  if (report.chain)
    lines.push(
      report.chain.ok
        ? `Audit chain: OK, ${report.chain.checked} entries verified.`
        : `Audit chain: BROKEN at entry ${report.chain.firstBrokenId}: ${report.chain.reason}. The backup holds the chain as it was; investigate before use.`,
    );
  return lines.join('\n');
}
