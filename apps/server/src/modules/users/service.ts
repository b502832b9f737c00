import type { z } from 'zod';
import type { createUserRequest, Role, updateUserRequest, User } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { generateOneTimePassword } from '../../security/passwords.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { findUserByEmail } from '../auth/index.ts';
import { getOrganisation } from '../organisations/index.ts';
import { endSessionsOf, getUser, listUsers, replaceRoles, type UserRow } from './queries.ts';

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
  };
}

export async function list(ctx: AppContext): Promise<User[]> {
  return (await listUsers(ctx.db)).map(presentUser);
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

export async function create(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof createUserRequest>,
  options: CreateUserOptions = {},
): Promise<{ user: User; oneTimePassword: string }> {
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
    const { id } = await trx
      .insertInto('app_user')
      .values({
        organisation_id: input.organisationId,
        email: input.email,
        display_name: input.displayName,
        password_hash: passwordHash,
        must_change_password: options.mustChangePassword ?? true,
        is_demo: options.isDemo ?? false,
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceRoles(trx, id, input.roles, actor.userId);
    await recordAudit(trx, actor, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: id,
      details: { organisationId: input.organisationId, roles: [...input.roles].sort() },
    });
    return { user: await reload(trx, id), oneTimePassword };
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
      await trx
        .updateTable('app_user')
        .set({ display_name: input.displayName })
        .where('id', '=', id)
        .execute();
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
      if (added.length + removed.length > 0) {
        await replaceRoles(trx, id, next, actor.userId);
        // Fewer roles must take effect now, not at the next sign-in.
        if (removed.length > 0) await endSessionsOf(trx, id);
        await recordAudit(trx, actor, {
          action: 'user.roles_changed',
          subjectType: 'user',
          subjectId: id,
          details: { added, removed },
        });
      }
    }
    if (input.isActive !== undefined && input.isActive !== before.is_active) {
      await trx.updateTable('app_user').set({ is_active: input.isActive }).where('id', '=', id).execute();
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

export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await ctx.passwords.hash(oneTimePassword);
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('app_user')
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        failed_attempts: 0,
        locked_until: null,
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound('The user');
    await endSessionsOf(trx, id);
    await recordAudit(trx, actor, { action: 'user.password_reset', subjectType: 'user', subjectId: id });
  });
  return { oneTimePassword };
}

export async function resetMfa(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('app_user')
      .set({
        mfa_enabled: false,
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
        mfa_last_step: null,
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound('The user');
    await endSessionsOf(trx, id);
    await recordAudit(trx, actor, { action: 'auth.mfa_reset', subjectType: 'user', subjectId: id });
    return reload(trx, id);
  });
}
