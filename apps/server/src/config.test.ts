import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
});
