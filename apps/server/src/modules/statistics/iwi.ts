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
  annexApprovalInForce,
  approvalInForce,
  childrenByIwi,
  childrenWithIwi,
  eligiblePeople,
  eligiblePerson,
  findApproval,
  insertAnnexApproval,
  insertApproval,
  latestGrantInForce,
  listAnnexApprovals,
  listApprovals,
  markApprovalRevoked,
  referralsByIwi,
  withdrawAnnexApprovals,
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

/**
 * What this person may do with iwi-level statistics: govern them (the group), or view them until
 * the end of an approval in force. Tells the web app whether to show the link; no figures, not audited.
 */
export async function iwiAccess(
  ctx: AppContext,
  auth: AuthContext,
): Promise<{ govern: boolean; view: boolean; until: string | null }> {
  if (auth.permissions.has('statistics.iwi_govern')) return { govern: true, view: true, until: null };
  const grant = await latestGrantInForce(ctx.db, auth.userId, ctx.today());
  return { govern: false, view: grant !== undefined, until: grant?.expires_on ?? null };
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
  const report = await iwiTables(ctx, period);
  await recordAudit(ctx.db, actor, {
    action: 'statistics.iwi_viewed',
    subjectType: 'user',
    subjectId: auth.userId,
    details: { from: period.from, to: period.to },
  });
  return report;
}

/** The iwi tables of a standard period, published (rounded and suppressed); no access check. */
async function iwiTables(ctx: AppContext, period: Period): Promise<IwiReport> {
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

// ---------------------------------------------------------------------------------------------
// What is released about iwi: the iwi annex of a quarterly bulletin, only with the group's approval.

const QUARTER = /^(\d{4})Q([1-4])$/;

function quarterDates(quarter: string): Period {
  const m = QUARTER.exec(quarter);
  if (!m)
    throw new HttpError(400, 'bad_quarter', 'A quarter is written like 2026Q3.', [
      { path: 'quarter', message: 'Written like 2026Q3' },
    ]);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const first = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(year, first + 2, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${pad(last)}` };
}

export interface IwiAnnexView {
  id: string;
  quarter: string;
  approvedBy: string;
  approvedAt: string;
  withdrawnAt: string | null;
  active: boolean;
}

/** The group's view: every annex approval, in force or withdrawn, latest first. */
export async function listIwiAnnexes(ctx: AppContext): Promise<{ annexes: IwiAnnexView[] }> {
  const rows = await listAnnexApprovals(ctx.db);
  const iso = (t: unknown) => (t instanceof Date ? t.toISOString() : String(t));
  return {
    annexes: rows.map((r) => ({
      id: r.id,
      quarter: r.quarter,
      approvedBy: r.display_name,
      approvedAt: iso(r.approved_at),
      withdrawnAt: r.withdrawn_at === null ? null : iso(r.withdrawn_at),
      active: r.withdrawn_at === null,
    })),
  };
}

/** The group approves the iwi annex of a quarter's bulletin for release; once per quarter in force. */
export async function approveIwiAnnex(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  quarter: string,
): Promise<{ id: string }> {
  quarterDates(quarter);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await annexApprovalInForce(trx, quarter);
    if (current)
      throw new HttpError(409, 'already_approved', 'The iwi annex of this quarter is already approved.');
    const row = await insertAnnexApproval(trx, quarter, auth.userId);
    await recordAudit(trx, actor, {
      action: 'statistics.iwi_annex_approved',
      subjectType: 'user',
      subjectId: auth.userId,
      details: { quarter, approval: row.id },
    });
    return { id: row.id };
  });
}

/** The group withdraws its approval: the quarter's bulletin is built without the iwi annex again. */
export async function withdrawIwiAnnex(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  quarter: string,
): Promise<{ quarter: string; withdrawn: true }> {
  quarterDates(quarter);
  await ctx.db.transaction().execute(async (trx) => {
    const rows = await withdrawAnnexApprovals(trx, quarter, auth.userId);
    for (const row of rows)
      await recordAudit(trx, actor, {
        action: 'statistics.iwi_annex_withdrawn',
        subjectType: 'user',
        subjectId: auth.userId,
        details: { quarter, approval: row.id },
      });
  });
  return { quarter, withdrawn: true as const };
}

const isPublishedZero = (v: PublishedValue | undefined) => v !== undefined && !v.suppressed && v.value === 0;

/** A table without the rows that are a published zero (there are well over a hundred iwi). */
function withoutZeroRows(table: PublishedTable): PublishedTable {
  const keep = table.rows.categories.map((_, i) => !isPublishedZero(table.body[i]?.[0]));
  return {
    ...table,
    rows: { ...table.rows, categories: table.rows.categories.filter((_, i) => keep[i]) },
    body: table.body.filter((_, i) => keep[i]),
    rowTotals: table.rowTotals ? table.rowTotals.filter((_, i) => keep[i]) : null,
  };
}

/**
 * The iwi annex of a quarter's bulletin: present only while the Māori data governance group's
 * approval for that quarter is in force; otherwise null and the bulletin says nothing about iwi.
 */
export async function iwiAnnex(
  ctx: AppContext,
  quarter: string,
): Promise<{ id: string; heading: string; paragraphs: string[]; tables: IwiReport['tables'] } | null> {
  const approval = await annexApprovalInForce(ctx.db, quarter);
  if (!approval) return null;
  const report = await iwiTables(ctx, quarterDates(quarter));
  const withIwi = report.childrenWithIwi;
  return {
    id: 'iwi',
    heading: 'Iwi (released with the approval of the Māori data governance group)',
    paragraphs: [
      'Data about iwi is a taonga of the iwi. This annex is released because the Māori data governance group approved it for this quarter; without that approval the bulletin carries no iwi figures.',
      `Children with an iwi recorded: ${withIwi.suppressed ? 'a suppressed number' : withIwi.value.toLocaleString('en-NZ')}. Referrals and children are counted under every iwi recorded for the child (total response), so the rows do not add up to a total. Iwi not listed had no referrals in the quarter.`,
    ],
    tables: report.tables.map((t) => ({ ...t, table: withoutZeroRows(t.table) })),
  };
}
