import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGzip, gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { CaseDetail, ReferralDetail } from '@tiaki/domain';
import {
  buildTestApp,
  Client,
  createPostgresDatabase,
  createTestContext,
  DRIVERS,
  TEST_ACTOR,
  testEnv,
  type TestContext,
} from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';
import { migratedDataDir } from '../../../test/processes.ts';
import { ENCRYPTED_COLUMNS } from '../../security/rotation.ts';
import { sealAudit } from '../audit/sealer.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { importReferrals } from '../imports/service.ts';
import { createBackup, type BackupReport } from './backup.ts';
import { MIGRATIONS_TABLE, readCatalog, TEXT_SETTINGS } from './catalog.ts';
import { createEncryptor, MAGIC, readBackupLines } from './format.ts';
import { restoreBackup } from './restore.ts';

const PASSPHRASE = 'synthetic backup passphrase for tests only';
const BIN = fileURLToPath(new URL('../../../bin/tiaki.mjs', import.meta.url));
const run = promisify(execFile);

/** Every row of every table as PostgreSQL prints it, sorted: two databases with equal snapshots hold the same data. */
async function snapshot(ctx: TestContext): Promise<Record<string, string[]>> {
  return ctx.database.owner.transaction(async (tx) => {
    for (const setting of TEXT_SETTINGS) await tx.exec(setting);
    const catalog = await readCatalog(tx);
    const tables: Record<string, string[]> = {};
    for (const [name, table] of catalog.tables) {
      const columns = table.columns.map((c) => `"${c.name}"::text`).join(', ');
      const rows = await tx.query<{ r: string }>(
        `SELECT to_json(ARRAY[${columns}])::text AS r FROM "${name}"`,
      );
      tables[name] = rows.map((row) => row.r).sort();
    }
    const sequences = await tx.query<{ s: string }>(
      `SELECT sequencename || '=' || coalesce(last_value::text, 'unused') AS s FROM pg_sequences
        WHERE schemaname = 'public' ORDER BY 1`,
    );
    tables['(sequences)'] = sequences.map((s) => s.s);
    return tables;
  });
}

/** Rows outside the migrations table: 0 for an empty installation. */
async function dataRows(ctx: TestContext): Promise<number> {
  const tables = await snapshot(ctx);
  return Object.entries(tables)
    .filter(([name]) => name !== MIGRATIONS_TABLE && name !== '(sequences)')
    .reduce((n, [, rows]) => n + rows.length, 0);
}

async function rewrite(file: string, out: string, change: (lines: string[]) => void): Promise<void> {
  const lines: string[] = [];
  await readBackupLines(file, PASSPHRASE, (line) => {
    lines.push(line);
  });
  change(lines);
  await pipeline(
    Readable.from([`${lines.join('\n')}\n`]),
    createGzip(),
    await createEncryptor(PASSPHRASE, { scryptN: 2 ** 14 }),
    createWriteStream(out),
  );
}

describe.each(DRIVERS)('backup and restore on %s', (driver) => {
  let source: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let file: string;
  let backup: BackupReport;
  let before: Record<string, string[]>;
  let namedReferralId: string;
  const dir = mkdtempSync(join(tmpdir(), 'tiaki-backup-'));
  const opened: TestContext[] = [];
  const apps: FastifyInstance[] = [];

  /** A new, empty installation; by default with the source's keys, as on a rebuilt machine. */
  async function emptyInstallation(keys: Record<string, string> = source.env): Promise<TestContext> {
    const ctx = await createTestContext(driver, {
      TIAKI_KEYS: keys.TIAKI_KEYS ?? '',
      TIAKI_BLIND_INDEX_KEY: keys.TIAKI_BLIND_INDEX_KEY ?? '',
    });
    opened.push(ctx);
    return ctx;
  }

  beforeAll(async () => {
    source = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(source);
    world = new CaseWorld(source, app);

    // Cases with decisions: a positive one (which opens the conclusive-grounds decision), and a
    // negative one under reconsideration (a decision that refers to another decision).
    const decideBody = (outcome: 'positive' | 'negative', version: number) => ({
      outcome,
      rationale: 'Synthetic rationale for a backup test.',
      evidence: 'Police file P0000001.',
      version,
    });
    const dm = await world.decisionMaker();
    const caseworker = await world.caseworker();
    const pendingOf = async (caseId: string) => {
      const detail = (await dm.client.get(`/api/cases/${caseId}`)).json<CaseDetail>();
      return detail.decisions.find((d) => d.status === 'pending')!;
    };
    const first = await world.openCase();
    const rg1 = await pendingOf(first.caseId);
    expect(
      (await dm.client.post(`/api/decisions/${rg1.id}/decide`, decideBody('positive', rg1.version)))
        .statusCode,
    ).toBe(200);
    const second = await world.openCase({}, { givenNames: 'Aroha', familyName: 'Backup-Testchild' });
    namedReferralId = second.referralId;
    const rg2 = await pendingOf(second.caseId);
    await dm.client.post(`/api/decisions/${rg2.id}/decide`, decideBody('negative', rg2.version));
    expect(
      (
        await caseworker.client.post(`/api/decisions/${rg2.id}/reconsideration`, {
          grounds: 'Synthetic new information from the school.',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await caseworker.client.post(`/api/cases/${first.caseId}/notes`, { body: 'Synthetic case note.' }))
        .statusCode,
    ).toBe(201);
    // A bulk import: a few hundred referrals with identities, each one audited with the batch.
    const police = await world.organisation('police', 'police');
    const jsonl = join(dir, 'import.jsonl');
    writeFileSync(
      jsonl,
      Array.from({ length: 300 }, (_, i) =>
        JSON.stringify({
          sourceId: `B${i}`,
          ...validReferral({}, { givenNames: `Synthetic${i}`, familyName: 'Importchild' }),
        }),
      ).join('\n'),
    );
    const imported = await importReferrals(
      source,
      TEST_ACTOR,
      { organisationId: police, userId: null, apiKeyId: null },
      jsonl,
      'jsonl',
      { mode: 'all-or-nothing' },
    );
    expect(imported.imported).toBe(300);

    // The running servers' sealer would have linked these into the chain by now.
    await sealAudit(source.db, { wait: true });
    before = await snapshot(source);
    file = join(dir, 'source.tiaki');
    backup = await createBackup(source, file, PASSPHRASE);
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const ctx of opened) await ctx.close();
    await app.close();
    await source.close();
  });

  it('writes every table to one encrypted file', () => {
    const rows = Object.entries(before)
      .filter(([name]) => name !== '(sequences)')
      .reduce((n, [, r]) => n + r.length, 0);
    expect(backup.rows).toBe(rows);
    expect(backup.auditEntries).toBe(before.audit_event!.length);
    expect(backup.auditEntries).toBeGreaterThan(300);
    expect(Object.keys(backup.tables).sort()).toEqual(
      Object.keys(before)
        .filter((n) => n !== '(sequences)')
        .sort(),
    );
    expect(backup.encryptedValues[source.config.encryptionKeys[0]!.id]).toBeGreaterThan(600);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
    // Not a readable gzip, and no identifying or account data in the clear.
    expect(() => gunzipSync(bytes)).toThrow();
    expect(bytes.includes(Buffer.from('@example.test'))).toBe(false);
    expect(bytes.includes(Buffer.from('Importchild'))).toBe(false);
    console.log(
      `[backup ${driver}] ${backup.rows} rows, ${backup.auditEntries} audit entries, ${(backup.bytes / 1024).toFixed(1)} KiB, ${backup.milliseconds} ms`,
    );
  });

  it('restores into an empty installation with the same keys: every row, audit entry and sequence, still decryptable, chain intact', async () => {
    const target = await emptyInstallation();
    const report = await restoreBackup(target, file, PASSPHRASE);
    console.log(`[restore ${driver}] ${report.rows} rows in ${report.milliseconds} ms`);
    expect(report.rows).toBe(backup.rows);
    expect(report.chain).toEqual({
      ok: true,
      checked: before.audit_event!.length,
      firstBrokenId: null,
      reason: null,
      unsealed: 0,
      oldestUnsealedSeconds: null,
      checkpoint: null,
    });
    const restored = await snapshot(target);
    for (const table of Object.keys(before)) expect(restored[table], table).toEqual(before[table]);
    expect(Object.keys(restored).sort()).toEqual(Object.keys(before).sort());

    // The installation's keys still open every encrypted value where it now lies.
    let decrypted = 0;
    for (const { table, column, context } of ENCRYPTED_COLUMNS) {
      const rows = await target.database.owner.query<{ id: string; value: string }>(
        `SELECT id::text AS id, "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL`,
      );
      for (const row of rows) {
        target.keyring.decrypt(row.value, context(row.id));
        decrypted++;
      }
    }
    expect(decrypted).toBe(backup.encryptedValues[source.config.encryptionKeys[0]!.id]);

    // The restored installation works: a session from before the backup reads the child's name
    // through the service (audited), and a new referral takes the next number.
    const targetApp = await buildTestApp(target);
    apps.push(targetApp);
    const frontline = await world.frontline();
    const client = new Client(targetApp);
    client.cookie = frontline.client.cookie;
    client.csrfToken = frontline.client.csrfToken;
    const read = await client.get(`/api/referrals/${namedReferralId}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<ReferralDetail>().data.child).toMatchObject({
      givenNames: 'Aroha',
      familyName: 'Backup-Testchild',
    });
    const submitted = await client.post('/api/referrals', validReferral());
    expect(submitted.statusCode).toBe(201);
    const numbers = await target.db.selectFrom('referral').select('reference').execute();
    expect(new Set(numbers.map((n) => n.reference)).size).toBe(numbers.length);
    const after = await verifyAuditChain(target.db);
    expect(after).toMatchObject({ ok: true, checked: before.audit_event!.length + 2 });
  });

  /** One empty installation for the refusals below: each must leave it empty. */
  let untouched: TestContext | undefined;
  const emptyTarget = async () => (untouched ??= await emptyInstallation());

  it('refuses a wrong passphrase and writes nothing', async () => {
    const target = await emptyTarget();
    const migrations = (await snapshot(target))[MIGRATIONS_TABLE];
    await expect(restoreBackup(target, file, 'not the passphrase, but long')).rejects.toThrow(
      /Wrong passphrase/,
    );
    expect(await dataRows(target)).toBe(0);
    expect((await snapshot(target))[MIGRATIONS_TABLE]).toEqual(migrations);
  });

  it('refuses a changed, cut-off or lengthened file and writes nothing', async () => {
    const target = await emptyTarget();
    const original = readFileSync(file);
    const variants: [string, Buffer, RegExp][] = [];
    const flipped = Buffer.from(original);
    flipped[Math.floor(original.length / 2)]! ^= 0x01;
    variants.push(['one bit changed', flipped, /damaged or was altered \(part \d+ failed authentication\)/]);
    const header = Buffer.from(original);
    header[MAGIC.length + 40]! ^= 0x01;
    variants.push(['header changed', header, /passphrase|header was altered|damaged/]);
    variants.push(['cut off', original.subarray(0, original.length - 10), /damaged or was altered/]);
    variants.push([
      'last part dropped',
      original.subarray(0, original.length - 200),
      /damaged or was altered/,
    ]);
    variants.push([
      'bytes appended',
      Buffer.concat([original, Buffer.from('extra')]),
      /damaged or was altered/,
    ]);
    variants.push(['not a backup', Buffer.from('hello'), /not a Tiaki backup|damaged/]);
    for (const [what, bytes, message] of variants) {
      const bad = join(dir, `bad-${what.replaceAll(' ', '-')}.tiaki`);
      writeFileSync(bad, bytes);
      await expect(restoreBackup(target, bad, PASSPHRASE), what).rejects.toThrow(message);
      expect(await dataRows(target), what).toBe(0);
    }
  });

  it('rolls back a restore that fails part-way: nothing is left behind', async () => {
    const target = await emptyTarget();
    const migrations = (await snapshot(target))[MIGRATIONS_TABLE];
    // A well-formed backup whose last referral points at an organisation that does not exist:
    // everything before it has been inserted when the database refuses it.
    const bad = join(dir, 'dangling.tiaki');
    await rewrite(file, bad, (lines) => {
      const start = lines.findIndex((l) => l.startsWith('{"table":"referral"'));
      const end = lines.findIndex((l) => l.startsWith('{"end":"referral"'));
      const columns = (JSON.parse(lines[start]!) as { columns: string[] }).columns;
      const row = JSON.parse(lines[end - 1]!) as (string | null)[];
      row[columns.indexOf('organisation_id')] = randomUUID();
      lines[end - 1] = JSON.stringify(row);
    });
    await expect(restoreBackup(target, bad, PASSPHRASE)).rejects.toThrow(/foreign key/);
    expect(await dataRows(target)).toBe(0);
    expect((await snapshot(target))[MIGRATIONS_TABLE]).toEqual(migrations);
    // And the same database then takes the good backup (it is no longer empty after this).
    expect(await restoreBackup(target, file, PASSPHRASE)).toMatchObject({ rows: backup.rows });
    untouched = undefined;
  });

  it('refuses to restore into a database that has data', async () => {
    await expect(restoreBackup(source, file, PASSPHRASE)).rejects.toThrow(
      /The database is not empty \(.*app_user.*\)\. Restore only into a new, empty database/,
    );
    expect(await snapshot(source)).toEqual(before);
  });

  it('refuses an installation whose keys cannot read the backup', async () => {
    const other = testEnv();
    const target = await emptyInstallation(other);
    await expect(restoreBackup(target, file, PASSPHRASE)).rejects.toThrow(
      /keys cannot read the backup: key "test1" .* is a different key.*TIAKI_BLIND_INDEX_KEY is not/,
    );
    const missing = await emptyInstallation({
      ...other,
      TIAKI_KEYS: other.TIAKI_KEYS!.replace('test1:', 'other:'),
    });
    await expect(restoreBackup(missing, file, PASSPHRASE)).rejects.toThrow(
      /key "test1" \(\d+ values in the backup\) is not in TIAKI_KEYS/,
    );
    expect(await dataRows(target)).toBe(0);
    // Checking reads everything and writes nothing, even where data already is.
    const checked = await restoreBackup(source, file, PASSPHRASE, { check: true });
    expect(checked).toMatchObject({ checkedOnly: true, rows: backup.rows, chain: null });
  });
});

// The commands only wire the functions above to the environment: once, on PostgreSQL when available.
describe.each(DRIVERS.slice(-1))('tiaki backup and restore commands on %s', (driver) => {
  it('backs up one installation and restores it on a fresh one with the same keys', async () => {
    const dropped: (() => Promise<void>)[] = [];
    const installation = async (keys?: Record<string, string>) => {
      const env = testEnv({
        TIAKI_BACKUP_PASSPHRASE: PASSPHRASE,
        ...(driver === 'pglite' ? { DATA_DIR: await migratedDataDir() } : {}),
      });
      if (keys)
        Object.assign(env, {
          TIAKI_KEYS: keys.TIAKI_KEYS,
          TIAKI_BLIND_INDEX_KEY: keys.TIAKI_BLIND_INDEX_KEY,
        });
      if (driver === 'postgres') {
        const created = await createPostgresDatabase();
        env.DATABASE_URL = created.url;
        dropped.push(created.drop);
      }
      return env;
    };
    const tiaki = async (args: string[], env: Record<string, string>) => {
      try {
        const { stdout, stderr } = await run('node', [BIN, ...args], {
          env: { PATH: process.env.PATH, ...env },
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    try {
      const a = await installation();
      expect(
        (await tiaki(['org', 'create', '--kind', 'ngo', '--name', 'Synthetic Backup Trust'], a)).code,
      ).toBe(0);
      const file = join(mkdtempSync(join(tmpdir(), 'tiaki-backup-cli-')), 'nightly.tiaki');
      const made = await tiaki(['backup', file], a);
      expect(made.stdout).toMatch(/Backed up \d+ rows from \d+ tables \(1 audit entries/);
      expect((await tiaki(['backup', file], a)).stderr).toContain('already exists');

      const b = await installation(a);
      expect((await tiaki(['restore', file], { ...b, TIAKI_BACKUP_PASSPHRASE: '' })).stderr).toContain(
        'Set TIAKI_BACKUP_PASSPHRASE',
      );
      const restored = await tiaki(['restore', file], b);
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(/organisation\s+1/);
      expect(restored.stdout).toContain('Audit chain: OK, 1 entries verified.');
      expect(restored.stdout).toContain(`from ${file}`);
    } finally {
      for (const drop of dropped) await drop();
    }
  });
});
