import { sql, type Insertable, type Updateable } from 'kysely';
import { pageRequest, type PrivilegedRequestKind, type Role, type UserListQuery } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';
import type { AppUserTable, PrivilegedRequestTable } from '../../db/schema.ts';

interface PendingRow {
  id: string;
  kind: 'grant_roles' | 'reset_password' | 'reset_mfa';
  roles: Role[];
  requestedByName: string;
  expiresAt: string;
}

function userColumns(db: Db) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.organisation_id',
      'o.name as organisation_name',
      'u.is_active',
      'u.mfa_enabled',
      'u.is_demo',
      'u.locked_until',
      'u.last_sign_in_at',
      'u.created_at',
      'u.version',
      sql<
        Role[]
      >`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM role_assignment r WHERE r.user_id = u.id), '{}')`.as(
        'roles',
      ),
      // Privileged changes to the account waiting for a second administrator (not yet expired).
      sql<PendingRow[]>`coalesce((SELECT jsonb_agg(jsonb_build_object(
          'id', q.id, 'kind', q.kind, 'roles', to_jsonb(q.roles),
          'requestedByName', a.display_name, 'expiresAt', q.expires_at) ORDER BY q.requested_at)
        FROM privileged_request q JOIN app_user a ON a.id = q.requested_by
        WHERE q.target_user_id = u.id AND q.status = 'pending' AND q.expires_at > now()), '[]'::jsonb)`.as(
        'pending_requests',
      ),
    ]);
}

export type UserRow = Awaited<ReturnType<ReturnType<typeof userColumns>['executeTakeFirstOrThrow']>>;

/**
 * One page of user accounts, filtered and sorted by the database (name A to Z unless asked
 * otherwise), and how many match.
 */
export async function listUsers(db: Db, query: UserListQuery) {
  let base = db.selectFrom('app_user as u').innerJoin('organisation as o', 'o.id', 'u.organisation_id');
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    base = base.where(sql<boolean>`(u.display_name ILIKE ${like} OR u.email ILIKE ${like})`);
  }
  if (query.organisationId) base = base.where('u.organisation_id', '=', query.organisationId);
  if (query.role)
    base = base.where(
      sql<boolean>`EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = ${query.role})`,
    );
  switch (query.state) {
    case 'active':
      base = base.where(sql<boolean>`u.is_active AND (u.locked_until IS NULL OR u.locked_until <= now())`);
      break;
    case 'deactivated':
      base = base.where('u.is_active', '=', false);
      break;
    case 'locked':
      base = base.where(sql<boolean>`u.is_active AND u.locked_until > now()`);
      break;
    case 'waiting':
      base = base.where(
        sql<boolean>`EXISTS (SELECT 1 FROM privileged_request q WHERE q.target_user_id = u.id AND q.status = 'pending' AND q.expires_at > now())`,
      );
      break;
    case undefined:
      break;
  }
  const paging = pageRequest(query, { sort: 'name', dir: 'asc' });
  const dir = paging.dir;
  let ids = base.select('u.id');
  switch (paging.sort) {
    case 'name':
      ids = ids.orderBy(sql`lower(u.display_name)`, dir);
      break;
    case 'email':
      ids = ids.orderBy('u.email', dir);
      break;
    case 'organisation':
      ids = ids.orderBy('o.name', dir).orderBy(sql`lower(u.display_name)`);
      break;
    case 'lastSignIn':
      // Never signed in comes last whichever way.
      ids = ids
        .orderBy(sql`u.last_sign_in_at ${sql.raw(dir)} NULLS LAST`)
        .orderBy(sql`lower(u.display_name)`);
      break;
  }
  const [page, counted] = await Promise.all([
    ids
      .orderBy('u.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('u.id')),
  ]);
  const order = page.map((row) => row.id);
  const rows = order.length ? await userColumns(db).where('u.id', 'in', order).execute() : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    rows: order.flatMap((id) => byId.get(id) ?? []),
    ...counted,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

export async function getUser(db: Db, id: string): Promise<UserRow | undefined> {
  return userColumns(db).where('u.id', '=', id).executeTakeFirst();
}

export async function getUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return userColumns(db).where('u.email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function replaceRoles(db: Db, userId: string, roles: readonly Role[], grantedBy: string | null) {
  await db.deleteFrom('role_assignment').where('user_id', '=', userId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('role_assignment')
      .values([...new Set(roles)].map((role) => ({ user_id: userId, role, granted_by: grantedBy })))
      .execute();
  }
}

export async function endSessionsOf(db: Db, userId: string) {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Privileged requests with the names of who they are about, who asked and who decided. */
function requestRows(db: Db) {
  return db
    .selectFrom('privileged_request as q')
    .innerJoin('app_user as t', 't.id', 'q.target_user_id')
    .innerJoin('app_user as r', 'r.id', 'q.requested_by')
    .leftJoin('app_user as d', 'd.id', 'q.decided_by')
    .select([
      'q.id',
      'q.kind',
      'q.roles',
      'q.requested_at',
      'q.expires_at',
      'q.status',
      'q.decided_at',
      'q.decided_by',
      'q.requested_by',
      'q.target_user_id',
      't.display_name as target_name',
      't.email as target_email',
      'r.display_name as requester_name',
      'd.display_name as decider_name',
    ]);
}
export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestRows>['executeTakeFirstOrThrow']>>;

export function requestById(db: Db, id: string): Promise<RequestRow | undefined> {
  return requestRows(db).where('q.id', '=', id).executeTakeFirst();
}

/** Pending requests first, then the most recently decided (the last 200). */
export function recentRequests(db: Db): Promise<RequestRow[]> {
  return requestRows(db)
    .orderBy(sql`q.status = 'pending'`, 'desc')
    .orderBy(sql`coalesce(q.decided_at, q.requested_at)`, 'desc')
    .limit(200)
    .execute();
}

/** The pending request of a kind about an account, if there is one. */
export function pendingRequest(db: Db, targetUserId: string, kind: PrivilegedRequestKind) {
  return db
    .selectFrom('privileged_request')
    .select('id')
    .where('target_user_id', '=', targetUserId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function insertRequest(db: Db, row: Insertable<PrivilegedRequestTable>): Promise<string> {
  const { id } = await db
    .insertInto('privileged_request')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Adds roles to an account (granted by `grantedBy`), keeping who granted those it had; the roles added. */
export async function addRoles(
  db: Db,
  userId: string,
  roles: readonly Role[],
  grantedBy: string | null,
): Promise<Role[]> {
  const current = await db
    .selectFrom('role_assignment')
    .select('role')
    .where('user_id', '=', userId)
    .execute();
  const had = current.map((r) => r.role as Role);
  const added = roles.filter((r) => !had.includes(r));
  if (added.length > 0) {
    await db
      .insertInto('role_assignment')
      .values(added.map((role) => ({ user_id: userId, role, granted_by: grantedBy })))
      .execute();
    await db
      .updateTable('app_user')
      .set({ version: (eb) => eb('version', '+', 1) })
      .where('id', '=', userId)
      .execute();
  }
  return added;
}

/** A new password the person must change at the next sign-in, the account unlocked; false if no such account. */
export async function setOneTimePassword(db: Db, userId: string, passwordHash: string): Promise<boolean> {
  const updated = await db
    .updateTable('app_user')
    .set({
      password_hash: passwordHash,
      must_change_password: true,
      failed_attempts: 0,
      locked_until: null,
      version: (eb) => eb('version', '+', 1),
    })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Removes an account's authenticator (enrolled anew at the next sign-in); false if no such account. */
export async function removeAuthenticator(db: Db, userId: string): Promise<boolean> {
  const updated = await db
    .updateTable('app_user')
    .set({
      mfa_enabled: false,
      mfa_secret_enc: null,
      mfa_pending_secret_enc: null,
      mfa_last_step: null,
      version: (eb) => eb('version', '+', 1),
    })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function insertUser(db: Db, row: Insertable<AppUserTable>): Promise<string> {
  const { id } = await db.insertInto('app_user').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateUserRow(db: Db, id: string, changes: Updateable<AppUserTable>): Promise<void> {
  await db.updateTable('app_user').set(changes).where('id', '=', id).execute();
}
