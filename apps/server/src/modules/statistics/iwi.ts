// Iwi-level statistics (issue 15, Te Tiriti o Waitangi and Māori data sovereignty).
//
// Data about iwi belongs to iwi: the Māori data governance group (role maori_data_governance,
// permission statistics.iwi_govern) decides who may see iwi-level figures. Everyone else with
// statistics access sees none: the route answers 403 and no table, CSV, bulletin or pack breaks
// figures down by iwi. An approval names a person, a purpose and an end date, can be withdrawn at
// any time, and every approval, withdrawal and view is audited; the group sees each approval with
// how many times it has been used. The figures themselves are protected like every published
// count: rounded by cell key (RR3), counts under 6 suppressed, zeros suppressed in a table adding
// to fewer than 20.
import { protectTable, type PublishedTable, type PublishedValue } from '@tiaki/disclosure';
import { addCalendarDays, CURRENT_TAXONOMY, isResidualIwi, ROLE_PERMISSIONS, type Role } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { withFacts, type Period } from './facts.ts';
import { requireStandardPeriod } from './periods.ts';
import {
  approvalInForce,
  childrenByIwi,
  childrenWithIwi,
  eligiblePeople,
  eligiblePerson,
  findApproval,
  insertApproval,
  listApprovals,
  markApprovalRevoked,
  referralsByIwi,
} from './queries/iwi.ts';
import { disclosureOptions, keySalt } from './tables.ts';

/** The iwi of the classification (4-digit codes), without the groupings and residual codes. */
export const IWI_CODES: readonly string[] = CURRENT_TAXONOMY.iwi
  .filter((i) => i.region !== null && !isResidualIwi(i.code))
  .map((i) => i.code);

/** The longest an approval may run: a year, then the group decides again. */
export const MAX_GRANT_DAYS = 366;

const FORBIDDEN_MESSAGE =
  'Iwi-level statistics are seen only by the Māori data governance group and the people it approves. Ask the group for an approval, stating your purpose.';

/** Whether this person may see iwi-level figures today: the governance group, or an approval in force. */
export async function mayViewIwi(ctx: AppContext, auth: AuthContext): Promise<boolean> {
  if (auth.permissions.has('statistics.iwi_govern')) return true;
  return (await approvalInForce(ctx.db, auth.userId, ctx.today())) !== undefined;
}

export interface IwiReport {
  from: string;
  to: string;
  /** Children with at least one iwi recorded (each child once). */
  childrenWithIwi: PublishedValue;
  /** Referrals and children by iwi: total response (a child affiliated to two iwi counts in each). */
  tables: { name: string; title: string; table: PublishedTable }[];
}

/** Iwi-level tables for a standard period (national only), for people allowed to see them; audited. */
export async function iwiStatistics(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  period: Period,
): Promise<IwiReport> {
  if (!(await mayViewIwi(ctx, auth))) throw new HttpError(403, 'forbidden', FORBIDDEN_MESSAGE);
  requireStandardPeriod(period);
  const { from, to } = period;
  const salt = keySalt(ctx);
  const { referrals, children, any } = await withFacts(ctx, async (trx) => ({
    referrals: await referralsByIwi(trx, period, salt),
    children: await childrenByIwi(trx, period, salt),
    any: await childrenWithIwi(trx, period, salt),
  }));
  const options = disclosureOptions(ctx);
  const fixed = { from, to, area: 'all' };
  const table = (measure: string, rows: { r: string; n: number; k: number }[]) =>
    protectTable(
      {
        measure,
        fixed,
        rows: { name: 'iwi', categories: IWI_CODES },
        cells: rows
          .filter((row) => IWI_CODES.includes(row.r))
          .map((row) => ({ labels: { iwi: row.r }, count: row.n, key: row.k })),
        // Total response: a child of two iwi is in both rows, so the rows add to no published figure.
        totals: false,
      },
      options,
    );
  const anyTable = protectTable(
    {
      measure: 'children with iwi recorded',
      fixed,
      rows: { name: 'headline', categories: ['all'] },
      cells: [{ labels: { headline: 'all' }, count: any.n, key: any.k }],
      totals: false,
    },
    options,
  );
  await recordAudit(ctx.db, actor, {
    action: 'statistics.iwi_viewed',
    subjectType: 'user',
    subjectId: auth.userId,
    details: { from, to },
  });
  return {
    from,
    to,
    childrenWithIwi: anyTable.body[0]?.[0] ?? { suppressed: true, reason: 'primary' },
    tables: [
      {
        name: 'referrals_by_iwi',
        title: 'Referrals by iwi (total response)',
        table: table('referrals by iwi', referrals),
      },
      {
        name: 'children_by_iwi',
        title: 'Children by iwi (total response)',
        table: table('children by iwi', children),
      },
    ],
  };
}

export interface IwiGrantView {
  id: string;
  userId: string;
  person: string;
  organisation: string;
  purpose: string;
  expiresOn: string;
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
  active: boolean;
  /** Views of iwi statistics by this person since the approval (from the audit log). */
  views: number;
}

/** Roles whose holders may be approved: they read published statistics but do not govern iwi data. */
const ELIGIBLE_ROLES = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter(
  (role) =>
    ROLE_PERMISSIONS[role].includes('statistics.read') &&
    !ROLE_PERMISSIONS[role].includes('statistics.iwi_govern'),
);

/** The group's view: every approval (in force or not) with its use, and who could be approved. */
export async function listIwiGrants(
  ctx: AppContext,
): Promise<{ grants: IwiGrantView[]; eligible: { userId: string; person: string; organisation: string }[] }> {
  const rows = await listApprovals(ctx.db);
  const today = ctx.today();
  const eligible = await eligiblePeople(ctx.db, ELIGIBLE_ROLES);
  const iso = (t: unknown) => (t instanceof Date ? t.toISOString() : String(t));
  return {
    grants: rows.map((g) => ({
      id: g.id,
      userId: g.user_id,
      person: g.person,
      organisation: g.organisation,
      purpose: g.purpose,
      expiresOn: g.expires_on,
      grantedBy: g.granted_by,
      grantedAt: iso(g.granted_at),
      revokedAt: g.revoked_at === null ? null : iso(g.revoked_at),
      active: g.revoked_at === null && g.expires_on >= today,
      views: Number(g.views ?? 0),
    })),
    eligible: eligible.map((u) => ({ userId: u.id, person: u.display_name, organisation: u.name })),
  };
}

/** The group approves one person to see iwi-level statistics, for a purpose, until a date. */
export async function grantIwiAccess(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: { userId: string; purpose: string; expiresOn: string },
): Promise<{ id: string }> {
  const today = ctx.today();
  if (input.expiresOn < today || input.expiresOn > addCalendarDays(today, MAX_GRANT_DAYS))
    throw new HttpError(
      400,
      'bad_date',
      `An approval ends between today and ${MAX_GRANT_DAYS} days from now.`,
      [{ path: 'expiresOn', message: `Between today and ${MAX_GRANT_DAYS} days from now` }],
    );
  return ctx.db.transaction().execute(async (trx) => {
    const person = await eligiblePerson(trx, input.userId, ELIGIBLE_ROLES);
    if (!person)
      throw new HttpError(
        400,
        'invalid_assignee',
        'Only an active person who reads published statistics can be approved.',
        [{ path: 'userId', message: 'Not someone who reads published statistics' }],
      );
    const current = await approvalInForce(trx, input.userId, today);
    if (current)
      throw new HttpError(
        409,
        'already_approved',
        'This person already has an approval in force; withdraw it first to change it.',
      );
    const row = await insertApproval(trx, {
      user_id: input.userId,
      purpose: input.purpose,
      expires_on: input.expiresOn,
      granted_by_user_id: auth.userId,
    });
    await recordAudit(trx, actor, {
      action: 'statistics.iwi_granted',
      subjectType: 'user',
      subjectId: input.userId,
      details: { grant: row.id, expiresOn: input.expiresOn },
    });
    return { id: row.id };
  });
}

/** The group withdraws an approval; withdrawing one already withdrawn changes nothing. */
export async function revokeIwiAccess(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<{ id: string; revoked: true }> {
  return ctx.db.transaction().execute(async (trx) => {
    const grant = await findApproval(trx, id);
    if (!grant) throw notFound('That approval');
    if (grant.revoked_at === null) {
      await markApprovalRevoked(trx, id, auth.userId);
      await recordAudit(trx, actor, {
        action: 'statistics.iwi_revoked',
        subjectType: 'user',
        subjectId: grant.user_id,
        details: { grant: id },
      });
    }
    return { id, revoked: true as const };
  });
}
