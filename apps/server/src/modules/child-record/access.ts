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
  via: 'case_team' | 'oversight' | 'break_glass';
  expiresAt: Date | null;
}

/**
 * The rule, as rows `(case_id, via, expires_at)` of every case the user may read. The user's role
 * must let them read cases, and either
 * - their organisation is on the case team as a partner (Police, health, an NGO…), or
 * - their organisation owns the case (the national lead agency) and they are a member of the
 *   case team or a decision maker: the lead agency is large, so its staff see only their cases;
 * - they supervise (`cases.oversee`) and their organisation leads the case or is on its team:
 *   read-only oversight, which changes nothing (`requireAccess` refuses writes with 403);
 * - or they hold an unexpired break-glass grant for it.
 */
function caseGrants(auth: AuthContext) {
  const reads = auth.permissions.has('cases.read') && Boolean(auth.userId);
  const decides = auth.permissions.has('decisions.make');
  const oversees = reads && auth.permissions.has('cases.oversee');
  const userId = auth.userId || null;
  return sql<{ case_id: string; via: CaseAccess['via']; expires_at: Date | null }>`(
    SELECT co.case_id, 'case_team' AS via, NULL::timestamptz AS expires_at FROM case_organisation co
    WHERE ${reads} AND co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
      AND (NOT co.is_owner OR ${decides} OR EXISTS (
        SELECT 1 FROM case_member m
        WHERE m.case_id = co.case_id AND m.user_id = ${userId} AND m.removed_at IS NULL))
    UNION ALL
    SELECT co.case_id, 'oversight' AS via, NULL::timestamptz AS expires_at FROM case_organisation co
    WHERE ${oversees} AND co.organisation_id = ${auth.organisation.id} AND co.removed_at IS NULL
    UNION ALL
    SELECT bg.case_id, 'break_glass' AS via, bg.expires_at FROM break_glass bg
    WHERE ${reads} AND bg.user_id = ${userId} AND bg.expires_at > now()
  )`;
}

/**
 * The same rule as `caseGrants`, as a condition on one row of a list: true when the user may read
 * the case whose id is in `caseIdColumn` (`where(readableCase(auth, 'k.id'))`). Lists use this form,
 * not `id IN (every readable case)` de-duplicated by a UNION: PostgreSQL cannot see into a UNION (it
 * guesses 200 rows), so it started from the gate, looked up every readable case (25,000 for a
 * lead-agency decision maker at 100,000 referrals) and sorted them for a page of 25. The rule is
 * written in one of two shapes, chosen by what the role can see (the authorisation matrix, the
 * need-to-know and list tests hold both to the same answers as `caseGrants`):
 *
 * - Organisation-wide (a decision maker or a supervisor, whose organisation's cases can be tens of
 *   thousands): a per-row probe, `EXISTS (case_organisation … UNION ALL break_glass …)`, each
 *   branch an index look-up of this one case (0036: `case_organisation_live_idx`, index-only). An
 *   `EXISTS` over a `UNION ALL` is never hashed, so the planner walks the list's sorted index and
 *   stops at the page (25 probes) instead of hashing all the organisation's cases first
 *   (`EXISTS … OR …` was hashed: 10–40 ms a query, twice a page with its count).
 * - Otherwise (a caseworker and other team members, a partner organisation): the few cases the
 *   person's grants name, as a semi-join the planner can start from: `id IN (partner cases UNION
 *   ALL cases I am a member of UNION ALL my break-glass grants)`, each an index range
 *   (0036: `case_organisation_partner_idx`; `case_member_user_idx`; `break_glass_active_idx`),
 *   estimated as the sum of its parts. A member of the team sees the case only while their
 *   organisation is on it, checked per row by the same probe as above: with P ⇒ C,
 *   `P ∨ (M ∧ C) ∨ B` = `(P ∨ M ∨ B) ∧ (C ∨ B)` (P partner, M member, C organisation on the case,
 *   B break-glass). The caseworker on 820 cases counted them by checking each of 24,871 cases
 *   against hashed grants; now from their 820 grants.
 *
 * `rows: 'all'` is for a query that checks every row its other conditions match (a list's count).
 */
export function readableCase(auth: AuthContext, caseIdColumn: string, rows: 'page' | 'all' = 'page') {
  const reads = auth.permissions.has('cases.read') && Boolean(auth.userId);
  if (!reads) return sql<boolean>`false`;
  const decides = auth.permissions.has('decisions.make');
  const oversees = auth.permissions.has('cases.oversee');
  const caseId = sql.ref(caseIdColumn);
  const organisationId = auth.organisation.id;
  // The organisation is on this case (C), or the person holds a live break-glass grant for it (B).
  const organisationOrBreakGlass = sql<boolean>`EXISTS (
    SELECT 1 FROM case_organisation co
      WHERE co.case_id = ${caseId} AND co.organisation_id = ${organisationId} AND co.removed_at IS NULL
    UNION ALL
    SELECT 1 FROM break_glass bg
      WHERE bg.case_id = ${caseId} AND bg.user_id = ${auth.userId} AND bg.expires_at > now())`;
  // A decision maker or supervisor sees every case their organisation is on (the owner's too).
  // To count every row a list's filters match (`rows: 'all'`), the same rule as an `EXISTS … OR
  // IN …` that the planner may hash once (the organisation's cases) or probe per row, whichever
  // its estimate of the rows to check says: a capped count over 10,001 of 24,871 cases took ~40 ms
  // hashed and ~70 ms probed on a loaded machine, while a filtered count of 72 is cheaper probed.
  if ((decides || oversees) && rows === 'all')
    return sql<boolean>`(EXISTS (SELECT 1 FROM case_organisation co
      WHERE co.case_id = ${caseId} AND co.organisation_id = ${organisationId} AND co.removed_at IS NULL)
      OR ${caseId} IN (SELECT bg.case_id FROM break_glass bg
        WHERE bg.user_id = ${auth.userId} AND bg.expires_at > now()))`;
  if (decides || oversees) return organisationOrBreakGlass;
  return sql<boolean>`(${caseId} IN (
    SELECT co.case_id FROM case_organisation co
      WHERE co.organisation_id = ${organisationId} AND co.removed_at IS NULL AND NOT co.is_owner
    UNION ALL
    SELECT m.case_id FROM case_member m WHERE m.user_id = ${auth.userId} AND m.removed_at IS NULL
    UNION ALL
    SELECT bg.case_id FROM break_glass bg WHERE bg.user_id = ${auth.userId} AND bg.expires_at > now())
    AND ${organisationOrBreakGlass})`;
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
  const { rows } = await sql<{ case_id: string; via: CaseAccess['via']; expires_at: Date | null }>`
    SELECT g.case_id, g.via, g.expires_at FROM ${caseGrants(auth)} g
    WHERE g.case_id IN (${sql.join(wanted)})`.execute(db);
  for (const row of rows) {
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

/** How a person may read a referral (referralAccess), or null when they may not. */
export type ReferralAccess = 'submitter' | 'triage' | CaseAccess['via'];

/**
 * The rule of `referralAccess` as one SQL expression over a referral aliased `r`: how the user may
 * read it, or NULL. For a read whose access check, row and audit entry are one statement
 * (referrals/queries.ts readReferralAudited); the referral tests cover both forms.
 */
export function referralAccessSql(auth: AuthContext) {
  const submitter = auth.permissions.has('referrals.read_own');
  const triage = auth.permissions.has('referrals.triage') && auth.organisation.kind === 'lead_agency';
  // The team's own access wins over break-glass, as in caseAccessTo.
  return sql<ReferralAccess | null>`CASE
    WHEN ${submitter} AND r.organisation_id = ${auth.organisation.id} THEN 'submitter'
    WHEN ${triage} AND r.status IN ('submitted', 'in_triage') THEN 'triage'
    ELSE (SELECT g.via FROM ${caseGrants(auth)} g WHERE g.case_id = r.case_id
          ORDER BY g.via = 'case_team' DESC LIMIT 1)
  END`;
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
