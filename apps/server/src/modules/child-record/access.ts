import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';

/**
 * The one access gate for a child's records (need to know). Every module that reads or changes a
 * case, a referral or a service referral asks here; the case rule is written once, in SQL, and
 * used both for one record and for lists. Whoever may not see a record is told it does not exist
 * (404), never that it is forbidden.
 */

export interface CaseAccess {
  via: 'case_team' | 'break_glass';
  expiresAt: Date | null;
}

/**
 * The rule, as rows `(case_id, via, expires_at)` of every case the user may read. The user's role
 * must let them read cases, and either
 * - their organisation is on the case team as a partner (Police, health, an NGO…), or
 * - their organisation owns the case (the national lead agency) and they are a member of the
 *   case team or a decision maker: the lead agency is large, so its staff see only their cases;
 * - or they hold an unexpired break-glass grant for it.
 */
function caseGrants(auth: AuthContext) {
  const reads = auth.permissions.has('cases.read') && Boolean(auth.userId);
  const decides = auth.permissions.has('decisions.make');
  const userId = auth.userId || null;
  return sql<{ case_id: string; via: CaseAccess['via']; expires_at: Date | null }>`(
    SELECT co.case_id, 'case_team' AS via, NULL::timestamptz AS expires_at FROM case_organisation co
    WHERE ${reads} AND co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
      AND (NOT co.is_owner OR ${decides} OR EXISTS (
        SELECT 1 FROM case_member m
        WHERE m.case_id = co.case_id AND m.user_id = ${userId} AND m.removed_at IS NULL))
    UNION ALL
    SELECT bg.case_id, 'break_glass' AS via, bg.expires_at FROM break_glass bg
    WHERE ${reads} AND bg.user_id = ${userId} AND bg.expires_at > now()
  )`;
}

/** Ids of the cases a user may see, for list queries (`where id in readableCaseIds(auth)`). */
export function readableCaseIds(auth: AuthContext) {
  return sql<string>`(SELECT g.case_id FROM ${caseGrants(auth)} g)`;
}

/** Which of these cases the user may see, and how: one query for any number of cases. */
export async function caseAccessTo(
  db: Db,
  auth: AuthContext,
  caseIds: readonly string[],
): Promise<Map<string, CaseAccess>> {
  const wanted = [...new Set(caseIds)];
  const access = new Map<string, CaseAccess>();
  if (wanted.length === 0) return access;
  const { rows } = await sql<{ case_id: string; via: CaseAccess['via']; expires_at: Date | null }>`
    SELECT g.case_id, g.via, g.expires_at FROM ${caseGrants(auth)} g
    WHERE g.case_id IN (${sql.join(wanted)})`.execute(db);
  for (const row of rows) {
    const known = access.get(row.case_id);
    // The team's own access wins over break-glass; of several grants, the latest expiry.
    if (known?.via === 'case_team') continue;
    if (row.via === 'case_team' || !known || (row.expires_at ?? 0) > (known.expiresAt ?? 0))
      access.set(row.case_id, { via: row.via, expiresAt: row.expires_at });
  }
  return access;
}

export async function caseAccessFor(db: Db, auth: AuthContext, caseId: string): Promise<CaseAccess | null> {
  return (await caseAccessTo(db, auth, [caseId])).get(caseId) ?? null;
}

/** What a person needs of a case: to read it, or to change it as its team. */
export type CaseNeed = 'cases.read' | 'cases.manage';

/**
 * The case, or 404. Changing a case (team, plan, notes, needs, service referrals) needs the case
 * team itself and `cases.manage`: break-glass access is for reading in an emergency and changes
 * nothing (403, since the person can already see the case).
 */
export async function requireAccess(
  db: Db,
  auth: AuthContext,
  need: CaseNeed,
  caseId: string,
): Promise<CaseAccess> {
  const access = await caseAccessFor(db, auth, caseId);
  if (!access || !auth.permissions.has(need)) throw notFound('The case');
  if (need === 'cases.manage' && access.via !== 'case_team')
    throw new HttpError(
      403,
      'forbidden',
      'Break-glass access is read-only. Ask the case owner to add you to the team.',
    );
  return access;
}

/**
 * Need to know for a referral: the organisation that submitted it, lead-agency triage staff while
 * it is untriaged, or whoever may see its case once it belongs to one.
 */
export async function referralAccess(
  db: Db,
  auth: AuthContext,
  referral: { organisation_id: string; status: string; case_id: string | null },
): Promise<'submitter' | 'triage' | CaseAccess['via'] | null> {
  if (auth.permissions.has('referrals.read_own') && referral.organisation_id === auth.organisation.id)
    return 'submitter';
  if (
    auth.permissions.has('referrals.triage') &&
    auth.organisation.kind === 'lead_agency' &&
    ['submitted', 'in_triage'].includes(referral.status)
  )
    return 'triage';
  if (referral.case_id === null) return null;
  return (await caseAccessFor(db, auth, referral.case_id))?.via ?? null;
}

/**
 * Need to know for a service referral: the provider it was sent to (once sent, never a proposal),
 * and whoever may see its case.
 */
export async function serviceReferralAccess(
  db: Db,
  auth: AuthContext,
  serviceReferral: { case_id: string; provider_organisation_id: string; status: string },
): Promise<{ provider: boolean; caseAccess: CaseAccess | null }> {
  const provider =
    auth.permissions.has('service_referrals.respond') &&
    auth.organisation.id === serviceReferral.provider_organisation_id &&
    serviceReferral.status !== 'proposed';
  return { provider, caseAccess: await caseAccessFor(db, auth, serviceReferral.case_id) };
}
