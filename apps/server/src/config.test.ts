import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'tiaki-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('has sensible development defaults and generates keys into DATA_DIR, readable by the owner only', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({ env: 'development', port: 8080, demoMode: true, secureCookies: false });
    expect(config.encryptionKeys[0]?.key).toHaveLength(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    // Same keys on the next start: data encrypted yesterday stays readable.
    expect(loadConfig({ DATA_DIR: dir }).encryptionKeys[0]?.key.equals(config.encryptionKeys[0]!.key)).toBe(
      true,
    );
  });

  it('warms statistics every minute by default on PostgreSQL with a statistics worker, and as told otherwise', () => {
    const warm = (env: Record<string, string>) =>
      loadConfig({ DATA_DIR: dataDir(), ...env }).statsWarmSeconds;
    const postgres = { DATABASE_URL: 'postgres://tiaki@127.0.0.1:5432/tiaki' };
    expect(warm(postgres)).toBe(60);
    // Releases protected in the main thread: warming would hold requests up, so off unless asked.
    expect(warm({ ...postgres, STATS_THREADS: '0' })).toBe(0);
    expect(warm({ ...postgres, STATS_THREADS: '0', STATS_WARM_SECONDS: '60' })).toBe(60);
    expect(warm({})).toBe(0);
    expect(warm({ ...postgres, STATS_WARM_SECONDS: '0' })).toBe(0);
    expect(warm({ STATS_WARM_SECONDS: '15' })).toBe(15);
  });

  it('protects statistics releases in one worker thread on two cores unless told otherwise', () => {
    const threads = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir(), ...env }).statsThreads;
    expect(threads({})).toBe(availableParallelism() <= 2 ? 1 : 2);
    expect(threads({ STATS_THREADS: '0' })).toBe(0);
    expect(threads({ STATS_THREADS: '3' })).toBe(3);
    expect(problemsOf({ DATA_DIR: dataDir(), STATS_THREADS: 'many' })).toEqual([
      'STATS_THREADS expects a whole number from 0 to 16 (got "many")',
    ]);
  });

  it('names the variable and what it expects when a value is bad', () => {
    expect(problemsOf({ DATA_DIR: dataDir(), PORT: 'eighty' })).toEqual([
      'PORT expects a whole number from 1 to 65535 (got "eighty")',
    ]);
    expect(problemsOf({ DATA_DIR: dataDir(), DATABASE_URL: 'mysql://x' })[0]).toMatch(
      /^DATABASE_URL expects a postgres:\/\//,
    );
    expect(problemsOf({ DATA_DIR: dataDir(), TIAKI_KEYS: 'k1:short' })[0]).toMatch(/^TIAKI_KEYS expects/);
    expect(problemsOf({ DATA_DIR: dataDir(), TIAKI_DEMO: 'maybe' })[0]).toMatch(
      /^TIAKI_DEMO expects true or false/,
    );
  });

  it('trusts X-Forwarded-For only from the proxies named in TRUST_PROXY, and refuses "true"', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(problemsOf({ DATA_DIR: dataDir(), TRUST_PROXY: 'true' })[0]).toMatch(
      /^TRUST_PROXY must not be true: that trusts every X-Forwarded-For entry/,
    );
    for (const bad of ['10.0.0.0/33', 'proxy.example.nz', '99', '10.0.0.1/8/1'])
      expect(problemsOf({ DATA_DIR: dataDir(), TRUST_PROXY: bad })[0]).toMatch(
        /^TRUST_PROXY expects false, a number/,
      );
  });

  it('has no production default for any secret, and refuses demo mode in production', () => {
    const problems = problemsOf({ TIAKI_ENV: 'production', DATA_DIR: dataDir(), TIAKI_DEMO: 'true' });
    expect(problems.join('\n')).toMatch(/TIAKI_KEYS is required in production/);
    expect(problems.join('\n')).toMatch(/TIAKI_BLIND_INDEX_KEY is required in production/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL is required in production/);
    expect(problems.join('\n')).toMatch(/TIAKI_DEMO must be false in production/);
    expect(problems.join('\n')).toMatch(/TIAKI_STATS_SECRET is required in production/);
    const fakeToday = problemsOf({ TIAKI_ENV: 'production', DATA_DIR: dataDir(), TIAKI_TODAY: '2026-07-03' });
    expect(fakeToday.join('\n')).toMatch(/TIAKI_TODAY must not be set in production/);
  });

  it('uses Secure cookies and HSTS behind an https public address', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({
      TIAKI_ENV: 'production',
      DATA_DIR: dataDir(),
      TIAKI_KEYS: `k2:${key},k1:${key}`,
      TIAKI_BLIND_INDEX_KEY: key,
      PUBLIC_URL: 'https://tiaki.example.nz',
      TIAKI_STATS_SECRET: 'a-release-secret-of-at-least-32-characters',
    });
    expect(config.secureCookies).toBe(true);
    expect(config.demoMode).toBe(false);
    expect(config.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('checks the retention periods at start-up, naming each bad variable', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), RETENTION_DRAFT_DAYS: '14' });
    expect(config.retention).toMatchObject({ referral_drafts: 14, closed_cases: 2557, sessions: 7 });
    expect(loadConfig({ DATA_DIR: dataDir(), RETENTION_EXTRACT_DAYS: '0' }).retention.extract_files).toBe(0);
    for (const bad of ['seven years', '30.5', '-1', '1e3', '36526', '99999999999999999999']) {
      expect(problemsOf({ DATA_DIR: dataDir(), RETENTION_CLOSED_CASE_DAYS: bad })).toEqual([
        `RETENTION_CLOSED_CASE_DAYS expects a whole number of days from 0 to 36525 (got "${bad}")`,
      ]);
    }
    // Reported with the other problems, all at once.
    expect(
      problemsOf({
        DATA_DIR: dataDir(),
        PORT: 'eighty',
        RETENTION_SESSION_DAYS: 'week',
        RETENTION_DRAFT_DAYS: '-3',
      }),
    ).toEqual([
      'PORT expects a whole number from 1 to 65535 (got "eighty")',
      'RETENTION_DRAFT_DAYS expects a whole number of days from 0 to 36525 (got "-3")',
      'RETENTION_SESSION_DAYS expects a whole number of days from 0 to 36525 (got "week")',
    ]);
  });

  it('runs the daily retention purge only when RETENTION_AUTO_PURGE is on', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).retentionAutoPurge).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), RETENTION_AUTO_PURGE: 'on' }).retentionAutoPurge).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), RETENTION_AUTO_PURGE: 'off' }).retentionAutoPurge).toBe(false);
    expect(problemsOf({ DATA_DIR: dataDir(), RETENTION_AUTO_PURGE: 'daily' })).toEqual([
      'RETENTION_AUTO_PURGE expects on or off (got "daily")',
    ]);
  });
});
