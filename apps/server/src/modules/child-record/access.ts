import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';
import { caseGrantRows, type CaseAccessVia, type ReferralAccess } from './queries.ts';

/**
 * The one access gate for a child's records (need to know). Every module that reads or changes a
 * case, a referral or a service referral asks here; the case rule is written once, in SQL (this
 * module's queries.ts: `caseGrants`, `readableCase`, `referralAccessSql`), and used both for one
 * record and for lists. Whoever may not see a record is told it does not exist
 * (404), never that it is forbidden.
 */

export interface CaseAccess {
  via: CaseAccessVia;
  expiresAt: Date | null;
}

const RANK: Record<CaseAccess['via'], number> = { case_team: 3, oversight: 2, break_glass: 1 };

/** Which of these cases the user may see, and how: one query for any number of cases. */
export async function caseAccessTo(
  db: Db,
  auth: AuthContext,
  caseIds: readonly string[],
): Promise<Map<string, CaseAccess>> {
  const wanted = [...new Set(caseIds)];
  const access = new Map<string, CaseAccess>();
  if (wanted.length === 0) return access;
  for (const row of await caseGrantRows(db, auth, wanted)) {
    const known = access.get(row.case_id);
    // The team's own access wins, then a supervisor's oversight (no expiry), then break-glass;
    // of several break-glass grants, the latest expiry.
    if (known && RANK[known.via] > RANK[row.via]) continue;
    if (!known || RANK[row.via] > RANK[known.via] || (row.expires_at ?? 0) > (known.expiresAt ?? 0))
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
 * team itself and `cases.manage`: a supervisor's oversight and break-glass access are for reading
 * and change nothing (403, since the person can already see the case).
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
      access.via === 'oversight'
        ? "A supervisor's oversight is read-only. Ask the case's lead caseworker to add you to the team."
        : 'Break-glass access is read-only. Ask the case owner to add you to the team.',
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
): Promise<ReferralAccess | null> {
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
