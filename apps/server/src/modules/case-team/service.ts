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
import { userHolds } from '../organisations/index.ts';

/**
 * The case team's work on a case: who is on the team (each organisation added with its lawful
 * basis recorded as a disclosure), the plan, notes, conferences and their actions, closing and
 * reopening. Every change needs the case team itself (see requireAccess).
 */

async function requireOpenCase(ctx: AppContext, caseId: string) {
  const row = await ctx.db
    .selectFrom('case_record')
    .select(['id', 'status', 'owner_organisation_id', 'region', 'version'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
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
  const organisation = await ctx.db
    .selectFrom('organisation')
    .select('id')
    .where('id', '=', input.organisationId)
    .executeTakeFirst();
  if (!organisation)
    throw new HttpError(400, 'unknown_organisation', 'There is no such organisation.', [
      { path: 'organisationId', message: 'Unknown organisation' },
    ]);
  const existing = await ctx.db
    .selectFrom('case_organisation')
    .select('removed_at')
    .where('case_id', '=', caseId)
    .where('organisation_id', '=', input.organisationId)
    .executeTakeFirst();
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
    await trx
      .insertInto('case_organisation')
      .values({
        case_id: caseId,
        organisation_id: input.organisationId,
        disclosure_id: disclosureId,
        added_by_user_id: auth.userId,
      })
      .onConflict((oc) =>
        oc.columns(['case_id', 'organisation_id']).doUpdateSet({
          removed_at: null,
          disclosure_id: disclosureId,
          added_by_user_id: auth.userId,
          added_at: new Date(),
        }),
      )
      .execute();
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
    const removed = await trx
      .updateTable('case_organisation')
      .set({ removed_at: new Date() })
      .where('case_id', '=', caseId)
      .where('organisation_id', '=', organisationId)
      .where('is_owner', '=', false)
      .where('removed_at', 'is', null)
      .returning('organisation_id')
      .executeTakeFirst();
    if (!removed) throw notFound('That team organisation');
    await trx
      .updateTable('case_member')
      .set({ removed_at: new Date() })
      .where('case_id', '=', caseId)
      .where('removed_at', 'is', null)
      .where('user_id', 'in', (eb) =>
        eb.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId),
      )
      .execute();
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
  const user = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', (join) =>
      join.onRef('co.organisation_id', '=', 'u.organisation_id').on('co.case_id', '=', caseId),
    )
    .select('u.id')
    .where('u.id', '=', input.userId)
    .where('u.is_active', '=', true)
    .where('co.removed_at', 'is', null)
    .executeTakeFirst();
  if (!user)
    throw new HttpError(400, 'not_on_team', 'Add the person’s organisation to the case team first.', [
      { path: 'userId', message: 'Their organisation is not on the case team' },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('case_member')
      .values({
        case_id: caseId,
        user_id: input.userId,
        team_role: input.teamRole,
        added_by_user_id: auth.userId,
      })
      .onConflict((oc) =>
        oc.columns(['case_id', 'user_id']).doUpdateSet({ removed_at: null, team_role: input.teamRole }),
      )
      .execute();
    await appendCaseEvent(trx, actor, caseId, 'team.member_added', input.userId, {
      teamRole: input.teamRole,
    });
    await recordAudit(trx, actor, {
      action: 'case.team_member_added',
      subjectType: 'case',
      subjectId: caseId,
      details: { userId: input.userId, teamRole: input.teamRole },
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
    await trx
      .insertInto('case_goal')
      .values({
        id,
        case_id: caseId,
        description_enc: seal(ctx.keyring, 'case_goal', 'description_enc', id, input.description),
        due_on: input.dueOn ?? null,
        created_by_user_id: auth.userId,
      })
      .execute();
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
  const goal = await ctx.db
    .selectFrom('case_goal')
    .select('id')
    .where('id', '=', goalId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!goal) throw notFound('The goal');
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'case_goal', goalId, input.version, 'The goal');
    await trx.updateTable('case_goal').set({ status: input.status }).where('id', '=', goalId).execute();
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
    await trx
      .insertInto('case_note')
      .values({
        id,
        case_id: caseId,
        organisation_id: auth.organisation.id,
        author_user_id: auth.userId,
        body_enc: seal(ctx.keyring, 'case_note', 'body_enc', id, body),
      })
      .execute();
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
    await trx
      .insertInto('conference')
      .values({
        id,
        case_id: caseId,
        held_on: input.heldOn,
        attendees: JSON.stringify(input.attendees),
        decisions_enc: seal(ctx.keyring, 'conference', 'decisions_enc', id, input.decisions),
        recorded_by_user_id: auth.userId,
      })
      .execute();
    for (const action of input.actions) {
      const actionId = randomUUID();
      await trx
        .insertInto('conference_action')
        .values({
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
        })
        .execute();
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
  const action = await ctx.db
    .selectFrom('conference_action')
    .select('id')
    .where('id', '=', actionId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!action) throw notFound('The action');
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'conference_action', actionId, input.version, 'The action');
    await trx
      .updateTable('conference_action')
      .set({ status: input.status, done_at: input.status === 'done' ? new Date() : null })
      .where('id', '=', actionId)
      .execute();
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
    await trx
      .updateTable('case_record')
      .set({
        status: 'closed',
        closure_reason: input.reason,
        closure_detail_enc: input.detail
          ? seal(ctx.keyring, 'case_record', 'closure_detail_enc', caseId, input.detail)
          : null,
        closed_at: new Date(),
        closed_by_user_id: auth.userId,
      })
      .where('id', '=', caseId)
      .execute();
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
    const updated = await trx
      .updateTable('case_record')
      .set({
        status: 'open',
        closure_reason: null,
        closure_detail_enc: null,
        closed_at: null,
        closed_by_user_id: null,
      })
      .where('id', '=', caseId)
      .where('status', '=', 'closed')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new HttpError(409, 'case_open', 'The case is already open.');
    const eventId = randomUUID();
    await appendCaseEvent(trx, actor, caseId, 'case.reopened', eventId, {});
    await trx
      .insertInto('case_note')
      .values({
        id: eventId,
        case_id: caseId,
        organisation_id: auth.organisation.id,
        author_user_id: auth.userId,
        body_enc: seal(ctx.keyring, 'case_note', 'body_enc', eventId, `Case reopened: ${input.reason}`),
      })
      .execute();
    await recordAudit(trx, actor, { action: 'case.reopened', subjectType: 'case', subjectId: caseId });
  });
}

/** People of the case team's organisations who can read cases: panel members and team members. */
export async function teamCandidates(ctx: AppContext, auth: AuthContext, caseId: string) {
  await requireAccess(ctx.db, auth, 'cases.read', caseId);
  const rows = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', 'co.organisation_id', 'u.organisation_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'o.id as org_id', 'o.name as org_name', 'o.kind as org_kind'])
    .where('co.case_id', '=', caseId)
    .where('co.removed_at', 'is', null)
    .where('u.is_active', '=', true)
    .where(userHolds('cases.read'))
    .orderBy('o.name')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    organisation: { id: r.org_id, name: r.org_name, kind: r.org_kind },
  }));
}
