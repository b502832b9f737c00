import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Updateable } from 'kysely';
import type { AppUserTable } from '../../db/schema.ts';
import QRCode from 'qrcode';
import {
  permissionsOf,
  rolesRequireMfa,
  type Permission,
  type Role,
  type SessionStage,
  type SessionView,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import {
  claimPasswordCheckOn,
  claimSignInAttempt,
  clearFailuresIfStillLocked,
  countFailedAttempt,
  deleteSession,
  deleteSessionsOf,
  findSession,
  findUserByEmail,
  findUserById,
  insertSession,
  rolesOf,
  touchSession,
  updateUserAccount,
} from './queries.ts';
import { sessionCacheOf } from './session-cache.ts';

export interface AuthContext {
  sessionId: string;
  stage: SessionStage;
  csrfToken: string;
  /** Empty for an API key principal, which has no person behind it. */
  userId: string;
  /** Set when an organisation's system authenticated with an API key. */
  apiKeyId?: string;
  email: string;
  displayName: string;
  organisation: { id: string; name: string; kind: string };
  roles: Role[];
  permissions: Set<Permission>;
  mfaEnabled: boolean;
  isDemo: boolean;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const mfaContext = (userId: string) => `app_user.mfa_secret:${userId}`; // see security/rotation.ts

/** What a signed-in person still has to do before the session is fully active. */
export function nextStage(
  user: { must_change_password: boolean; mfa_enabled: boolean; is_demo: boolean },
  roles: readonly Role[],
  demoMode: boolean,
): SessionStage {
  if (user.must_change_password) return 'password_change';
  if (user.mfa_enabled) return 'mfa_verify';
  const relaxed = demoMode && user.is_demo;
  if (rolesRequireMfa(roles) && !relaxed) return 'mfa_enrol';
  return 'active';
}

export function toSessionView(auth: AuthContext, demoMode: boolean): SessionView {
  return {
    stage: auth.stage,
    csrfToken: auth.csrfToken,
    user: {
      id: auth.userId,
      email: auth.email,
      displayName: auth.displayName,
      organisation: auth.organisation,
      roles: auth.roles,
      permissions: [...auth.permissions].sort(),
      mfaEnabled: auth.mfaEnabled,
      isDemo: auth.isDemo,
    },
    demoMode,
    idleExpiresAt: auth.idleExpiresAt.toISOString(),
    absoluteExpiresAt: auth.absoluteExpiresAt.toISOString(),
  };
}

export type SessionLookup = { status: 'none' } | { status: 'expired' } | { status: 'ok'; auth: AuthContext };

/** Finds the session for a cookie token, enforcing idle and absolute expiry and account state. */
export async function loadSession(ctx: AppContext, token: string): Promise<SessionLookup> {
  const sessionId = hashToken(token);
  const cache = sessionCacheOf(ctx.database, ctx.config.sessionCacheSeconds);
  let row = cache.get(sessionId, Date.now());
  if (!row) {
    const generation = ctx.database.sessionWrites.generation;
    row = await findSession(ctx.db, sessionId);
    if (!row) return { status: 'none' };
    cache.set(sessionId, row, generation, Date.now());
  }
  const now = Date.now();
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  if (!row.isActive || row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + idleMs <= now) {
    cache.delete(sessionId);
    await deleteSession(ctx.db, sessionId);
    return { status: 'expired' };
  }
  let lastSeen = row.lastSeenAt;
  // Touch at most once a minute: enough for idle expiry, and cheap under load. The copy kept in
  // the cache is the same object: it is seen as touched too.
  if (now - lastSeen.getTime() > 60_000) {
    lastSeen = new Date(now);
    row.lastSeenAt = lastSeen;
    await touchSession(ctx.db, sessionId, lastSeen);
  }
  return {
    status: 'ok',
    auth: {
      sessionId,
      stage: row.stage as SessionStage,
      csrfToken: row.csrfToken,
      userId: row.userId,
      email: row.email,
      displayName: row.displayName,
      organisation: { id: row.organisationId, name: row.organisationName, kind: row.organisationKind },
      roles: row.roles,
      permissions: permissionsOf(row.roles),
      mfaEnabled: row.mfaEnabled,
      isDemo: row.isDemo,
      idleExpiresAt: new Date(Math.min(lastSeen.getTime() + idleMs, row.expiresAt.getTime())),
      absoluteExpiresAt: row.expiresAt,
    },
  };
}

export interface IssuedSession {
  token: string;
  auth: AuthContext;
}

export async function issueSession(ctx: AppContext, userId: string, stage: SessionStage): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(ctx.db, {
    id: hashToken(token),
    user_id: userId,
    stage,
    csrf_token: randomBytes(24).toString('base64url'),
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3_600_000),
  });
  return token;
}

export async function sessionFor(ctx: AppContext, token: string): Promise<IssuedSession> {
  const lookup = await loadSession(ctx, token);
  if (lookup.status !== 'ok') throw new Error('A session just issued could not be read back');
  return { token, auth: lookup.auth };
}

/**
 * One answer for a wrong password, an unknown or deactivated account and a locked one: telling
 * them apart would confirm to a stranger that an account exists.
 */
const invalidCredentials = () =>
  new HttpError(
    401,
    'invalid_credentials',
    'That email and password do not match an active account. After several failed tries an account is locked for a while: wait and try again, or ask your administrator.',
  );

/** Advisory-lock namespace for the per-client throttle (the audit chain uses a single-key lock). */
const THROTTLE_LOCK_NAMESPACE = 727276;

/**
 * Claims one of the client's sign-in attempts for the last 15 minutes, or answers false when none
 * is left. Counting and recording happen in one transaction under a lock on the client, so
 * simultaneous attempts queue here and can never exceed the limit.
 */
export async function claimClientAttempt(ctx: AppContext, clientKey: string): Promise<boolean> {
  const windowStart = new Date(Date.now() - 15 * 60_000);
  return ctx.db
    .transaction()
    .execute((trx) =>
      claimSignInAttempt(trx, THROTTLE_LOCK_NAMESPACE, clientKey, windowStart, ctx.config.loginIpLimit),
    );
}

/**
 * Claims one password check on the account before the password is checked, in one statement
 * (the row lock of the UPDATE orders simultaneous claims). Every claim counts as a failure until
 * the password proves right; the claim that reaches the limit locks the account at once, so
 * attempts already under way cannot check more passwords than the limit allows. An expired lock
 * starts the count again. Answers null when the account is locked.
 */
async function claimPasswordCheck(
  ctx: AppContext,
  userId: string,
): Promise<{ failedAttempts: number; lockedUntil: Date | null } | null> {
  const now = new Date();
  const lockEnd = new Date(now.getTime() + ctx.config.loginLockoutMinutes * 60_000);
  const max = ctx.config.loginMaxFailures;
  const row = await claimPasswordCheckOn(ctx.db, userId, now, lockEnd, max);
  if (!row) return null;
  return {
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
  };
}

/**
 * Checks email and password. Every attempt is counted per client before anything else; a client
 * over the limit, or a locked account, is refused without checking the password (though a hash
 * is still computed, so the answer takes as long). If the throttle cannot be checked (database
 * error) the sign-in fails: it fails closed.
 */
export async function signIn(
  ctx: AppContext,
  input: { email: string; password: string },
  clientAddress: string,
  requestId: string,
): Promise<IssuedSession> {
  const clientKey = hashToken(`client:${clientAddress}`);
  if (!(await claimClientAttempt(ctx, clientKey))) {
    throw new HttpError(
      429,
      'too_many_attempts',
      'Too many sign-in attempts from this device. Wait 15 minutes and try again.',
    );
  }

  const user = await findUserByEmail(ctx.db, input.email);
  const actor: Actor = { userId: user?.id ?? null, organisationId: user?.organisation_id ?? null, requestId };
  const refuse = async (reason: string) => {
    await ctx.passwords.burn(input.password);
    await recordAudit(ctx.db, actor, {
      action: 'auth.sign_in_failed',
      subjectType: user ? 'user' : undefined,
      subjectId: user?.id,
      details: { reason },
    });
    return invalidCredentials();
  };
  if (!user?.is_active) throw await refuse(user ? 'deactivated' : 'unknown_account');
  const claim = await claimPasswordCheck(ctx, user.id);
  if (!claim) throw await refuse('locked');

  if (!(await ctx.passwords.verify(user.password_hash, input.password))) {
    await recordClaimedFailure(ctx, user.id, actor, claim);
    throw invalidCredentials();
  }

  const roles = await rolesOf(ctx.db, user.id);
  const stage = nextStage(user, roles, ctx.config.demoMode);
  const token = await ctx.db.transaction().execute(async (trx) => {
    await updateUserAccount(trx, user.id, {
      failed_attempts: 0,
      locked_until: null,
      ...(stage === 'active' ? { last_sign_in_at: new Date() } : {}),
    });
    await recordAudit(trx, actor, {
      action: stage === 'active' ? 'auth.sign_in' : 'auth.password_verified',
      subjectType: 'user',
      subjectId: user.id,
      details: { stage },
    });
    return issueSession({ ...ctx, db: trx }, user.id, stage);
  });
  return sessionFor(ctx, token);
}

/** Audits a wrong password already counted by its claim; the claim that locked ends the sessions. */
async function recordClaimedFailure(
  ctx: AppContext,
  userId: string,
  actor: Actor,
  claim: { failedAttempts: number; lockedUntil: Date | null },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, actor, {
      action: 'auth.sign_in_failed',
      subjectType: 'user',
      subjectId: userId,
      details: { reason: 'wrong_password', failedAttempts: claim.failedAttempts },
    });
    if (!claim.lockedUntil) return;
    // Only if the lock still stands: a right password checked meanwhile lifted it.
    if (!(await clearFailuresIfStillLocked(trx, userId, claim.lockedUntil))) return;
    await deleteSessionsOf(trx, userId);
    await recordAudit(trx, actor, {
      action: 'auth.account_locked',
      subjectType: 'user',
      subjectId: userId,
      details: { minutes: ctx.config.loginLockoutMinutes },
    });
  });
}

function lockedError(until: Date): HttpError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new HttpError(
    401,
    'account_locked',
    `This account is locked after repeated failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask your administrator.`,
    undefined,
    { lockedUntil: until.toISOString() },
  );
}

/** Counts a failed password or code; locks the account at the limit. Returns the lock end, if any. */
async function recordFailure(
  ctx: AppContext,
  userId: string,
  actor: Actor,
  reason: string,
): Promise<Date | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const failedAttempts = await countFailedAttempt(trx, userId);
    await recordAudit(trx, actor, {
      action: reason === 'wrong_code' ? 'auth.mfa_failed' : 'auth.sign_in_failed',
      subjectType: 'user',
      subjectId: userId,
      details: { reason, failedAttempts },
    });
    if (failedAttempts < ctx.config.loginMaxFailures) return null;
    const until = new Date(Date.now() + ctx.config.loginLockoutMinutes * 60_000);
    await updateUserAccount(trx, userId, { locked_until: until, failed_attempts: 0 });
    await deleteSessionsOf(trx, userId);
    await recordAudit(trx, actor, {
      action: 'auth.account_locked',
      subjectType: 'user',
      subjectId: userId,
      details: { minutes: ctx.config.loginLockoutMinutes },
    });
    return until;
  });
}

/** Moves a session to its next stage under a fresh token, so a token seen before MFA is worthless after. */
async function advance(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  audit: { action: string; details?: Record<string, unknown> },
  userChanges: Updateable<AppUserTable> | null,
): Promise<IssuedSession> {
  const token = await ctx.db.transaction().execute(async (trx) => {
    if (userChanges) {
      await updateUserAccount(trx, auth.userId, userChanges);
    }
    const user = await findUserById(trx, auth.userId);
    if (!user) throw new HttpError(401, 'not_signed_in', 'Please sign in.');
    const roles = await rolesOf(trx, auth.userId);
    let stage = nextStage(user, roles, ctx.config.demoMode);
    // A verified code completes sign-in even though mfa_enabled would ask for a code again.
    if (audit.action === 'auth.mfa_verified' || audit.action === 'auth.mfa_enrolled') stage = 'active';
    if (stage === 'active') {
      await updateUserAccount(trx, auth.userId, { last_sign_in_at: new Date() });
    }
    await deleteSession(trx, auth.sessionId);
    await recordAudit(trx, actor, {
      action: audit.action,
      subjectType: 'user',
      subjectId: auth.userId,
      details: { ...audit.details, stage },
    });
    if (stage === 'active' && audit.action !== 'auth.sign_in') {
      await recordAudit(trx, actor, { action: 'auth.sign_in', subjectType: 'user', subjectId: auth.userId });
    }
    return issueSession({ ...ctx, db: trx }, auth.userId, stage);
  });
  return sessionFor(ctx, token);
}

/**
 * Each sign-in step is open only at its own stage: otherwise a password alone could enrol a new
 * second factor (or change the password) and skip the code the account already requires.
 */
function requireStage(auth: AuthContext, ...stages: SessionStage[]): void {
  if (!stages.includes(auth.stage))
    throw new HttpError(403, 'forbidden', 'This is not the next step of signing in.', undefined, {
      stage: auth.stage,
    });
}

export async function changePassword(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<IssuedSession> {
  requireStage(auth, 'password_change', 'active');
  const user = await findUserById(ctx.db, auth.userId);
  if (!user || !(await ctx.passwords.verify(user.password_hash, input.currentPassword))) {
    const locked = await recordFailure(ctx, auth.userId, actor, 'wrong_password');
    if (locked) throw lockedError(locked);
    throw new HttpError(400, 'validation_failed', 'Your current password is not right.', [
      { path: 'currentPassword', message: 'This is not your current password' },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new HttpError(400, 'validation_failed', 'Choose a new password.', [
      { path: 'newPassword', message: 'Must differ from your current password' },
    ]);
  }
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  return advance(
    ctx,
    auth,
    actor,
    { action: 'auth.password_changed' },
    {
      password_hash: passwordHash,
      must_change_password: false,
      failed_attempts: 0,
    },
  );
}

function totpFor(email: string, secret: OTPAuth.Secret) {
  return new OTPAuth.TOTP({
    issuer: 'Tiaki',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret,
  });
}

export async function startMfaEnrolment(ctx: AppContext, auth: AuthContext, actor: Actor) {
  requireStage(auth, 'mfa_enrol');
  const secret = new OTPAuth.Secret({ size: 20 });
  const uri = totpFor(auth.email, secret).toString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateUserAccount(trx, auth.userId, {
      mfa_pending_secret_enc: ctx.keyring.encrypt(secret.base32, `${mfaContext(auth.userId)}:pending`),
    });
    await recordAudit(trx, actor, {
      action: 'auth.mfa_enrolment_started',
      subjectType: 'user',
      subjectId: auth.userId,
    });
  });
  return {
    otpauthUri: uri,
    secret: secret.base32,
    qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 2 }),
  };
}

/** Accepts a code for the current or adjacent 30-second step, once only. Returns the step used. */
function checkCode(email: string, base32: string, code: string, lastStep: number | null): number | null {
  const delta = totpFor(email, OTPAuth.Secret.fromBase32(base32)).validate({ token: code, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 30_000) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

const wrongCode = () =>
  new HttpError(
    401,
    'invalid_code',
    'That code is not right or has already been used. Enter the current code.',
  );

/** Counts a wrong code towards lockout, then refuses it. */
async function refuseCode(ctx: AppContext, auth: AuthContext, actor: Actor): Promise<never> {
  const locked = await recordFailure(ctx, auth.userId, actor, 'wrong_code');
  throw locked ? lockedError(locked) : wrongCode();
}

export async function confirmMfaEnrolment(ctx: AppContext, auth: AuthContext, actor: Actor, code: string) {
  requireStage(auth, 'mfa_enrol');
  const user = await findUserById(ctx.db, auth.userId);
  if (!user?.mfa_pending_secret_enc) {
    throw new HttpError(409, 'no_enrolment', 'Start multi-factor enrolment first.');
  }
  const base32 = ctx.keyring.decrypt(user.mfa_pending_secret_enc, `${mfaContext(auth.userId)}:pending`);
  const step = checkCode(user.email, base32, code, null);
  if (step === null) return refuseCode(ctx, auth, actor);
  return advance(
    ctx,
    auth,
    actor,
    { action: 'auth.mfa_enrolled' },
    {
      mfa_secret_enc: ctx.keyring.encrypt(base32, mfaContext(auth.userId)),
      mfa_pending_secret_enc: null,
      mfa_enabled: true,
      mfa_last_step: step,
      failed_attempts: 0,
    },
  );
}

export async function verifyMfa(ctx: AppContext, auth: AuthContext, actor: Actor, code: string) {
  requireStage(auth, 'mfa_verify');
  const user = await findUserById(ctx.db, auth.userId);
  if (!user?.mfa_secret_enc) throw new HttpError(409, 'no_enrolment', 'Multi-factor sign-in is not set up.');
  const base32 = ctx.keyring.decrypt(user.mfa_secret_enc, mfaContext(auth.userId));
  const lastStep = user.mfa_last_step === null ? null : Number(user.mfa_last_step);
  const step = checkCode(user.email, base32, code, lastStep);
  if (step === null) return refuseCode(ctx, auth, actor);
  return advance(
    ctx,
    auth,
    actor,
    { action: 'auth.mfa_verified' },
    { mfa_last_step: step, failed_attempts: 0 },
  );
}

export async function signOut(ctx: AppContext, auth: AuthContext, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSession(trx, auth.sessionId);
    await recordAudit(trx, actor, { action: 'auth.sign_out', subjectType: 'user', subjectId: auth.userId });
  });
}
