import type { z } from 'zod';
import {
  needsSecondAdministrator,
  type createUserRequest,
  type Page,
  type PrivilegedRequest,
  type Role,
  type updateUserRequest,
  type User,
  type UserListQuery,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { generateOneTimePassword } from '../../security/passwords.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { findUserByEmail } from '../auth/index.ts';
import { getOrganisation } from '../organisations/index.ts';
import {
  endSessionsOf,
  getUser,
  getUserByEmail,
  insertUser,
  listUsers,
  removeAuthenticator,
  replaceRoles,
  setOneTimePassword,
  updateUserRow,
  type UserRow,
} from './queries.ts';
import { openRequest } from './requests.ts';

/** Presenter: account fields only; never a password hash or MFA secret. */
export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    roles: row.roles,
    isActive: row.is_active,
    mfaEnabled: row.mfa_enabled,
    isDemo: row.is_demo,
    lockedUntil:
      row.locked_until && row.locked_until.getTime() > Date.now() ? row.locked_until.toISOString() : null,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    version: row.version,
    pendingRequests: row.pending_requests.map((p) => ({
      ...p,
      expiresAt: new Date(p.expiresAt).toISOString(),
    })),
  };
}

export async function list(ctx: AppContext, query: UserListQuery): Promise<Page<User>> {
  const { rows, ...page } = await listUsers(ctx.db, query);
  return { ...page, items: rows.map(presentUser) };
}

/** The account with this email address (for the operator's command line), or null. */
export async function findByEmail(ctx: AppContext, email: string): Promise<User | null> {
  const row = await getUserByEmail(ctx.db, email);
  return row ? presentUser(row) : null;
}

async function reload(db: Db, id: string): Promise<User> {
  const row = await getUser(db, id);
  if (!row) throw notFound('The user');
  return presentUser(row);
}

export interface CreateUserOptions {
  isDemo?: boolean;
  /** Demo accounts skip the forced password change; real accounts never do. */
  mustChangePassword?: boolean;
  password?: string;
}

/**
 * Creates an account with its roles at once: the operator's path (`tiaki user create`, the demo
 * seed and the bootstrap of a fresh installation), which an administrator in the web app cannot
 * take. The audit entry records it was the operator (no user) when it was.
 */
export async function create(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof createUserRequest>,
  options: CreateUserOptions = {},
): Promise<{ user: User; oneTimePassword: string }> {
  const { user, oneTimePassword } = await insertAccount(ctx, actor, input, input.roles, options);
  return { user, oneTimePassword };
}

/**
 * An administrator creates an account: roles one administrator may grant alone are given at
 * once; every other role waits for a second administrator (the two-person rule), so until then
 * the account reaches no child.
 */
export async function createByAdministrator(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof createUserRequest>,
): Promise<{ user: User; oneTimePassword: string; pendingRequest: PrivilegedRequest | null }> {
  const roles = [...new Set(input.roles)];
  const now = roles.filter((r) => !needsSecondAdministrator(r));
  const later = roles.filter(needsSecondAdministrator);
  return insertAccount(ctx, actor, input, now, {}, later);
}

async function insertAccount(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof createUserRequest>,
  roles: readonly Role[],
  options: CreateUserOptions,
  pendingRoles: readonly Role[] = [],
): Promise<{ user: User; oneTimePassword: string; pendingRequest: PrivilegedRequest | null }> {
  const oneTimePassword = options.password ?? generateOneTimePassword();
  const passwordHash = await ctx.passwords.hash(oneTimePassword);
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await getOrganisation(trx, input.organisationId))) {
      throw new HttpError(400, 'validation_failed', 'Choose an existing organisation.', [
        { path: 'organisationId', message: 'No such organisation' },
      ]);
    }
    if (await findUserByEmail(trx, input.email)) {
      throw new HttpError(409, 'email_taken', 'An account with this email already exists.', [
        { path: 'email', message: 'Already in use' },
      ]);
    }
    const id = await insertUser(trx, {
      organisation_id: input.organisationId,
      email: input.email,
      display_name: input.displayName,
      password_hash: passwordHash,
      must_change_password: options.mustChangePassword ?? true,
      is_demo: options.isDemo ?? false,
      mfa_secret_enc: null,
      mfa_pending_secret_enc: null,
    });
    await replaceRoles(trx, id, roles, actor.userId);
    await recordAudit(trx, actor, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: id,
      details: {
        organisationId: input.organisationId,
        roles: [...roles].sort(),
        ...(pendingRoles.length ? { awaitingSecondAdministrator: [...pendingRoles].sort() } : {}),
        // The operator's command line, the demo seed or a test fixture: no administrator.
        ...(actor.userId === null ? { operator: true } : {}),
      },
    });
    const pendingRequest = pendingRoles.length
      ? await openRequest(trx, actor, 'grant_roles', id, pendingRoles)
      : null;
    return { user: await reload(trx, id), oneTimePassword, pendingRequest };
  });
}

export async function update(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.output<typeof updateUserRequest>,
): Promise<User> {
  if (
    id === actor.userId &&
    (input.isActive === false || (input.roles && !input.roles.includes('administrator')))
  ) {
    throw new HttpError(
      400,
      'cannot_change_own_access',
      'You cannot deactivate your own account or remove your own administrator role. Ask another administrator.',
    );
  }
  return ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'app_user', id, input.version, 'The user');
    const before = await getUser(trx, id);
    if (!before) throw notFound('The user');
    if (input.displayName !== undefined) {
      await updateUserRow(trx, id, { display_name: input.displayName });
      await recordAudit(trx, actor, {
        action: 'user.updated',
        subjectType: 'user',
        subjectId: id,
        details: { fields: ['displayName'] },
      });
    }
    if (input.roles) {
      const next = [...new Set(input.roles)].sort();
      const added = next.filter((r) => !before.roles.includes(r));
      const removed = before.roles.filter((r: Role) => !next.includes(r));
      // An administrator who could give themselves a case-reading role could read any child.
      if (id === actor.userId && added.length > 0) {
        throw new HttpError(
          400,
          'cannot_change_own_access',
          'You cannot give yourself a new role. Ask another administrator.',
        );
      }
      // Roles that reach children (or approve, or administer) wait for a second administrator;
      // removing a role, or adding one an administrator may grant alone, is immediate. The
      // operator's command line (no user) is not an administrator and grants directly.
      const later = actor.userId === null ? [] : added.filter(needsSecondAdministrator);
      const now = next.filter((r) => !later.includes(r));
      if (later.length > 0) await openRequest(trx, actor, 'grant_roles', id, later);
      const addedNow = added.filter((r) => !later.includes(r));
      if (addedNow.length + removed.length > 0) {
        await replaceRoles(trx, id, now, actor.userId);
        // Fewer roles must take effect now, not at the next sign-in.
        if (removed.length > 0) await endSessionsOf(trx, id);
        await recordAudit(trx, actor, {
          action: 'user.roles_changed',
          subjectType: 'user',
          subjectId: id,
          details: { added: addedNow, removed },
        });
      }
    }
    if (input.isActive !== undefined && input.isActive !== before.is_active) {
      await updateUserRow(trx, id, { is_active: input.isActive });
      if (!input.isActive) await endSessionsOf(trx, id);
      await recordAudit(trx, actor, {
        action: input.isActive ? 'user.reactivated' : 'user.deactivated',
        subjectType: 'user',
        subjectId: id,
      });
    }
    return reload(trx, id);
  });
}

/** An administrator asks for a password or authenticator reset: a second administrator approves. */
export async function requestReset(
  ctx: AppContext,
  actor: Actor,
  id: string,
  kind: 'reset_password' | 'reset_mfa',
): Promise<PrivilegedRequest> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await getUser(trx, id))) throw notFound('The user');
    return openRequest(trx, actor, kind, id);
  });
}

/** Resets a password at once: the operator's command line only (`tiaki user reset-password`). */
export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await ctx.passwords.hash(oneTimePassword);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setOneTimePassword(trx, id, passwordHash))) throw notFound('The user');
    await endSessionsOf(trx, id);
    await recordAudit(trx, actor, { action: 'user.password_reset', subjectType: 'user', subjectId: id });
  });
  return { oneTimePassword };
}

/** Removes an authenticator at once: the operator's command line only (`tiaki user reset-mfa`). */
export async function resetMfa(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await removeAuthenticator(trx, id))) throw notFound('The user');
    await endSessionsOf(trx, id);
    await recordAudit(trx, actor, { action: 'auth.mfa_reset', subjectType: 'user', subjectId: id });
    return reload(trx, id);
  });
}
