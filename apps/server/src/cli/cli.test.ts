import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../db/database.ts';
import { createPostgresDatabase, DRIVERS, testEnv } from '../../test/harness.ts';

const BIN = fileURLToPath(new URL('../../bin/tiaki.mjs', import.meta.url));
const run = promisify(execFile);

async function tiaki(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tiaki CLI', () => {
  it('prints help', async () => {
    const res = await tiaki(['--help'], {});
    expect(res.code).toBe(0);
    for (const command of ['serve', 'migrate', 'user', 'audit']) expect(res.stdout).toContain(command);
  });

  it('stops with a message naming a bad variable', async () => {
    const res = await tiaki(['migrate'], {
      PORT: 'abc',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tiaki-cli-')),
    });
    expect(res.code).toBe(78);
    expect(res.stderr).toContain('PORT expects a whole number from 1 to 65535 (got "abc")');
  });

  it('refuses an unknown role and lists the choices', async () => {
    const res = await tiaki(
      ['user', 'create', '--org', 'x', '--role', 'superuser', '--email', 'a@b.test'],
      testEnv(),
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Unknown role "superuser"');
    expect(res.stderr).toContain('administrator');
  });
});

// One database for the whole journey, each step its own test: a `tiaki` process takes 10-15 s
// to start on a busy machine, and seven of them in one test outran any sensible timeout.
describe.each(DRIVERS)('tiaki CLI on %s', (driver) => {
  const env = testEnv();
  let drop = async () => {};

  beforeAll(async () => {
    if (driver !== 'postgres') return;
    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    drop = created.drop;
  });
  afterAll(async () => {
    await drop();
  });

  it('migrates a new database, and a second time applies nothing', async () => {
    const migrated = await tiaki(['migrate'], env);
    const total = readdirSync(fileURLToPath(new URL('../../migrations/', import.meta.url))).filter((f) =>
      f.endsWith('.sql'),
    ).length;
    expect(migrated.stdout).toMatch(new RegExp(`Applied ${total} migration`));
    expect((await tiaki(['migrate'], env)).stdout).toMatch(
      new RegExp(`Applied 0 migration\\(s\\); ${total} already applied`),
    );
  });

  it('creates an organisation and a user with a one-time password', async () => {
    expect(
      (await tiaki(['org', 'create', '--kind', 'ngo', '--name', 'CLI Trust', '--region', '09'], env)).code,
    ).toBe(0);
    const created = await tiaki(
      [
        'user',
        'create',
        '--org',
        'CLI Trust',
        '--role',
        'frontline',
        '--role',
        'caseworker',
        '--email',
        'cli@example.test',
      ],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/One-time password \(shown once\): \S{4}-\S{4}-\S{4}-\S{4}/);
    expect(created.stdout).toContain('caseworker, frontline');
  });

  it('verifies the audit chain, and names a tampered entry', async () => {
    const ok = await tiaki(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^OK: 2 audit entries verified, chain intact \(2 sealed just now; nothing waits to be sealed\)/,
    );

    // The signed checkpoint of the head, written to DATA_DIR, is what an operator keeps elsewhere.
    const kept = join(mkdtempSync(join(tmpdir(), 'tiaki-kept-')), 'checkpoint.json');
    copyFileSync(join(env.DATA_DIR!, 'audit-checkpoint.json'), kept);
    const against = await tiaki(['audit', 'verify', '--checkpoint', kept], env);
    expect(against.code).toBe(0);
    expect(against.stdout).toMatch(/The chain reaches the checkpoint of .* \(entry 2\) unchanged/);
    const edited = join(tmpdir(), `tiaki-edited-${process.pid}.json`);
    writeFileSync(edited, readFileSync(kept, 'utf8').replace('"position": 2', '"position": 1'));
    const refused = await tiaki(['audit', 'verify', '--checkpoint', edited], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^CHECKPOINT REFUSED: .*was not signed with this installation's checkpoint key/,
    );

    // Change one byte of entry 2 directly in the database, as an attacker with database access would.
    const database = await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR,
    });
    await database.owner.exec('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    await database.owner.exec(
      `UPDATE audit_event SET details = jsonb_set(details, '{roles,0}', '"caseworkeR"') WHERE seq = 2`,
    );
    await database.owner.exec('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    await database.close();

    const broken = await tiaki(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN at entry 2: its content was changed/);
  });
});
