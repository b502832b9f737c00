import { randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import {
  addCalendarDays,
  DUE_SOON_WORKING_DAYS,
  endOfWeek,
  REGION_CODES,
  workingDaysBetween,
  type DeadlineBoardQuery,
  type Page,
  deadlineState,
  DECISION_LIFECYCLE,
  decisionThatFollows,
  holidaysBetween,
  reconsiderationOpenUntil,
  type Decision,
  type DecisionKind,
  type DecisionOutcome,
  type DeadlineItem,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { DecisionTable, Schema } from '../../db/schema.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  appendCaseEvent,
  caseAccessFor,
  readableCase,
  requireAccess,
  peopleById,
  refOf,
  seal,
  unknownOrganisation,
  unknownPerson,
  unseal,
} from '../child-record/index.ts';
import { DECISION_WORDS, notifyAssigned } from '../notifications/index.ts';
import { requireColleagueWith } from '../organisations/index.ts';
import {
  decisionColumns,
  decisionRows,
  decisionWithCase,
  deadlineBoardPage,
  existingDecisionColumns,
  insertDecision,
  panelEligible,
  panelSeat,
  panelViews,
  reconsiderationOf,
  recordView,
  setPanel,
  updateDecision,
} from './queries.ts';

type DecisionRow = Selectable<DecisionTable>;

/** Decisions of a set of cases, with panels, ready to present. */
export async function decisionsForCases(
  ctx: AppContext,
  caseIds: string[],
): Promise<Map<string, Decision[]>> {
  const result = new Map<string, Decision[]>();
  if (caseIds.length === 0) return result;
  const today = ctx.today();
  const rows = await decisionRows(ctx.db, caseIds);
  const person = (id: string | null, name: string | null) =>
    id === null ? null : name === null ? unknownPerson(id) : { id, displayName: name };
  for (const row of rows) {
    const decision: Decision = {
      id: row.id,
      caseId: row.case_id,
      kind: row.kind as Decision['kind'],
      status: row.status as Decision['status'],
      startsOn: row.starts_on,
      earliestOn: row.earliest_on,
      // The same test `decide` applies: before the earliest day, recording it is refused.
      opensLater: row.status === 'pending' && row.earliest_on !== null && today < row.earliest_on,
      dueOn: row.due_on,
      holidaysInPeriod: holidaysBetween(row.starts_on, row.due_on, row.region),
      assignee: person(row.assigned_to_user_id, row.assignee_name),
      byPanel: row.by_panel,
      panel: row.panel.map((m) => ({
        user: person(m.user_id, m.display_name) ?? unknownPerson(m.user_id),
        organisation:
          m.organisation_name === null || m.organisation_kind === null
            ? unknownOrganisation(m.organisation_id)
            : { id: m.organisation_id, name: m.organisation_name, kind: m.organisation_kind },
        view: m.view as DecisionOutcome | null,
        comment: unseal(ctx.keyring, 'panel_member', 'comment_enc', m.id, m.comment_enc),
        recordedAt: m.viewed_at === null ? null : new Date(m.viewed_at).toISOString(),
      })),
      outcome: row.outcome as DecisionOutcome | null,
      rationale: unseal(ctx.keyring, 'decision', 'rationale_enc', row.id, row.rationale_enc),
      evidence: unseal(ctx.keyring, 'decision', 'evidence_enc', row.id, row.evidence_enc),
      decidedBy: person(row.decided_by_user_id, row.decider_name),
      decidedOn: row.decided_on,
      reconsidersId: row.reconsiders_id,
      grounds: unseal(ctx.keyring, 'decision', 'grounds_enc', row.id, row.grounds_enc),
      reconsiderationOpenUntil: reconsiderationOpenUntil(
        {
          kind: row.kind as DecisionKind,
          outcome: row.outcome as DecisionOutcome | null,
          decidedOn: row.decided_on,
        },
        ctx.config.workflow,
      ),
      version: row.version,
    };
    result.set(row.case_id, [...(result.get(row.case_id) ?? []), decision]);
  }
  return result;
}

/** Loads a decision the caller may act on: their case access first, else 404. */
async function decisionFor(db: Db, auth: AuthContext, id: string) {
  const row = await decisionWithCase(db, id);
  if (!row) throw notFound('The decision');
  await requireAccess(db, auth, 'cases.read', row.case_id).catch(() => {
    throw notFound('The decision');
  });
  return row;
}

function requireDecisionMaker(auth: AuthContext): void {
  if (!auth.permissions.has('decisions.make'))
    throw new HttpError(403, 'forbidden', 'Only decision makers can do this.');
}

function requirePending(row: DecisionRow): void {
  if (row.status !== 'pending')
    throw new HttpError(
      409,
      'already_decided',
      'This decision has already been made. Reload the case to see the outcome.',
    );
}

/** The conclusive-grounds decision that follows a positive reasonable-grounds one. */
async function createConclusiveGroundsDecision(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  caseId: string,
  region: string,
  startsOn: string,
): Promise<void> {
  const { earliestOn, dueOn } = DECISION_LIFECYCLE.conclusive_grounds.period(
    startsOn,
    region,
    ctx.config.workflow,
  );
  const id = randomUUID();
  await insertDecision(trx, {
    id,
    case_id: caseId,
    kind: 'conclusive_grounds',
    starts_on: startsOn,
    earliest_on: earliestOn,
    due_on: dueOn,
  });
  await appendCaseEvent(trx, actor, caseId, 'decision.due', id, {
    kind: 'conclusive_grounds',
    earliestOn,
    dueOn,
  });
}

export async function decide(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  input: { outcome: DecisionOutcome; rationale: string; evidence: string; version: number },
): Promise<void> {
  requireDecisionMaker(auth);
  const row = await decisionFor(ctx.db, auth, id);
  const today = ctx.today();
  requirePending(row);
  if (row.case_status !== 'open')
    throw new HttpError(409, 'case_closed', 'The case is closed. Reopen it before deciding.');
  if (row.earliest_on && today < row.earliest_on) {
    throw new HttpError(
      422,
      'too_early',
      `A conclusive-grounds decision can be made from ${row.earliest_on}, when the recovery period ends.`,
    );
  }
  if (row.reconsiders_id) {
    const first = await decisionColumns(ctx.db, row.reconsiders_id, ['decided_by_user_id']);
    if (first?.decided_by_user_id === auth.userId)
      throw new HttpError(
        422,
        'same_decision_maker',
        'A reconsideration must be decided by someone other than the person who made the first decision.',
      );
  }
  const panel = row.by_panel ? await panelViews(ctx.db, id) : [];
  const participants = panel.filter((m) => m.view !== null).map((m) => m.user_id);
  if (row.by_panel && participants.length < 2)
    throw new HttpError(
      422,
      'panel_incomplete',
      'At least two panel members must record their view before the panel’s decision is recorded.',
    );

  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'decision', id, input.version, 'The decision');
    // Re-check inside the transaction: the version claim serialises two deciders.
    const current = await existingDecisionColumns(trx, id, ['status']);
    if (current.status !== 'pending') requirePending({ ...row, status: current.status });
    await updateDecision(trx, id, {
      status: 'made',
      outcome: input.outcome,
      rationale_enc: seal(ctx.keyring, 'decision', 'rationale_enc', id, input.rationale),
      evidence_enc: seal(ctx.keyring, 'decision', 'evidence_enc', id, input.evidence),
      decided_by_user_id: auth.userId,
      decided_on: today,
      decided_at: new Date(),
    });
    // What follows: a positive reasonable-grounds decision (first time or on reconsideration)
    // starts the recovery period before the conclusive-grounds decision.
    let reconsideredKind: string | null = null;
    if (row.reconsiders_id) {
      const original = await existingDecisionColumns(trx, row.reconsiders_id, ['kind']);
      reconsideredKind = original.kind;
    }
    const follows = decisionThatFollows(
      row.kind as DecisionKind,
      input.outcome,
      reconsideredKind as DecisionKind | null,
    );
    if (follows === 'conclusive_grounds')
      await createConclusiveGroundsDecision(ctx, trx, actor, row.case_id, row.region, today);
    await appendCaseEvent(trx, actor, row.case_id, 'decision.made', id, {
      kind: row.kind,
      outcome: input.outcome,
      byPanel: row.by_panel,
      panel: participants,
    });
    await recordAudit(trx, actor, {
      action: 'decision.made',
      subjectType: 'case',
      subjectId: row.case_id,
      details: { decisionId: id, kind: row.kind, outcome: input.outcome, panel: participants },
    });
  });
}

export async function convenePanel(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  memberIds: string[],
  version: number,
): Promise<void> {
  requireDecisionMaker(auth);
  const row = await decisionFor(ctx.db, auth, id);
  requirePending(row);
  const ids = [...new Set(memberIds)];
  // Each member must be able to read cases, and their organisation must be on the case team
  // (added with a lawful basis), so convening a panel never shares the child's details silently.
  const members = await panelEligible(ctx.db, row.case_id, ids);
  if (members.length !== ids.length) {
    throw new HttpError(
      400,
      'invalid_panel',
      'Each panel member must work for an organisation on the case team and be able to read cases. Add their organisation to the team first.',
      [
        {
          path: 'memberIds',
          message: `${ids.length - members.length} of the people chosen cannot join this panel`,
        },
      ],
    );
  }
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'decision', id, version, 'The decision');
    await setPanel(trx, id, members);
    await appendCaseEvent(trx, actor, row.case_id, 'panel.convened', id, {
      kind: row.kind,
      members: members.map((m) => m.id),
    });
    await recordAudit(trx, actor, {
      action: 'panel.convened',
      subjectType: 'case',
      subjectId: row.case_id,
      details: { decisionId: id, members: members.map((m) => m.id) },
    });
  });
}

/** A panel member's own view; only members of a pending panel may record one. */
export async function recordPanelView(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  input: { view: DecisionOutcome; comment: string },
): Promise<void> {
  const row = await decisionFor(ctx.db, auth, id);
  const member = await panelSeat(ctx.db, id, auth.userId);
  if (!member) throw notFound('The panel');
  requirePending(row);
  await ctx.db.transaction().execute(async (trx) => {
    await recordView(trx, member.id, {
      view: input.view,
      comment_enc: seal(ctx.keyring, 'panel_member', 'comment_enc', member.id, input.comment),
      viewed_at: new Date(),
    });
    await recordAudit(trx, actor, {
      action: 'panel.view_recorded',
      subjectType: 'case',
      subjectId: row.case_id,
      details: { decisionId: id, view: input.view },
    });
  });
}

export async function requestReconsideration(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  grounds: string,
): Promise<{ decisionId: string }> {
  const row = await decisionFor(ctx.db, auth, id);
  // The case team itself (break-glass access is read-only), or a decision maker.
  const onTeam = (await caseAccessFor(ctx.db, auth, row.case_id))?.via === 'case_team';
  if (!(onTeam && auth.permissions.has('cases.manage')) && !auth.permissions.has('decisions.make'))
    throw new HttpError(
      403,
      'forbidden',
      'Only the case team or a decision maker can request a reconsideration.',
    );
  const lastDay =
    row.status === 'made'
      ? reconsiderationOpenUntil(
          {
            kind: row.kind as DecisionKind,
            outcome: row.outcome as DecisionOutcome | null,
            decidedOn: row.decided_on,
          },
          ctx.config.workflow,
        )
      : null;
  if (!lastDay)
    throw new HttpError(
      422,
      'not_reconsiderable',
      'Only a negative reasonable- or conclusive-grounds decision can be reconsidered.',
    );
  const today = ctx.today();
  if (today > lastDay)
    throw new HttpError(
      422,
      'reconsideration_window_closed',
      `A reconsideration had to be requested by ${lastDay}, ${ctx.config.workflow.reconsiderationWindowDays} days after the decision.`,
    );
  const decisionId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await reconsiderationOf(trx, id);
    if (existing)
      throw new HttpError(
        409,
        'already_requested',
        'A reconsideration of this decision has already been requested.',
      );
    await insertDecision(trx, {
      id: decisionId,
      case_id: row.case_id,
      kind: 'reconsideration',
      reconsiders_id: id,
      grounds_enc: seal(ctx.keyring, 'decision', 'grounds_enc', decisionId, grounds),
      requested_by_user_id: auth.userId,
      starts_on: today,
      due_on: DECISION_LIFECYCLE.reconsideration.period(today, row.region, ctx.config.workflow).dueOn,
    });
    await appendCaseEvent(trx, actor, row.case_id, 'reconsideration.requested', decisionId, {
      reconsiders: id,
      kind: row.kind,
    });
    await recordAudit(trx, actor, {
      action: 'reconsideration.requested',
      subjectType: 'case',
      subjectId: row.case_id,
      details: { decisionId, reconsiders: id },
    });
  });
  return { decisionId };
}

export async function assignDecision(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  assigneeId: string | null,
  version: number,
): Promise<void> {
  requireDecisionMaker(auth);
  const row = await decisionFor(ctx.db, auth, id);
  requirePending(row);
  if (assigneeId)
    await requireColleagueWith(
      ctx.db,
      row.owner_organisation_id,
      assigneeId,
      'decisions.make',
      'a decision maker',
    );
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'decision', id, version, 'The decision');
    await updateDecision(trx, id, { assigned_to_user_id: assigneeId });
    await recordAudit(trx, actor, {
      action: 'decision.assigned',
      subjectType: 'case',
      subjectId: row.case_id,
      details: { decisionId: id, assigneeId },
    });
    if (assigneeId)
      await notifyAssigned(ctx, trx, {
        userIds: [assigneeId],
        byUserId: auth.userId,
        kind: 'decision.assigned',
        subjectType: 'decision',
        subjectId: id,
        message: `${DECISION_WORDS[row.kind] ?? 'An identification decision'} for ${row.reference} has been assigned to you: it is due on ${row.due_on}.`,
        link: `/cases/${row.case_id}`,
        occasion: String(version + 1),
      });
  });
}

/**
 * The last due date that is still "due soon" from today in each region (at most
 * DUE_SOON_WORKING_DAYS working days left, on that region's calendar), for filtering in SQL.
 */
function dueSoonUntil(today: string): { region: string | null; until: string }[] {
  return [...REGION_CODES, null].map((region) => {
    let until = today;
    for (let day = 1; day <= 14; day += 1) {
      const date = addCalendarDays(today, day);
      if (workingDaysBetween(today, date, region) > DUE_SOON_WORKING_DAYS) break;
      until = date;
    }
    return { region, until };
  });
}

/**
 * Pending decisions on the cases the caller may read, a page at a time: the most urgent first
 * (by due date) unless sorted otherwise; by state (due soon, overdue), mine, due this week,
 * decision maker and part of a case reference.
 */
export async function deadlineBoard(
  ctx: AppContext,
  auth: AuthContext,
  query: DeadlineBoardQuery,
): Promise<Page<DeadlineItem>> {
  const today = ctx.today();
  const { rows, ...page } = await deadlineBoardPage(ctx.db, {
    query,
    readable: readableCase(auth, 'd.case_id'),
    userId: auth.userId,
    today,
    weekEnds: endOfWeek(today),
    dueSoon: query.view === 'due_soon' ? dueSoonUntil(today) : [],
  });
  const people = await peopleById(
    ctx.db,
    rows.map((r) => r.assigned_to_user_id),
  );
  const items = rows.map((r) => {
    const { state, workingDaysLeft } = deadlineState(today, {
      earliestOn: r.earliest_on,
      dueOn: r.due_on,
      region: r.region,
    });
    return {
      decisionId: r.id,
      caseId: r.case_id,
      caseReference: r.reference,
      kind: r.kind as DeadlineItem['kind'],
      region: r.region,
      earliestOn: r.earliest_on,
      dueOn: r.due_on,
      workingDaysLeft,
      state,
      assignee: refOf(people, r.assigned_to_user_id, unknownPerson),
    };
  });
  return { items, ...page };
}
