import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
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
