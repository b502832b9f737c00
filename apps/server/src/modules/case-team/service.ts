import { randomUUID } from 'node:crypto';
import type { ClosureReason, ShareableField } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { ConferenceAttendee } from '../../db/schema.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  appendCaseEvent,
  organisationsById,
  recordDisclosure,
  requireAccess,
  seal,
} from '../child-record/index.ts';
import { notifyCaseAllocated } from '../notifications/index.ts';
import {
  actionOfCase,
  activeUserOfTeam,
  caseReference,
  caseState,
  goalOfCase,
  insertConference,
  insertConferenceAction,
  insertGoal,
  insertNote,
  organisationExists,
  removeOrganisationMembers,
  removeTeamOrganisationRow,
  reopenClosedCase,
  setGoalStatus,
  teamCandidateRows,
  teamOrganisation,
  updateActionRow,
  updateCaseRecord,
  upsertTeamMember,
  upsertTeamOrganisation,
} from './queries.ts';

/**
 * The case team's work on a case: who is on the team (each organisation added with its lawful
 * basis recorded as a disclosure), the plan, notes, conferences and their actions, closing and
 * reopening. Every change needs the case team itself (see requireAccess).
 */

async function requireOpenCase(ctx: AppContext, caseId: string) {
  const row = await caseState(ctx.db, caseId);
  if (row.status !== 'open') throw new HttpError(409, 'case_closed', 'The case is closed. Reopen it first.');
  return row;
}

export async function addTeamOrganisation(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: {
    organisationId: string;
    lawfulBasis: string;
    purpose: string;
    fields: ShareableField[];
    childConsulted: string;
    childView?: string | undefined;
  },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await requireOpenCase(ctx, caseId);
  const organisation = await organisationExists(ctx.db, input.organisationId);
  if (!organisation)
    throw new HttpError(400, 'unknown_organisation', 'There is no such organisation.', [
      { path: 'organisationId', message: 'Unknown organisation' },
    ]);
  const existing = await teamOrganisation(ctx.db, caseId, input.organisationId);
  if (existing && existing.removed_at === null)
    throw new HttpError(409, 'already_on_team', 'That organisation is already on the case team.');
  await ctx.db.transaction().execute(async (trx) => {
    const disclosureId = await recordDisclosure(ctx, trx, actor, {
      caseId,
      fromOrganisationId: auth.organisation.id,
      toOrganisationId: input.organisationId,
      lawfulBasis: input.lawfulBasis,
      purpose: input.purpose,
      fields: input.fields,
      childConsulted: input.childConsulted,
      childView: input.childView,
    });
    await upsertTeamOrganisation(trx, {
      caseId,
      organisationId: input.organisationId,
      disclosureId,
      addedByUserId: auth.userId,
    });
    await appendCaseEvent(trx, actor, caseId, 'team.organisation_added', input.organisationId, {
      lawfulBasis: input.lawfulBasis,
    });
  });
}

export async function removeTeamOrganisation(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  organisationId: string,
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await removeTeamOrganisationRow(trx, caseId, organisationId);
    if (!removed) throw notFound('That team organisation');
    await removeOrganisationMembers(trx, caseId, organisationId);
    await appendCaseEvent(trx, actor, caseId, 'team.organisation_removed', organisationId);
    await recordAudit(trx, actor, {
      action: 'case.team_organisation_removed',
      subjectType: 'case',
      subjectId: caseId,
      details: { organisationId },
    });
  });
}

export async function addTeamMember(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: { userId: string; teamRole: string },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await requireOpenCase(ctx, caseId);
  // A person joins through their organisation, which must already be on the team.
  const user = await activeUserOfTeam(ctx.db, caseId, input.userId);
  if (!user)
    throw new HttpError(400, 'not_on_team', 'Add the person’s organisation to the case team first.', [
      { path: 'userId', message: 'Their organisation is not on the case team' },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    await upsertTeamMember(trx, {
      caseId,
      userId: input.userId,
      teamRole: input.teamRole,
      addedByUserId: auth.userId,
    });
    await appendCaseEvent(trx, actor, caseId, 'team.member_added', input.userId, {
      teamRole: input.teamRole,
    });
    await recordAudit(trx, actor, {
      action: 'case.team_member_added',
      subjectType: 'case',
      subjectId: caseId,
      details: { userId: input.userId, teamRole: input.teamRole },
    });
    const reference = await caseReference(trx, caseId);
    await notifyCaseAllocated(ctx, trx, {
      byUserId: auth.userId,
      userId: input.userId,
      caseId,
      reference,
      teamRole: input.teamRole,
    });
  });
}

export async function addGoal(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: { description: string; dueOn?: string | undefined },
): Promise<{ id: string }> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await requireOpenCase(ctx, caseId);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertGoal(trx, {
      id,
      case_id: caseId,
      description_enc: seal(ctx.keyring, 'case_goal', 'description_enc', id, input.description),
      due_on: input.dueOn ?? null,
      created_by_user_id: auth.userId,
    });
    await appendCaseEvent(trx, actor, caseId, 'plan.goal_added', id, { dueOn: input.dueOn ?? null });
    await recordAudit(trx, actor, {
      action: 'case.goal_added',
      subjectType: 'case',
      subjectId: caseId,
      details: { goalId: id },
    });
  });
  return { id };
}

export async function updateGoal(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  goalId: string,
  input: { status: string; version: number },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const goal = await goalOfCase(ctx.db, caseId, goalId);
  if (!goal) throw notFound('The goal');
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'case_goal', goalId, input.version, 'The goal');
    await setGoalStatus(trx, goalId, input.status);
    await appendCaseEvent(trx, actor, caseId, 'plan.goal_updated', goalId, { status: input.status });
    await recordAudit(trx, actor, {
      action: 'case.goal_updated',
      subjectType: 'case',
      subjectId: caseId,
      details: { goalId, status: input.status },
    });
  });
}

export async function addNote(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  body: string,
): Promise<{ id: string }> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertNote(trx, {
      id,
      case_id: caseId,
      organisation_id: auth.organisation.id,
      author_user_id: auth.userId,
      body_enc: seal(ctx.keyring, 'case_note', 'body_enc', id, body),
    });
    await recordAudit(trx, actor, {
      action: 'case.note_added',
      subjectType: 'case',
      subjectId: caseId,
      details: { noteId: id },
    });
  });
  return { id };
}

export async function recordConference(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: {
    heldOn: string;
    attendees: ConferenceAttendee[];
    decisions: string;
    actions: {
      description: string;
      ownerOrganisationId: string;
      ownerUserId?: string | undefined;
      dueOn: string;
    }[];
  },
): Promise<{ id: string }> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await requireOpenCase(ctx, caseId);
  if (input.heldOn > ctx.today())
    throw new HttpError(400, 'validation_failed', 'A conference is recorded after it is held.', [
      { path: 'heldOn', message: 'Must not be in the future' },
    ]);
  const orgIds = new Set([
    ...input.attendees.map((a) => a.organisationId),
    ...input.actions.map((a) => a.ownerOrganisationId),
  ]);
  const known = await organisationsById(ctx.db, orgIds);
  const unknown = [...orgIds].filter((id) => !known.has(id));
  if (unknown.length)
    throw new HttpError(400, 'unknown_organisation', 'Some organisations named are not in Tiaki.', [
      { path: 'attendees', message: `${unknown.length} unknown organisation(s)` },
    ]);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertConference(trx, {
      id,
      case_id: caseId,
      held_on: input.heldOn,
      attendees: JSON.stringify(input.attendees),
      decisions_enc: seal(ctx.keyring, 'conference', 'decisions_enc', id, input.decisions),
      recorded_by_user_id: auth.userId,
    });
    for (const action of input.actions) {
      const actionId = randomUUID();
      await insertConferenceAction(trx, {
        id: actionId,
        conference_id: id,
        case_id: caseId,
        description_enc: seal(
          ctx.keyring,
          'conference_action',
          'description_enc',
          actionId,
          action.description,
        ),
        owner_organisation_id: action.ownerOrganisationId,
        owner_user_id: action.ownerUserId ?? null,
        due_on: action.dueOn,
      });
    }
    await appendCaseEvent(
      trx,
      actor,
      caseId,
      'conference.held',
      id,
      {
        heldOn: input.heldOn,
        attendees: input.attendees.length,
        actions: input.actions.length,
      },
      new Date(`${input.heldOn}T12:00:00+12:00`),
    );
    await recordAudit(trx, actor, {
      action: 'case.conference_recorded',
      subjectType: 'case',
      subjectId: caseId,
      details: { conferenceId: id },
    });
  });
  return { id };
}

export async function updateAction(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  actionId: string,
  input: { status: 'open' | 'done'; version: number },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const action = await actionOfCase(ctx.db, caseId, actionId);
  if (!action) throw notFound('The action');
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'conference_action', actionId, input.version, 'The action');
    await updateActionRow(trx, actionId, {
      status: input.status,
      done_at: input.status === 'done' ? new Date() : null,
    });
    await appendCaseEvent(trx, actor, caseId, 'conference.action_updated', actionId, {
      status: input.status,
    });
    await recordAudit(trx, actor, {
      action: 'case.action_updated',
      subjectType: 'case',
      subjectId: caseId,
      details: { actionId, status: input.status },
    });
  });
}

export async function closeCase(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: { reason: ClosureReason; detail?: string | undefined; version: number },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await requireOpenCase(ctx, caseId);
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'case_record', caseId, input.version, 'The case');
    await updateCaseRecord(trx, caseId, {
      status: 'closed',
      closure_reason: input.reason,
      closure_detail_enc: input.detail
        ? seal(ctx.keyring, 'case_record', 'closure_detail_enc', caseId, input.detail)
        : null,
      closed_at: new Date(),
      closed_by_user_id: auth.userId,
    });
    await appendCaseEvent(trx, actor, caseId, 'case.closed', caseId, { reason: input.reason });
    await recordAudit(trx, actor, {
      action: 'case.closed',
      subjectType: 'case',
      subjectId: caseId,
      details: { reason: input.reason },
    });
  });
}

export async function reopenCase(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: { reason: string; version: number },
): Promise<void> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'case_record', caseId, input.version, 'The case');
    const updated = await reopenClosedCase(trx, caseId);
    if (!updated) throw new HttpError(409, 'case_open', 'The case is already open.');
    const eventId = randomUUID();
    await appendCaseEvent(trx, actor, caseId, 'case.reopened', eventId, {});
    await insertNote(trx, {
      id: eventId,
      case_id: caseId,
      organisation_id: auth.organisation.id,
      author_user_id: auth.userId,
      body_enc: seal(ctx.keyring, 'case_note', 'body_enc', eventId, `Case reopened: ${input.reason}`),
    });
    await recordAudit(trx, actor, { action: 'case.reopened', subjectType: 'case', subjectId: caseId });
  });
}

/** People of the case team's organisations who can read cases: panel members and team members. */
export async function teamCandidates(ctx: AppContext, auth: AuthContext, caseId: string) {
  await requireAccess(ctx.db, auth, 'cases.read', caseId);
  const rows = await teamCandidateRows(ctx.db, caseId);
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    organisation: { id: r.org_id, name: r.org_name, kind: r.org_kind },
  }));
}
