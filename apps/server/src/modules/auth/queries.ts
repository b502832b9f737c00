import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AppUserTable, Schema } from '../../db/schema.ts';
import type { Role } from '@tiaki/domain';

export interface SessionRow {
  sessionId: string;
  stage: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userId: string;
  email: string;
  displayName: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  mfaEnabled: boolean;
  isDemo: boolean;
  isActive: boolean;
  roles: Role[];
}

export async function findSession(db: Db, sessionId: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      's.id as sessionId',
      's.stage',
      's.csrf_token as csrfToken',
      's.created_at as createdAt',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      'u.id as userId',
      'u.email',
      'u.display_name as displayName',
      'u.organisation_id as organisationId',
      'o.name as organisationName',
      'o.kind as organisationKind',
      'u.mfa_enabled as mfaEnabled',
      'u.is_demo as isDemo',
      'u.is_active as isActive',
      sql<
        Role[]
      >`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM role_assignment r WHERE r.user_id = u.id), '{}')`.as(
        'roles',
      ),
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  return row;
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('role_assignment')
    .select('role')
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role as Role);
}

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** Ends every session of an account. */
export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export async function touchSession(db: Db, sessionId: string, lastSeen: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: lastSeen }).where('id', '=', sessionId).execute();
}

export async function insertSession(db: Db, session: Insertable<Schema['session']>): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

/**
 * Under a lock on the client (until the transaction ends), records one sign-in attempt unless it
 * already made `limit` since `windowStart`; true when the attempt was recorded.
 */
export async function claimSignInAttempt(
  trx: Db,
  lockNamespace: number,
  clientKey: string,
  windowStart: Date,
  limit: number,
): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock(${lockNamespace}, hashtext(${clientKey}))`.execute(trx);
  const claimed = await sql<{ id: string }>`
      INSERT INTO sign_in_attempt (client_key)
      SELECT ${clientKey}
      WHERE (SELECT count(*) FROM sign_in_attempt
             WHERE client_key = ${clientKey} AND attempted_at > ${windowStart}) < ${limit}
      RETURNING id`.execute(trx);
  return claimed.rows.length > 0;
}

/**
 * Counts one failed password check on an account that is not locked (an expired lock starts the
 * count again) and locks it until `lockEnd` at `max`; nothing when the account is locked.
 */
export async function claimPasswordCheckOn(
  db: Db,
  userId: string,
  now: Date,
  lockEnd: Date,
  max: number,
): Promise<{ failed_attempts: number; locked_until: Date | string | null } | undefined> {
  const claimed = await sql<{ failed_attempts: number; locked_until: Date | string | null }>`
    UPDATE app_user SET
      failed_attempts = (CASE WHEN locked_until IS NULL THEN failed_attempts ELSE 0 END) + 1,
      locked_until = CASE
        WHEN (CASE WHEN locked_until IS NULL THEN failed_attempts ELSE 0 END) + 1 >= ${max} THEN ${lockEnd}::timestamptz
        ELSE NULL END
    WHERE id = ${userId} AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
    RETURNING failed_attempts, locked_until`.execute(db);
  return claimed.rows[0];
}

/** Changes an account's own fields (password, second factor, failed attempts, last sign-in). */
export async function updateUserAccount(
  db: Db,
  userId: string,
  changes: Updateable<AppUserTable>,
): Promise<void> {
  await db.updateTable('app_user').set(changes).where('id', '=', userId).execute();
}

/** Clears the failed attempts if the account is still locked until `lockedUntil`; false if not. */
export async function clearFailuresIfStillLocked(
  db: Db,
  userId: string,
  lockedUntil: Date,
): Promise<boolean> {
  const stillLocked = await db
    .updateTable('app_user')
    .set({ failed_attempts: 0 })
    .where('id', '=', userId)
    .where('locked_until', '=', lockedUntil)
    .returning('id')
    .executeTakeFirst();
  return stillLocked !== undefined;
}

/** Adds one failed attempt to an account; the count after it. */
export async function countFailedAttempt(db: Db, userId: string): Promise<number> {
  const updated = await db
    .updateTable('app_user')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return updated.failed_attempts;
}

// Single sign-on (oidc.ts).

/** Drops the sign-ins at a provider that took too long. */
export async function deleteExpiredPendingSignIns(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sso_pending_sign_in').where('expires_at', '<=', now).execute();
}

export async function insertPendingSignIn(
  db: Db,
  pending: Insertable<Schema['sso_pending_sign_in']>,
): Promise<void> {
  await db.insertInto('sso_pending_sign_in').values(pending).execute();
}

/** Uses up the pending sign-in of a browser: deleted, and returned if there was one. */
export async function takePendingSignIn(db: Db, id: string) {
  return db.deleteFrom('sso_pending_sign_in').where('id', '=', id).returningAll().executeTakeFirst();
}

/** The account linked to a provider's subject, if any. */
export async function linkedUserOf(db: Db, issuer: string, subject: string) {
  const link = await db
    .selectFrom('sso_identity')
    .select('user_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return link?.user_id;
}

/** An organisation's account with this email address (case-insensitive). */
export async function findOrganisationUserByEmail(db: Db, email: string, organisationId: string) {
  return db
    .selectFrom('app_user')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** The subject an account is already linked to at an issuer, if any. */
export async function linkedSubjectOf(db: Db, userId: string, issuer: string) {
  return db
    .selectFrom('sso_identity')
    .select('subject')
    .where('user_id', '=', userId)
    .where('issuer', '=', issuer)
    .executeTakeFirst();
}

export async function insertSsoIdentity(db: Db, identity: Insertable<Schema['sso_identity']>): Promise<void> {
  await db.insertInto('sso_identity').values(identity).execute();
}

export async function touchSsoIdentity(
  db: Db,
  issuer: string,
  subject: string,
  signedInAt: Date,
): Promise<void> {
  await db
    .updateTable('sso_identity')
    .set({ last_sign_in_at: signedInAt })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}
