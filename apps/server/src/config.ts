import { z } from 'zod';
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { readRetentionPolicy, type RetentionPolicy } from './modules/retention/policy.ts';
import { ConfigError } from './config-error.ts';
import { parseOidcProviders, type OidcProviderConfig } from './modules/auth/oidc-config.ts';

export { ConfigError };

/** The statistics warming job's look, in seconds, on PostgreSQL when STATS_WARM_SECONDS is not set. */
export const DEFAULT_STATS_WARM_SECONDS = 60;

const base64Key = /^[A-Za-z0-9+/]{43}=$/;

function wholeNumber(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return defaultValue;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expects a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

/**
 * Which proxies may tell us the client's address in X-Forwarded-For: `false` (none), a hop count
 * (the last N proxies in front of the server), or a comma-separated list of proxy addresses and
 * CIDR ranges. `true` is refused: it would trust every entry of the header, so any client could
 * choose the address that sign-in throttling counts against.
 */
export type TrustedProxies = false | number | string[];

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits >= 0 && bits <= (version === 4 ? 32 : 128);
}

const trustedProxies = z
  .string()
  .optional()
  .transform((v, ctx): TrustedProxies => {
    const value = (v ?? '').trim();
    if (['', 'false', 'no', '0'].includes(value)) return false;
    if (['true', 'yes'].includes(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must not be true: that trusts every X-Forwarded-For entry, so any client could pick its own address and escape sign-in throttling. Give the number of proxies in front of Tiaki (usually 1) or their addresses/CIDR ranges',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 10) return hops;
    } else {
      const entries = value.split(',').map((entry) => entry.trim());
      if (entries.every(isAddressOrRange)) return entries;
    }
    ctx.addIssue({
      code: 'custom',
      message:
        'expects false, a number of proxy hops from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges (10.0.0.5,10.1.0.0/16)',
    });
    return z.NEVER;
  });

const environmentSchema = z.object({
  TIAKI_ENV: z
    .enum(['development', 'production', 'test'], {
      message: 'expects development, production or test',
    })
    .default('development'),
  PORT: wholeNumber(8080, 1, 65535),
  HOST: z.string().min(1, 'expects a host name or address').default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'expects a folder path').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'expects a postgres:// connection URL')
    .optional(),
  // A streaming replica of DATABASE_URL that statistics and publications read from.
  STATS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'expects a postgres:// connection URL')
    .optional(),
  PUBLIC_URL: z.url({ message: 'expects an absolute URL such as https://tiaki.example.nz' }).optional(),
  TRUST_PROXY: trustedProxies,
  TIAKI_DEMO: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expects true or false' })
    .optional(),
  TIAKI_KEYS: z
    .string()
    .regex(
      /^[a-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[a-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/,
      'expects a comma-separated list of keyId:base64 entries, each key 32 bytes (openssl rand -base64 32); the first encrypts',
    )
    .optional(),
  TIAKI_BLIND_INDEX_KEY: z
    .string()
    .regex(base64Key, 'expects 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  TIAKI_AUDIT_CHECKPOINT_KEY: z
    .string()
    .regex(base64Key, 'expects 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1, 'expects a file path').optional(),
  SESSION_IDLE_MINUTES: wholeNumber(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: wholeNumber(12, 1, 24 * 7),
  SESSION_CACHE_SECONDS: wholeNumber(2, 0, 10),
  LOGIN_MAX_FAILURES: wholeNumber(5, 1, 100),
  LOGIN_LOCKOUT_MINUTES: wholeNumber(15, 1, 24 * 60),
  LOGIN_IP_LIMIT_PER_15_MINUTES: wholeNumber(50, 1, 100000),
  ARGON2_MEMORY_KIB: wholeNumber(19456, 8, 1024 * 1024),
  REASONABLE_GROUNDS_WORKING_DAYS: wholeNumber(5, 1, 60),
  RECOVERY_PERIOD_DAYS: wholeNumber(30, 0, 365),
  CONCLUSIVE_GROUNDS_WORKING_DAYS: wholeNumber(10, 1, 120),
  RECONSIDERATION_WINDOW_DAYS: wholeNumber(30, 1, 365),
  SERVICE_RESPONSE_WORKING_DAYS: wholeNumber(5, 1, 60),
  BREAK_GLASS_HOURS: wholeNumber(4, 1, 72),
  JOB_POLL_SECONDS: wholeNumber(5, 1, 3600),
  REMINDER_INTERVAL_MINUTES: wholeNumber(60, 1, 24 * 60),
  RETENTION_AUTO_PURGE: z
    .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'], { message: 'expects on or off' })
    .optional()
    .transform((v) => v !== undefined && ['on', 'true', '1', 'yes'].includes(v)),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'expects an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: z.string().min(3, 'expects a sender address').default('tiaki@localhost'),
  TIAKI_LINKAGE_SECRET: z
    .string()
    .min(32, 'expects the shared linkage secret, at least 32 characters (openssl rand -base64 32)')
    .optional(),
  TIAKI_STATS_SECRET: z
    .string()
    .min(32, 'expects a release secret of at least 32 characters (openssl rand -base64 32)')
    .optional(),
  STATS_DAILY_QUERY_BUDGET: z.coerce
    .number()
    .int('expects a whole number of queries')
    .min(20, 'expects at least 20 queries a day')
    .max(100_000)
    .default(250),
  // -1: not set (on PostgreSQL, off on the embedded database).
  STATS_WARM_SECONDS: wholeNumber(-1, 0, 3600),
  STATS_WARM_PERIODS: wholeNumber(20, 1, 20),
  // -1: not set (one worker thread on a machine of two cores, two on a larger one).
  STATS_THREADS: wholeNumber(-1, 0, 16),
  STATS_AUTO_LINK_PROBABILITY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const n = Number(v);
      if (!(n >= 0.9 && n <= 1)) {
        ctx.addIssue({
          code: 'custom',
          message: 'expects a probability from 0.9 to 1, or nothing to switch it off',
        });
        return z.NEVER;
      }
      return n;
    }),
  DEMO_HISTORY_REFERRALS: wholeNumber(600, 0, 100_000),
  TIAKI_TODAY: z.iso.date('expects a date YYYY-MM-DD').optional(),
  OIDC_PROVIDERS: z.string().optional(),
  CHROMIUM_PATH: z.string().min(1, 'expects the path of a Chromium program').default('/usr/bin/chromium'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expects fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
});

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** A read-only streaming replica for statistics and publications; undefined reads the primary. */
  statsDatabaseUrl: string | undefined;
  publicUrl: string;
  secureCookies: boolean;
  /** Proxies whose X-Forwarded-For is believed (see TrustedProxies). */
  trustProxy: TrustedProxies;
  demoMode: boolean;
  /** Chromium prints publications to PDF. */
  chromiumPath: string;
  /** The first key encrypts; every key can decrypt, so old values stay readable after rotation. */
  encryptionKeys: EncryptionKey[];
  blindIndexKey: Buffer;
  /**
   * The audit chain's head, signed with auditCheckpointKey, is kept in this file as the sealer
   * links entries (docs/security.md): a copy an operator keeps detects removal of the newest entries.
   */
  auditCheckpointFile: string;
  auditCheckpointKey: Buffer;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** How long a server process may answer from its own copy of a session (0: always ask the database). */
  sessionCacheSeconds: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  loginIpLimit: number;
  argon2MemoryKib: number;
  logLevel: string;
  workflow: WorkflowConfig;
  /** Background jobs: how often each process looks for work, and how often reminders run. */
  jobPollSeconds: number;
  reminderIntervalMinutes: number;
  /** Days each kind of record is kept (RETENTION_*_DAYS), checked at start-up. */
  retention: RetentionPolicy;
  /** RETENTION_AUTO_PURGE=on: the job scheduler applies the retention schedule once a day. */
  retentionAutoPurge: boolean;
  smtp: { url: string; from: string } | null;
  /**
   * The secret agencies use to encode a child's identifiers (`tiaki link encode`). With it,
   * anonymous referrals can be counted against named ones; without it, only among themselves.
   */
  linkageSecret: string | null;
  /**
   * When set, statistics also treat engine matches at or above this probability that nobody has
   * reviewed yet as one child (people's decisions always win). Off by default.
   */
  statsAutoLinkProbability: number | null;
  /** Distinct published-statistics queries an analyst may ask a day (docs/statistics.md). */
  statsDailyQueryBudget: number;
  /**
   * How often the statistics warming job looks whether the facts changed, to compute the standard
   * periods ahead of readers (STATS_WARM_SECONDS; 0: never, every first reader computes; not set:
   * every minute on PostgreSQL when releases are protected in worker threads, never otherwise).
   */
  statsWarmSeconds: number;
  /** How many of the standard periods (most looked-at first, at most 20) it computes (STATS_WARM_PERIODS). */
  statsWarmPeriods: number;
  /**
   * Worker threads that protect statistics releases off the main thread (STATS_THREADS; 0: in the
   * main thread, which holds requests up while a large release is protected).
   */
  statsThreads: number;
  /** How many synthetic referrals of history a new demo installation gets (0: none). */
  demoHistoryReferrals: number;
  /** Seeds the random rounding of published statistics: the same cell rounds the same way in every release. */
  statisticsSecret: string;
  /** Training and test installations only: business dates are computed as if today were this. */
  fixedToday: string | null;
  /** Organisations' identity providers for single sign-on (OIDC_PROVIDERS); none by default. */
  oidcProviders: OidcProviderConfig[];
}

/** Deadlines of the national referral mechanism (DOMAIN.md §2), configurable per installation. */
export interface WorkflowConfig {
  reasonableGroundsWorkingDays: number;
  recoveryPeriodDays: number;
  conclusiveGroundsWorkingDays: number;
  reconsiderationWindowDays: number;
  serviceResponseWorkingDays: number;
  breakGlassHours: number;
}

interface DevelopmentSecrets {
  keys: { id: string; key: string }[];
  blindIndexKey: string;
}

/** In development and test, keys live in DATA_DIR with owner-only permissions; never in production. */
function loadOrCreateDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevelopmentSecrets;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets: DevelopmentSecrets = {
    keys: [{ id: 'dev1', key: randomBytes(32).toString('base64') }],
    blindIndexKey: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/**
 * Development only: puts a new key first in DATA_DIR/secrets.json, keeping the old ones so
 * existing values stay readable until `tiaki keys rotate` has re-encrypted them.
 */
export function addDevelopmentKey(dataDir: string): string {
  const file = join(dataDir, 'secrets.json');
  const secrets = loadOrCreateDevelopmentSecrets(dataDir);
  const id = `dev${secrets.keys.length + 1}-${randomBytes(3).toString('hex')}`;
  secrets.keys.unshift({ id, key: randomBytes(32).toString('base64') });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return id;
}

/** True when keys come from DATA_DIR/secrets.json rather than the environment. */
export function usesDevelopmentKeys(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.TIAKI_KEYS;
}

function parseKeyList(list: string): EncryptionKey[] {
  return list.split(',').map((entry) => {
    const [id = '', key = ''] = entry.split(':');
    return { id, key: Buffer.from(key, 'base64') };
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  const retention = readRetentionPolicy(env);
  if (!parsed.success || retention.problems.length > 0) {
    throw new ConfigError([
      ...(parsed.error?.issues ?? []).map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const got = env[name];
        return `${name} ${issue.message}${got === undefined ? ' (it is not set)' : ` (got "${got}")`}`;
      }),
      ...retention.problems,
    ]);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.TIAKI_ENV === 'production';
  const demoMode = e.TIAKI_DEMO === undefined ? !production : ['true', '1', 'yes'].includes(e.TIAKI_DEMO);
  if (production) {
    if (!e.TIAKI_KEYS)
      problems.push('TIAKI_KEYS is required in production (keyId:base64 of 32 random bytes)');
    if (!e.TIAKI_BLIND_INDEX_KEY)
      problems.push('TIAKI_BLIND_INDEX_KEY is required in production (base64 of 32 random bytes)');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL is required in production (the https address people use)');
    if (demoMode)
      problems.push('TIAKI_DEMO must be false in production: demo mode relaxes MFA for demo users');
    if (!e.TIAKI_STATS_SECRET)
      problems.push(
        'TIAKI_STATS_SECRET is required in production (32 random bytes, base64): it seeds the rounding of published statistics',
      );
    if (e.TIAKI_TODAY)
      problems.push('TIAKI_TODAY must not be set in production: deadlines follow the real date');
  }
  if (e.STATS_DATABASE_URL && !e.DATABASE_URL)
    problems.push(
      'STATS_DATABASE_URL needs DATABASE_URL: it names a streaming replica of that PostgreSQL database',
    );
  const oidc = parseOidcProviders(e.OIDC_PROVIDERS, production);
  problems.push(...oidc.problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = resolve(e.DATA_DIR);
  let encryptionKeys: EncryptionKey[];
  let blindIndexKey: Buffer;
  if (e.TIAKI_KEYS && e.TIAKI_BLIND_INDEX_KEY) {
    encryptionKeys = parseKeyList(e.TIAKI_KEYS);
    blindIndexKey = Buffer.from(e.TIAKI_BLIND_INDEX_KEY, 'base64');
  } else {
    const secrets = loadOrCreateDevelopmentSecrets(dataDir);
    encryptionKeys = e.TIAKI_KEYS
      ? parseKeyList(e.TIAKI_KEYS)
      : secrets.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') }));
    blindIndexKey = Buffer.from(e.TIAKI_BLIND_INDEX_KEY ?? secrets.blindIndexKey, 'base64');
  }
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.TIAKI_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    statsDatabaseUrl: e.STATS_DATABASE_URL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: e.TRUST_PROXY,
    demoMode,
    chromiumPath: e.CHROMIUM_PATH,
    encryptionKeys,
    blindIndexKey,
    auditCheckpointFile: resolve(e.AUDIT_CHECKPOINT_FILE ?? join(dataDir, 'audit-checkpoint.json')),
    // Development: derived from the blind-index key, so it is stable for the installation.
    auditCheckpointKey: e.TIAKI_AUDIT_CHECKPOINT_KEY
      ? Buffer.from(e.TIAKI_AUDIT_CHECKPOINT_KEY, 'base64')
      : createHmac('sha256', blindIndexKey).update('audit checkpoint').digest(),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    sessionCacheSeconds: e.SESSION_CACHE_SECONDS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutMinutes: e.LOGIN_LOCKOUT_MINUTES,
    loginIpLimit: e.LOGIN_IP_LIMIT_PER_15_MINUTES,
    argon2MemoryKib: e.ARGON2_MEMORY_KIB,
    logLevel: e.LOG_LEVEL,
    workflow: {
      reasonableGroundsWorkingDays: e.REASONABLE_GROUNDS_WORKING_DAYS,
      recoveryPeriodDays: e.RECOVERY_PERIOD_DAYS,
      conclusiveGroundsWorkingDays: e.CONCLUSIVE_GROUNDS_WORKING_DAYS,
      reconsiderationWindowDays: e.RECONSIDERATION_WINDOW_DAYS,
      serviceResponseWorkingDays: e.SERVICE_RESPONSE_WORKING_DAYS,
      breakGlassHours: e.BREAK_GLASS_HOURS,
    },
    jobPollSeconds: e.JOB_POLL_SECONDS,
    reminderIntervalMinutes: e.REMINDER_INTERVAL_MINUTES,
    retention: retention.policy,
    retentionAutoPurge: e.RETENTION_AUTO_PURGE,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : null,
    fixedToday: e.TIAKI_TODAY ?? null,
    oidcProviders: oidc.providers,
    linkageSecret: e.TIAKI_LINKAGE_SECRET ?? null,
    statsAutoLinkProbability: e.STATS_AUTO_LINK_PROBABILITY,
    statsDailyQueryBudget: e.STATS_DAILY_QUERY_BUDGET,
    // On by default on PostgreSQL (a look a minute): warming runs on a job lane of its own, so
    // reminders and linkage never wait behind a slice (jobs/handlers.ts JOB_LANES), and its releases
    // are protected in a worker thread, so requests do not wait either (docs/benchmarks.md). Off by
    // default on the embedded database, where its one connection would hold up requests while it
    // computes, and when releases are protected in the main thread (STATS_THREADS=0).
    statsWarmSeconds:
      e.STATS_WARM_SECONDS >= 0
        ? e.STATS_WARM_SECONDS
        : e.DATABASE_URL && e.STATS_THREADS !== 0
          ? DEFAULT_STATS_WARM_SECONDS
          : 0,
    statsWarmPeriods: e.STATS_WARM_PERIODS,
    statsThreads: e.STATS_THREADS < 0 ? (availableParallelism() <= 2 ? 1 : 2) : e.STATS_THREADS,
    demoHistoryReferrals: e.DEMO_HISTORY_REFERRALS,
    // Development: derived from the blind-index key, so it is stable for the installation.
    statisticsSecret:
      e.TIAKI_STATS_SECRET ??
      createHmac('sha256', blindIndexKey).update('statistics release').digest('base64'),
  };
}
