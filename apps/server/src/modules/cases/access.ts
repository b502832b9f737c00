import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import type { AuthContext } from '../auth/service.ts';

export interface CaseAccess {
  via: 'case_team' | 'break_glass';
  expiresAt: Date | null;
}

/**
 * Need to know for a case. The user's role must let them read cases, and either
 * - their organisation is on the case team as a partner (Police, health, an NGO…), or
 * - their organisation owns the case (the national lead agency) and they are a member of the
 *   case team or a decision maker: the lead agency is large, so its staff see only their cases;
 * - or they hold an unexpired break-glass grant for it.
 * Everyone else is told the case does not exist.
 */
export async function caseAccessFor(db: Db, auth: AuthContext, caseId: string): Promise<CaseAccess | null> {
  if (!auth.permissions.has('cases.read') || !auth.userId) return null;
  const team = await db
    .selectFrom('case_organisation as co')
    .select([
      'co.is_owner',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('case_member as m')
              .select('m.user_id')
              .whereRef('m.case_id', '=', 'co.case_id')
              .where('m.user_id', '=', auth.userId)
              .where('m.removed_at', 'is', null),
          )
          .as('is_member'),
    ])
    .where('co.case_id', '=', caseId)
    .where('co.organisation_id', '=', auth.organisation.id)
    .where('co.removed_at', 'is', null)
    .executeTakeFirst();
  if (team && (!team.is_owner || team.is_member || auth.permissions.has('decisions.make')))
    return { via: 'case_team', expiresAt: null };
  const glass = await db
    .selectFrom('break_glass')
    .select('expires_at')
    .where('case_id', '=', caseId)
    .where('user_id', '=', auth.userId)
    .where('expires_at', '>', new Date())
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
  return glass ? { via: 'break_glass', expiresAt: glass.expires_at } : null;
}

/** The case, or 404 (never 403: a denied read reveals nothing). */
export async function requireCaseAccess(db: Db, auth: AuthContext, caseId: string): Promise<CaseAccess> {
  const access = await caseAccessFor(db, auth, caseId);
  if (!access) throw notFound('The case');
  return access;
}

/**
 * Managing a case (team, plan, notes, needs, service referrals): case team only, with
 * cases.manage. Break-glass access is for reading in an emergency: it changes nothing.
 */
export async function requireCaseManager(db: Db, auth: AuthContext, caseId: string): Promise<CaseAccess> {
  const access = await requireCaseAccess(db, auth, caseId);
  if (!auth.permissions.has('cases.manage')) throw notFound('The case');
  if (access.via !== 'case_team')
    throw new HttpError(
      403,
      'forbidden',
      'Break-glass access is read-only. Ask the case owner to add you to the team.',
    );
  return access;
}

/** Ids of the cases a user may see (the same rule as caseAccessFor), for list queries. */
export function readableCaseIds(auth: AuthContext) {
  const decides = auth.permissions.has('decisions.make');
  return sql<string>`(
    SELECT co.case_id FROM case_organisation co
    WHERE co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
      AND (NOT co.is_owner OR ${decides} OR EXISTS (
        SELECT 1 FROM case_member m
        WHERE m.case_id = co.case_id AND m.user_id = ${auth.userId || null} AND m.removed_at IS NULL))
    UNION
    SELECT bg.case_id FROM break_glass bg
    WHERE bg.user_id = ${auth.userId || null} AND bg.expires_at > now()
  )`;
}
