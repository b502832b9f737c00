import {
  endOfWeek,
  type CaseDetail,
  type CaseListQuery,
  type CaseSummary,
  type ClosureReason,
  type Decision,
  type Page,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  decryptIdentity,
  peopleAndOrganisationsById,
  readableCase,
  type ChildSubRecordTable,
  refOf,
  requireAccess,
  unknownOrganisation,
  unknownPerson,
  unseal,
} from '../child-record/index.ts';
import { decisionsForCases } from '../decisions/index.ts';
import { mergesOf } from '../merges/index.ts';
import { serviceReferralsForCase, unmetNeedsForCase } from '../services/index.ts';
import { caseListPage, caseRows, caseSubRecords, type CaseRow } from './queries.ts';

type Identification = CaseSummary['identification'];

/**
 * What the case page shows of each table of a child's record (`CHILD_SUB_RECORDS`): the field of
 * the case that holds it, or why it is left out. A table added to the record without a decision
 * here does not compile; a test reads a case and checks every field named here is in it.
 */
export const CASE_READ_COVERAGE: Readonly<
  Record<ChildSubRecordTable, { field: keyof CaseDetail } | { leftOut: string }>
> = {
  child: { field: 'child' },
  referral: { field: 'referrals' },
  referral_fact: { leftOut: 'a copy of the referrals’ facts kept for statistics; the referrals are shown' },
  decision_fact: { leftOut: 'a copy of the decisions’ facts kept for statistics; the decisions are shown' },
  service_referral_fact: {
    leftOut: 'a copy of the service referrals’ facts kept for statistics; the service referrals are shown',
  },
  case_record: { field: 'status' },
  case_organisation: { field: 'team' },
  case_member: { field: 'team' },
  case_event: { field: 'timeline' },
  disclosure: { field: 'disclosures' },
  decision: { field: 'decisions' },
  panel_member: { field: 'decisions' },
  case_goal: { field: 'goals' },
  case_note: { field: 'notes' },
  conference_action: { field: 'conferences' },
  conference: { field: 'conferences' },
  service_referral: { field: 'serviceReferrals' },
  service_referral_event: { field: 'serviceReferrals' },
  service_referral_note: { field: 'serviceReferrals' },
  unmet_need: { field: 'unmetNeeds' },
  break_glass: {
    leftOut: 'grants are reviewed by privacy officers (break-glass/); the reader’s own shows as `access`',
  },
  child_link: { leftOut: 'linkage decisions belong to triage (the candidates of a referral)' },
  case_merge: { field: 'merges' },
  charge: {
    leftOut: 'charges and court outcomes load in their own section (GET /api/cases/:id/charges, justice/)',
  },
};

/** A timestamp read as text (inside a JSON aggregate) in the API's ISO form. */
const isoOf = (timestamp: string) => new Date(timestamp).toISOString();

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

/** Cases the caller's organisation works on (or holds break-glass access to), a page at a time: no names. */
export async function listCases(
  ctx: AppContext,
  auth: AuthContext,
  query: CaseListQuery,
): Promise<Page<CaseSummary>> {
  const today = ctx.today();
  const { rows, ...page } = await caseListPage(ctx.db, {
    readable: readableCase(auth, 'k.id'),
    readableToCount: readableCase(auth, 'k.id', 'all'),
    userId: auth.userId,
    today,
    weekEnds: endOfWeek(today),
    query,
  });
  const decisions = await decisionsForCases(
    ctx,
    rows.map((r) => r.id),
  );
  return { ...page, items: rows.map((row) => summaryOf(row, decisions.get(row.id) ?? [])) };
}

/** The whole case, the child's identity included: every read is an audit event. */
export async function readCase(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<CaseDetail> {
  const access = await requireAccess(ctx.db, auth, 'cases.read', id);
  // Read side by side (on PostgreSQL, each on its own connection): no access check is repeated.
  const [[row], decisionsByCase, subRecords, merges, serviceReferrals, unmetNeeds] = await Promise.all([
    caseRows(ctx.db, { checkedId: id }),
    decisionsForCases(ctx, [id]),
    caseSubRecords(ctx.db, id),
    mergesOf(ctx, id),
    serviceReferralsForCase(ctx, id),
    unmetNeedsForCase(ctx, id),
  ]);
  if (!row) throw notFound('The case');
  const decisions = decisionsByCase.get(id) ?? [];
  const identity = decryptIdentity(ctx.keyring, row.child_id, row.identity_enc);
  const { referrals, teamOrgs, members, disclosures, goals, notes, conferences, actions, events } =
    subRecords;
  const attendees = conferences.flatMap((c) => c.attendees);
  const { people, organisations } = await peopleAndOrganisationsById(
    ctx.db,
    [
      ...members.map((m) => m.user_id),
      ...disclosures.map((d) => d.made_by_user_id),
      ...notes.map((n) => n.author_user_id),
      ...attendees.map((a) => a.userId),
      ...actions.map((a) => a.owner_user_id),
      ...events.map((e) => e.actor_user_id),
    ],
    [
      ...referrals.map((r) => r.organisation_id),
      ...teamOrgs.map((t) => t.organisation_id),
      ...members.map((m) => m.organisation_id),
      ...disclosures.flatMap((d) => [d.from_organisation_id, d.to_organisation_id]),
      ...notes.map((n) => n.organisation_id),
      ...attendees.map((a) => a.organisationId),
      ...actions.map((a) => a.owner_organisation_id),
      ...events.map((e) => e.actor_organisation_id),
    ],
  );
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
        addedAt: isoOf(t.added_at),
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
      madeAt: isoOf(d.made_at),
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
      createdAt: isoOf(n.created_at),
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
      recordedAt: isoOf(c.recorded_at),
    })),
    merges,
    serviceReferrals,
    unmetNeeds,
    timeline: events.map((e) => ({
      at: isoOf(e.occurred_at),
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
  await recordAudit(ctx.db, actor, {
    action: 'case.viewed',
    subjectType: 'case',
    subjectId: id,
    details: {
      childId: row.child_id,
      via: access.via,
      // Break-glass reads are flagged so that a privacy officer reviews each one.
      ...(access.via === 'break_glass' ? { breakGlass: true } : {}),
    },
  });
  return detail;
}
