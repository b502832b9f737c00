import { ConfigError } from '../../config-error.ts';

/** The kinds of record the retention schedule covers, in the order a purge handles them. */
export const RETENTION_KINDS = [
  'screened_out_referrals',
  'closed_cases',
  'referral_drafts',
  'notifications',
  'sessions',
  'sign_in_attempts',
  'extract_files',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

interface KindSpec {
  env: string;
  defaultDays: number;
  /** What the period runs from, for the docs and the dry-run report. */
  from: string;
  /** What a purge does to a record that is due. */
  action: 'de-identified' | 'deleted' | 'cleared';
}

/**
 * Days each kind is kept, and the environment variable that changes it. The defaults follow the
 * lead agency's schedule (docs/operations.md#retention): seven years after a case closes, two
 * years after a referral is screened out; working data (drafts, notifications, sessions) briefly.
 */
export const RETENTION_SPECS: Readonly<Record<RetentionKind, KindSpec>> = {
  screened_out_referrals: {
    env: 'RETENTION_SCREENED_OUT_DAYS',
    defaultDays: 730,
    from: 'screen-out',
    action: 'de-identified',
  },
  closed_cases: {
    env: 'RETENTION_CLOSED_CASE_DAYS',
    defaultDays: 2557,
    from: 'closure',
    action: 'de-identified',
  },
  referral_drafts: {
    env: 'RETENTION_DRAFT_DAYS',
    defaultDays: 30,
    from: 'last save',
    action: 'deleted',
  },
  notifications: {
    env: 'RETENTION_NOTIFICATION_DAYS',
    defaultDays: 180,
    from: 'creation',
    action: 'deleted',
  },
  sessions: { env: 'RETENTION_SESSION_DAYS', defaultDays: 7, from: 'expiry', action: 'deleted' },
  sign_in_attempts: {
    env: 'RETENTION_SIGN_IN_ATTEMPT_DAYS',
    defaultDays: 30,
    from: 'the attempt',
    action: 'deleted',
  },
  extract_files: { env: 'RETENTION_EXTRACT_DAYS', defaultDays: 0, from: 'expiry', action: 'cleared' },
};

export type RetentionPolicy = Readonly<Record<RetentionKind, number>>;

/** The longest period a RETENTION_*_DAYS variable may set: a hundred years. */
export const MAX_RETENTION_DAYS = 36_525;

/**
 * Reads the retention periods from the environment without throwing: the policy, and a message for
 * each bad variable (named, with what it expects and what it got), as the server's configuration
 * reports its problems at start-up.
 */
export function readRetentionPolicy(env: Record<string, string | undefined>): {
  policy: RetentionPolicy;
  problems: string[];
} {
  const problems: string[] = [];
  const policy = {} as Record<RetentionKind, number>;
  for (const kind of RETENTION_KINDS) {
    const spec = RETENTION_SPECS[kind];
    const raw = env[spec.env];
    if (raw === undefined || raw.trim() === '') {
      policy[kind] = spec.defaultDays;
      continue;
    }
    const n = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n > MAX_RETENTION_DAYS) {
      problems.push(
        `${spec.env} expects a whole number of days from 0 to ${MAX_RETENTION_DAYS} (got "${raw}")`,
      );
      continue;
    }
    policy[kind] = n;
  }
  return { policy, problems };
}

/** Reads the retention periods from the environment; a bad value is a ConfigError naming the variable. */
export function retentionPolicy(env: Record<string, string | undefined> = process.env): RetentionPolicy {
  const { policy, problems } = readRetentionPolicy(env);
  if (problems.length) throw new ConfigError(problems);
  return policy;
}
