import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  type CaseDetail,
  type CaseSummary,
  type ClosureReason,
  type Decision,
  type ShareableField,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { ConferenceAttendee } from '../../db/schema.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import type { AuthContext } from '../auth/service.ts';
import { serviceReferralsForCase, unmetNeedsForCase } from '../services/service.ts';
import { readableCaseIds, requireCaseAccess, requireCaseManager, type CaseAccess } from './access.ts';
import { decisionsForCases } from './decisions.ts';
import { mergesOf } from './merges.ts';
import { recordDisclosure } from './disclosures.ts';
import { appendCaseEvent } from './events.ts';
import {
  decryptIdentity,
  organisationsById,
  peopleById,
  refOf,
  seal,
  unknownOrganisation,
  unknownPerson,
  unseal,
} from './lookups.ts';

type Identification = CaseSummary['identification'];

/** Where identification stands: the latest decision made says it. */
export function identificationOf(decisions: readonly Decision[]): Identification {
  const made = decisions.filter((d) => d.status === 'made');
  const last = made.at(-1);
  if (!last) return 'awaiting_reasonable_grounds';
  if (last.outcome === 'negative') return 'negative';
  const kind =
    last.kind === 'reconsideration' ? decisions.find((d) => d.id === last.reconsidersId)?.kind : last.kind;
  return kind === 'conclusive_grounds' ? 'conclusive_grounds' : 'reasonable_grounds';
}

function nextDeadline(decisions: readonly Decision[]): CaseSummary['nextDeadline'] {
  const pending = decisions
    .filter((d) => d.status === 'pending')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const first = pending[0];
  return first ? { kind: first.kind, dueOn: first.dueOn } : null;
}

async function caseRows(ctx: AppContext, auth: AuthContext, filter: { id?: string; status?: string }) {
  let q = ctx.db
    .selectFrom('case_record as k')
    .innerJoin('child as c', 'c.id', 'k.child_id')
    .innerJoin('organisation as o', 'o.id', 'k.owner_organisation_id')
    .select([
      'k.id',
      'k.reference',
      'k.status',
      'k.region',
      'k.opened_at',
      'k.version',
      'k.closure_reason',
      'k.closure_detail_enc',
      'k.closed_at',
      'c.id as child_id',
      'c.age_band',
      'c.identified',
      'c.identity_enc',
      'c.gender',
      'c.ethnicities',
      'c.iwi',
      'o.id as owner_id',
      'o.name as owner_name',
      'o.kind as owner_kind',
      sql<
        string[]
      >`coalesce((SELECT array_agg(DISTINCT m) FROM referral r, unnest(r.manifestations) m WHERE r.case_id = k.id), '{}')`.as(
        'manifestations',
      ),
    ])
    .where('k.id', 'in', readableCaseIds(auth));
  if (filter.id) q = q.where('k.id', '=', filter.id);
  if (filter.status) q = q.where('k.status', '=', filter.status);
  return q.orderBy('k.opened_at', 'desc').limit(500).execute();
}

type CaseRow = Awaited<ReturnType<typeof caseRows>>[number];

function summaryOf(row: CaseRow, decisions: readonly Decision[]): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as CaseSummary['status'],
    region: row.region,
    ageBand: row.age_band,
    manifestations: row.manifestations,
    openedAt: row.opened_at.toISOString(),
    owner: { id: row.owner_id, name: row.owner_name, kind: row.owner_kind },
    // A closed case (or one merged into another) has no deadline running.
    nextDeadline: row.status === 'open' ? nextDeadline(decisions) : null,
    identification: identificationOf(decisions),
  };
}

/** Cases the caller's organisation works on (or holds break-glass access to): no names. */
export async function listCases(
  ctx: AppContext,
  auth: AuthContext,
  query: { status?: string | undefined },
): Promise<CaseSummary[]> {
  if (!auth.permissions.has('cases.read')) return [];
  const rows = await caseRows(ctx, auth, query.status ? { status: query.status } : {});
  const decisions = await decisionsForCases(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => summaryOf(row, decisions.get(row.id) ?? []));
}

/** The whole case, the child's identity included: every read is an audit event. */
export async function readCase(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<CaseDetail> {
  const access = await requireCaseAccess(ctx.db, auth, id);
  const [row] = await caseRows(ctx, auth, { id });
  if (!row) throw notFound('The case');
  const decisions = (await decisionsForCases(ctx, [id])).get(id) ?? [];
  const identity = decryptIdentity(ctx.keyring, row.child_id, row.identity_enc);

  const [referrals, teamOrgs, members, disclosures, goals, notes, conferences, actions, events] =
    await Promise.all([
      ctx.db
        .selectFrom('referral')
        .select(['id', 'reference', 'organisation_id', 'received_on', 'manifestations', 'urgent'])
        .where('case_id', '=', id)
        .orderBy('submitted_at')
        .execute(),
      ctx.db
        .selectFrom('case_organisation')
        .selectAll()
        .where('case_id', '=', id)
        .where('removed_at', 'is', null)
        .execute(),
      ctx.db
        .selectFrom('case_member as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select(['m.user_id', 'm.team_role', 'u.organisation_id'])
        .where('m.case_id', '=', id)
        .where('m.removed_at', 'is', null)
        .execute(),
      ctx.db.selectFrom('disclosure').selectAll().where('case_id', '=', id).orderBy('made_at').execute(),
      ctx.db.selectFrom('case_goal').selectAll().where('case_id', '=', id).orderBy('created_at').execute(),
      ctx.db
        .selectFrom('case_note')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('created_at', 'desc')
        .execute(),
      ctx.db
        .selectFrom('conference')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('held_on', 'desc')
        .execute(),
      ctx.db
        .selectFrom('conference_action')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('due_on')
        .execute(),
      ctx.db
        .selectFrom('case_event')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute(),
    ]);
  const attendees = conferences.flatMap((c) => c.attendees);
  const people = await peopleById(ctx.db, [
    ...members.map((m) => m.user_id),
    ...disclosures.map((d) => d.made_by_user_id),
    ...notes.map((n) => n.author_user_id),
    ...attendees.map((a) => a.userId),
    ...actions.map((a) => a.owner_user_id),
    ...events.map((e) => e.actor_user_id),
  ]);
  const organisations = await organisationsById(ctx.db, [
    ...referrals.map((r) => r.organisation_id),
    ...teamOrgs.map((t) => t.organisation_id),
    ...members.map((m) => m.organisation_id),
    ...disclosures.flatMap((d) => [d.from_organisation_id, d.to_organisation_id]),
    ...notes.map((n) => n.organisation_id),
    ...attendees.map((a) => a.organisationId),
    ...actions.map((a) => a.owner_organisation_id),
    ...events.map((e) => e.actor_organisation_id),
  ]);
  const person = (userId: string) => refOf(people, userId, unknownPerson) ?? unknownPerson(userId);
  const organisation = (orgId: string) =>
    refOf(organisations, orgId, unknownOrganisation) ?? unknownOrganisation(orgId);

  const detail: CaseDetail = {
    ...summaryOf(row, decisions),
    child: {
      identified: row.identified,
      givenNames: identity.givenNames ?? null,
      familyName: identity.familyName ?? null,
      aliases: identity.aliases,
      dateOfBirth: identity.dateOfBirth ?? null,
      ageBand: row.age_band,
      gender: row.gender,
      ethnicities: row.ethnicities,
      iwi: row.iwi,
      languages: identity.languages,
      currentLocation: identity.currentLocation ?? null,
    },
    closureReason: row.closure_reason as ClosureReason | null,
    closureDetail: unseal(ctx.keyring, 'case_record', 'closure_detail_enc', id, row.closure_detail_enc),
    closedAt: row.closed_at?.toISOString() ?? null,
    referrals: referrals.map((r) => ({
      id: r.id,
      reference: r.reference,
      organisation: organisation(r.organisation_id),
      receivedOn: r.received_on,
      manifestations: r.manifestations,
      urgent: r.urgent,
    })),
    decisions,
    team: {
      organisations: teamOrgs.map((t) => ({
        organisation: organisation(t.organisation_id),
        isOwner: t.is_owner,
        addedAt: t.added_at.toISOString(),
      })),
      members: members.map((m) => ({
        user: person(m.user_id),
        organisation: organisation(m.organisation_id),
        teamRole: m.team_role,
      })),
    },
    disclosures: disclosures.map((d) => ({
      id: d.id,
      from: organisation(d.from_organisation_id),
      to: organisation(d.to_organisation_id),
      lawfulBasis: d.lawful_basis,
      purpose: unseal(ctx.keyring, 'disclosure', 'purpose_enc', d.id, d.purpose_enc),
      fields: d.fields,
      childConsulted: d.child_consulted as CaseDetail['disclosures'][number]['childConsulted'],
      childView: unseal(ctx.keyring, 'disclosure', 'child_view_enc', d.id, d.child_view_enc),
      notForOffenceInvestigation: d.not_for_offence_investigation,
      madeBy: d.made_by_user_id ? person(d.made_by_user_id) : null,
      madeAt: d.made_at.toISOString(),
    })),
    goals: goals.map((g) => ({
      id: g.id,
      description: unseal(ctx.keyring, 'case_goal', 'description_enc', g.id, g.description_enc),
      status: g.status as CaseDetail['goals'][number]['status'],
      dueOn: g.due_on,
      version: g.version,
    })),
    notes: notes.map((n) => ({
      id: n.id,
      body: unseal(ctx.keyring, 'case_note', 'body_enc', n.id, n.body_enc),
      author: n.author_user_id ? person(n.author_user_id) : null,
      organisation: organisation(n.organisation_id),
      createdAt: n.created_at.toISOString(),
    })),
    conferences: conferences.map((c) => ({
      id: c.id,
      heldOn: c.held_on,
      attendees: c.attendees.map((a) => ({
        organisation: organisation(a.organisationId),
        user: a.userId ? person(a.userId) : null,
        role: a.role ?? null,
      })),
      decisions: unseal(ctx.keyring, 'conference', 'decisions_enc', c.id, c.decisions_enc),
      actions: actions
        .filter((a) => a.conference_id === c.id)
        .map((a) => ({
          id: a.id,
          description: unseal(ctx.keyring, 'conference_action', 'description_enc', a.id, a.description_enc),
          ownerOrganisation: organisation(a.owner_organisation_id),
          owner: a.owner_user_id ? person(a.owner_user_id) : null,
          dueOn: a.due_on,
          status: a.status as 'open' | 'done',
          version: a.version,
        })),
      recordedAt: c.recorded_at.toISOString(),
    })),
    merges: await mergesOf(ctx, id),
    serviceReferrals: await serviceReferralsForCase(ctx, id),
    unmetNeeds: await unmetNeedsForCase(ctx, id),
    timeline: events.map((e) => ({
      at: e.occurred_at.toISOString(),
      kind: e.kind,
      subjectId: e.subject_id,
      details: e.details,
      actor: e.actor_user_id ? person(e.actor_user_id) : null,
      organisation: e.actor_organisation_id ? organisation(e.actor_organisation_id) : null,
    })),
    access: { via: access.via, expiresAt: access.expiresAt?.toISOString() ?? null },
    permissions: {
      manage: auth.permissions.has('cases.manage') && access.via === 'case_team',
      decide: auth.permissions.has('decisions.make'),
    },
    version: row.version,
  };
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, actor, {
      action: 'case.viewed',
      subjectType: 'case',
      subjectId: id,
      details: {
        childId: row.child_id,
        via: access.via,
        // Break-glass reads are flagged so that a privacy officer reviews each one.
        ...(access.via === 'break_glass' ? { breakGlass: true } : {}),
      },
    }),
  );
  return detail;
}

/** Case-team writes need the team itself: break-glass access is for reading in an emergency. */
async function requireTeamManager(ctx: AppContext, auth: AuthContext, caseId: string): Promise<CaseAccess> {
  const access = await requireCaseManager(ctx.db, auth, caseId);
  if (access.via !== 'case_team')
    throw new HttpError(
      403,
      'forbidden',
      'Break-glass access is read-only. Ask the case owner to add you to the team.',
    );
  return access;
}

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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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
  await requireTeamManager(ctx, auth, caseId);
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

/** Emergency access for a lead-agency supervisor: time-limited, reasoned, and queued for review. */
export async function breakGlass(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  reason: string,
): Promise<{ expiresAt: string }> {
  if (auth.organisation.kind !== 'lead_agency')
    throw new HttpError(403, 'forbidden', 'Only lead-agency supervisors can use break-glass access.');
  const exists = await ctx.db
    .selectFrom('case_record')
    .select('id')
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!exists) throw notFound('The case');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + ctx.config.workflow.breakGlassHours * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('break_glass')
      .values({
        id,
        case_id: caseId,
        user_id: auth.userId,
        organisation_id: auth.organisation.id,
        reason_enc: seal(ctx.keyring, 'break_glass', 'reason_enc', id, reason),
        expires_at: expiresAt,
      })
      .execute();
    await recordAudit(trx, actor, {
      action: 'case.break_glass',
      subjectType: 'case',
      subjectId: caseId,
      details: { breakGlassId: id, expiresAt: expiresAt.toISOString(), flagged: true },
    });
  });
  return { expiresAt: expiresAt.toISOString() };
}

/** Break-glass by case reference: a supervisor outside the team has no other way to name the case. */
export async function breakGlassByReference(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseReference: string,
  reason: string,
): Promise<{ caseId: string; expiresAt: string }> {
  const found = await ctx.db
    .selectFrom('case_record')
    .select('id')
    .where('reference', '=', caseReference)
    .executeTakeFirst();
  if (!found) throw notFound('A case with that reference');
  return { caseId: found.id, ...(await breakGlass(ctx, auth, actor, found.id, reason)) };
}

export async function listBreakGlass(ctx: AppContext, pendingOnly: boolean) {
  let q = ctx.db
    .selectFrom('break_glass as b')
    .innerJoin('case_record as c', 'c.id', 'b.case_id')
    .selectAll('b')
    .select('c.reference');
  if (pendingOnly) q = q.where('b.reviewed_at', 'is', null);
  const rows = await q.orderBy('b.granted_at', 'desc').limit(500).execute();
  const people = await peopleById(
    ctx.db,
    rows.map((r) => r.user_id),
  );
  const organisations = await organisationsById(
    ctx.db,
    rows.map((r) => r.organisation_id),
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseReference: r.reference,
    user: refOf(people, r.user_id, unknownPerson) ?? unknownPerson(r.user_id),
    organisation:
      refOf(organisations, r.organisation_id, unknownOrganisation) ?? unknownOrganisation(r.organisation_id),
    reason: unseal(ctx.keyring, 'break_glass', 'reason_enc', r.id, r.reason_enc),
    grantedAt: r.granted_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewOutcome: r.review_outcome as 'justified' | 'not_justified' | null,
  }));
}

export async function reviewBreakGlass(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  input: { outcome: 'justified' | 'not_justified'; note?: string | undefined },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('break_glass')
      .set({
        reviewed_by_user_id: auth.userId,
        reviewed_at: new Date(),
        review_outcome: input.outcome,
        review_note_enc: input.note
          ? seal(ctx.keyring, 'break_glass', 'review_note_enc', id, input.note)
          : null,
      })
      .where('id', '=', id)
      .where('reviewed_at', 'is', null)
      .returning('case_id')
      .executeTakeFirst();
    if (!updated) throw notFound('The break-glass access to review');
    await recordAudit(trx, actor, {
      action: 'break_glass.reviewed',
      subjectType: 'case',
      subjectId: updated.case_id,
      details: { breakGlassId: id, outcome: input.outcome },
    });
  });
}
