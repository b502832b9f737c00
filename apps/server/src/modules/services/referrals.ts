import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  addWorkingDays,
  endOfWeek,
  nextServiceReferralSteps,
  pageRequest,
  PROVIDER_HOLDS,
  SERVICE_REFERRAL_STEPS,
  URGENCY_WORKING_DAYS,
  type IsoDate,
  type note,
  type Page,
  type ServiceReferral,
  type ServiceReferralListQuery,
  type ServiceReferralParty,
  type ServiceReferralStatus,
  type ServiceUrgency,
  type serviceReferralInput,
  type serviceReferralTransitionInput,
  type ShareableField,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { readableCase, requireAccess, serviceReferralAccess } from '../child-record/index.ts';
import { recordDisclosure } from '../child-record/index.ts';
import { appendCaseEvent } from '../child-record/index.ts';
import {
  decryptIdentity,
  organisationsById,
  peopleById,
  refOf,
  seal,
  unknownOrganisation,
  unknownPerson,
  unseal,
} from '../child-record/index.ts';
import type { ChildIdentity } from '../child-record/index.ts';
import { caseClosed } from './directory.ts';
import {
  caseFacts,
  childIdentityEnc,
  eventsOf,
  getService,
  getServiceReferral,
  insertServiceReferral,
  insertServiceReferralEvent,
  insertServiceReferralNote,
  notesOf,
  serviceReferralPage,
  serviceReferralsOfCase,
  updateServiceReferral,
  type ServiceReferralRow,
} from './queries.ts';
import { notifyAssigned } from '../notifications/index.ts';
import { peopleWith } from '../organisations/index.ts';
import { needsIdentity, sharedChildOf } from './sharing.ts';
import { markUnmetNeedsMet, recordUnmetNeed } from './unmet-needs.ts';

type Note = z.infer<typeof note>;
type View = 'case_team' | 'provider';

const REFERRAL = 'The service referral';

/** A step's free text goes to one encrypted column: these steps take it. */
const STEPS_WITH_DETAIL: readonly ServiceReferralStatus[] = ['declined', 'withdrawn', 'completed'];

/**
 * The provider's answer deadline from today: the configured period for a routine need, shortened
 * for an urgent one (the same day) or one needed soon (two working days). A date the case team
 * chose is kept when it is sooner.
 */
export function answerDeadline(
  ctx: AppContext,
  urgency: ServiceUrgency,
  region: string,
  chosen?: IsoDate,
): IsoDate {
  const days =
    urgency === 'routine'
      ? ctx.config.workflow.serviceResponseWorkingDays
      : Math.min(URGENCY_WORKING_DAYS[urgency], ctx.config.workflow.serviceResponseWorkingDays);
  const byUrgency = addWorkingDays(ctx.today(), days, region);
  return chosen !== undefined && chosen < byUrgency ? chosen : byUrgency;
}

/** The service referral's own reference: what a provider quotes, since it never sees the case's. */
export function referenceOf(id: string): string {
  return `SR-${id.slice(0, 8).toUpperCase()}`;
}

/** How the caller stands to a referral: which view they get, and which steps' party they are. */
interface Viewer {
  view: View;
  parties: Set<ServiceReferralParty>;
  /** The case team's view is seen only through a break-glass grant: its reads are flagged. */
  breakGlass: boolean;
}

/**
 * Need to know for a service referral: the case team (case access), or the provider
 * organisation's responders once the referral has been sent. Anyone else gets null.
 */
async function viewerOf(ctx: AppContext, auth: AuthContext, row: ServiceReferralRow): Promise<Viewer | null> {
  const { provider, caseAccess } = await serviceReferralAccess(ctx.db, auth, row);
  if (!caseAccess && !provider) return null;
  const parties = new Set<ServiceReferralParty>();
  if (provider) parties.add('provider');
  // The same rule as requireCaseManager: the case team itself (never break-glass) and cases.manage.
  if (caseAccess?.via === 'case_team' && auth.permissions.has('cases.manage')) parties.add('case_team');
  return {
    view: caseAccess ? 'case_team' : 'provider',
    parties,
    breakGlass: caseAccess?.via === 'break_glass',
  };
}

async function visibleReferral(ctx: AppContext, auth: AuthContext, id: string) {
  const row = await getServiceReferral(ctx.db, id);
  const viewer = row ? await viewerOf(ctx, auth, row) : null;
  if (!row || !viewer) throw notFound(REFERRAL);
  return { row, viewer };
}

function stepsFor(status: ServiceReferralStatus, parties: ReadonlySet<ServiceReferralParty>) {
  return [...parties].flatMap((party) => nextServiceReferralSteps(status, party));
}

/**
 * Presenter: explicit fields per view. The provider never gets the case id or reference, sees
 * the child (the shared fields only) and the notes only while it holds the referral, and the
 * outcome text only of a completion it recorded. Lists carry no child and no notes.
 */
async function present(
  ctx: AppContext,
  rows: readonly ServiceReferralRow[],
  view: View,
  detail: boolean,
): Promise<ServiceReferral[]> {
  const ids = rows.map((r) => r.id);
  const events = await eventsOf(ctx.db, ids);
  const notes = detail ? await notesOf(ctx.db, ids) : [];
  const people = await peopleById(ctx.db, [
    ...events.map((e) => e.user_id),
    ...notes.map((n) => n.author_user_id),
  ]);
  const organisations = await organisationsById(ctx.db, [
    ...rows.flatMap((r) => [r.provider_organisation_id, r.created_by_organisation_id]),
    ...events.map((e) => e.organisation_id),
    ...notes.map((n) => n.organisation_id),
  ]);
  const person = (id: string | null) => refOf(people, id, unknownPerson);
  const organisation = (id: string) =>
    refOf(organisations, id, unknownOrganisation) ?? unknownOrganisation(id);
  const identities = new Map<string, ChildIdentity>();
  const identityOf = async (childId: string): Promise<ChildIdentity> => {
    let identity = identities.get(childId);
    if (!identity) {
      identity = decryptIdentity(ctx.keyring, childId, await childIdentityEnc(ctx.db, childId));
      identities.set(childId, identity);
    }
    return identity;
  };
  const today = ctx.today();

  const presented: ServiceReferral[] = [];
  for (const row of rows) {
    const status = row.status as ServiceReferralStatus;
    const fields = row.shared_fields as ShareableField[];
    const caseTeam = view === 'case_team';
    const holds = PROVIDER_HOLDS.includes(status);
    let child: ServiceReferral['child'] = null;
    if (detail && (caseTeam || holds)) {
      // The case team also sees a summary it wrote but did not share.
      const summaryShown = caseTeam || fields.includes('needs_summary');
      const summary = summaryShown
        ? unseal(ctx.keyring, 'service_referral', 'needs_summary_enc', row.id, row.needs_summary_enc)
        : null;
      child = sharedChildOf(
        caseTeam && summary !== null && !fields.includes('needs_summary')
          ? [...fields, 'needs_summary']
          : fields,
        { ageBand: row.age_band, gender: row.gender, ethnicities: row.ethnicities, iwi: row.iwi },
        needsIdentity(fields) ? await identityOf(row.child_id) : null,
        summary,
      );
    }
    // Free text stays out of lists; the provider reads a withdrawal's reason nowhere.
    const showOutcome = detail && (caseTeam || status === 'completed');
    presented.push({
      id: row.id,
      reference: referenceOf(row.id),
      caseId: caseTeam ? row.case_id : null,
      caseReference: caseTeam ? row.case_reference : referenceOf(row.id),
      service: { id: row.service_id, name: row.service_name },
      provider: organisation(row.provider_organisation_id),
      referrer: organisation(row.created_by_organisation_id),
      needType: row.need_type as ServiceReferral['needType'],
      status,
      region: row.region,
      ageBand: row.age_band,
      sharedFields: fields,
      lawfulBasis: row.lawful_basis ?? '',
      respondBy: row.respond_by,
      urgency: row.urgency as ServiceUrgency,
      overdue: status === 'sent' && row.respond_by < today,
      declineReason: row.decline_reason as ServiceReferral['declineReason'],
      declineDetail: detail
        ? unseal(ctx.keyring, 'service_referral', 'decline_detail_enc', row.id, row.decline_detail_enc)
        : null,
      outcome: showOutcome
        ? unseal(ctx.keyring, 'service_referral', 'outcome_enc', row.id, row.outcome_enc)
        : null,
      child,
      events: events
        .filter((e) => e.service_referral_id === row.id)
        .map((e) => ({
          from: e.from_status as ServiceReferralStatus | null,
          to: e.to_status as ServiceReferralStatus,
          reason: e.reason,
          by: person(e.user_id),
          organisation: e.organisation_id ? organisation(e.organisation_id) : null,
          at: e.occurred_at.toISOString(),
        })),
      notes:
        caseTeam || holds
          ? notes
              .filter((n) => n.service_referral_id === row.id)
              .map((n) => presentNote(ctx, n, person, organisation))
          : [],
      createdAt: row.created_at.toISOString(),
      version: row.version,
    });
  }
  return presented;
}

function presentNote(
  ctx: AppContext,
  n: Awaited<ReturnType<typeof notesOf>>[number],
  person: (id: string | null) => Note['author'],
  organisation: (id: string) => Note['organisation'],
): Note {
  return {
    id: n.id,
    body: unseal(ctx.keyring, 'service_referral_note', 'body_enc', n.id, n.body_enc),
    author: person(n.author_user_id),
    organisation: organisation(n.organisation_id),
    createdAt: n.created_at.toISOString(),
  };
}

/** One referral in the caller's view. Showing the child's shared fields is an audited read. */
async function presentFor(
  ctx: AppContext,
  actor: Actor,
  row: ServiceReferralRow,
  viewer: Viewer,
): Promise<ServiceReferral> {
  const [presented] = await present(ctx, [row], viewer.view, true);
  if (!presented) throw notFound(REFERRAL);
  const child = presented.child;
  if (child) {
    const fields = [
      ...row.shared_fields,
      ...(child.needsSummary !== undefined && !row.shared_fields.includes('needs_summary')
        ? ['needs_summary']
        : []),
    ];
    await recordAudit(ctx.db, actor, {
      action: 'service_referral.viewed',
      subjectType: 'service_referral',
      subjectId: row.id,
      details: {
        caseId: row.case_id,
        view: viewer.view,
        fields,
        ...(viewer.breakGlass ? { breakGlass: true } : {}),
      },
    });
  }
  return { ...presented, nextSteps: stepsFor(presented.status, viewer.parties) };
}

export async function readServiceReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<ServiceReferral> {
  const { row, viewer } = await visibleReferral(ctx, auth, id);
  return presentFor(ctx, actor, row, viewer);
}

/** For the case page: the case team's full view, events and notes included. The caller audits the read. */
export async function serviceReferralsForCase(ctx: AppContext, caseId: string): Promise<ServiceReferral[]> {
  return present(ctx, await serviceReferralsOfCase(ctx.db, caseId), 'case_team', true);
}

/** The provider's inbox, or the overdue board of the cases the caller may read. No child, no notes. */
export async function listServiceReferrals(
  ctx: AppContext,
  auth: AuthContext,
  query: ServiceReferralListQuery,
): Promise<Page<ServiceReferral>> {
  const today = ctx.today();
  const paging = pageRequest(
    query,
    query.view === 'provider' ? { sort: 'urgency', dir: 'asc' } : { sort: 'respondBy', dir: 'asc' },
  );
  const filter = {
    status: query.status,
    overdue: query.overdue === true,
    ...(query.dueThisWeek ? { dueWithin: [today, endOfWeek(today)] as const } : {}),
  };
  let found;
  if (query.view === 'provider') {
    if (!auth.permissions.has('service_referrals.respond'))
      throw new HttpError(403, 'forbidden', 'Only service providers have an inbox of service referrals.');
    found = await serviceReferralPage(ctx.db, { provider: auth.organisation.id }, filter, today, paging);
  } else {
    if (!auth.permissions.has('cases.read'))
      throw new HttpError(403, 'forbidden', 'You do not have access to this.');
    found = await serviceReferralPage(
      ctx.db,
      { overdueOnCases: readableCase(auth, 'sr.case_id') },
      filter,
      today,
      paging,
    );
  }
  const { rows, ...counted } = found;
  const items = await present(ctx, rows, query.view === 'provider' ? 'provider' : 'case_team', false);
  return { items, ...counted, page: paging.page, pageSize: paging.pageSize };
}

export async function createServiceReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: z.output<typeof serviceReferralInput>,
): Promise<ServiceReferral> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const facts = await caseFacts(trx, caseId);
    if (!facts) throw notFound('The case');
    if (facts.status !== 'open') throw caseClosed();
    const service = await getService(trx, input.serviceId);
    if (!service) {
      throw new HttpError(400, 'unknown_service', 'That service is not in the directory.', [
        { path: 'serviceId', message: 'No such service' },
      ]);
    }
    if (!service.is_active)
      throw new HttpError(409, 'service_inactive', 'That service is no longer taking referrals.');
    if (!service.need_types.includes(input.needType)) {
      throw new HttpError(400, 'validation_failed', 'That service does not offer this kind of help.', [
        { path: 'needType', message: 'Not offered by this service' },
      ]);
    }
    if (input.sharedFields.includes('needs_summary') && !input.needsSummary) {
      throw new HttpError(400, 'validation_failed', 'Write the needs summary you are sharing.', [
        { path: 'needsSummary', message: 'Required when the needs summary is shared' },
      ]);
    }
    const disclosureId = await recordDisclosure(ctx, trx, actor, {
      caseId,
      fromOrganisationId: auth.organisation.id,
      toOrganisationId: service.provider_organisation_id,
      lawfulBasis: input.lawfulBasis,
      purpose: input.purpose,
      fields: input.sharedFields,
      childConsulted: input.childConsulted,
      childView: input.childView,
    });
    const status: ServiceReferralStatus = input.send ? 'sent' : 'proposed';
    const respondBy = answerDeadline(ctx, input.urgency, facts.region, input.respondBy);
    await insertServiceReferral(trx, {
      id,
      case_id: caseId,
      service_id: service.id,
      provider_organisation_id: service.provider_organisation_id,
      need_type: input.needType,
      status,
      shared_fields: [...input.sharedFields],
      disclosure_id: disclosureId,
      needs_summary_enc: input.needsSummary
        ? seal(ctx.keyring, 'service_referral', 'needs_summary_enc', id, input.needsSummary)
        : null,
      respond_by: respondBy,
      urgency: input.urgency,
      created_by_user_id: auth.userId,
      created_by_organisation_id: auth.organisation.id,
    });
    await insertServiceReferralEvent(trx, {
      service_referral_id: id,
      from_status: null,
      to_status: status,
      user_id: auth.userId,
      organisation_id: auth.organisation.id,
    });
    const details = {
      needType: input.needType,
      serviceId: service.id,
      providerOrganisationId: service.provider_organisation_id,
    };
    await appendCaseEvent(trx, actor, caseId, `service_referral.${status}`, id, details);
    await recordAudit(trx, actor, {
      action: `service_referral.${status}`,
      subjectType: 'service_referral',
      subjectId: id,
      details: {
        caseId,
        disclosureId,
        respondBy,
        urgency: input.urgency,
        fields: input.sharedFields,
        ...details,
      },
    });
    if (status === 'sent')
      await tellProvider(ctx, trx, auth, {
        id,
        providerOrganisationId: service.provider_organisation_id,
        urgency: input.urgency,
        respondBy,
        occasion: 'created',
      });
  });
  return readServiceReferral(ctx, auth, actor, id);
}

/**
 * The provider's people who answer referrals hear that one was sent to them: its own reference
 * (never the case's, which the provider does not see), how urgent, and the answer deadline.
 */
async function tellProvider(
  ctx: AppContext,
  trx: Db,
  auth: AuthContext,
  sent: {
    id: string;
    providerOrganisationId: string;
    urgency: ServiceUrgency;
    respondBy: string;
    occasion: string;
  },
): Promise<void> {
  const answerers = await peopleWith(trx, sent.providerOrganisationId, 'service_referrals.respond');
  const urgent = sent.urgency === 'urgent';
  await notifyAssigned(ctx, trx, {
    userIds: answerers.map((p) => p.id),
    byUserId: auth.userId,
    kind: 'service_referral.received',
    subjectType: 'service_referral',
    subjectId: sent.id,
    message: `${urgent ? 'An urgent' : 'A'} service referral, ${referenceOf(sent.id)}, has been sent to your organisation: please answer by ${sent.respondBy}.`,
    link: `/service-referrals/${sent.id}`,
    occasion: sent.occasion,
  });
}

const stepNotAllowed = (message: string) => new HttpError(409, 'step_not_allowed', message);

function refuseStep(
  from: ServiceReferralStatus,
  to: ServiceReferralStatus,
  parties: ReadonlySet<ServiceReferralParty>,
): never {
  const owner = SERVICE_REFERRAL_STEPS[from][to];
  if (owner === 'provider') {
    throw stepNotAllowed(
      'Only the service provider can take this step: accepting, declining, engagement and completion are the provider’s to record.',
    );
  }
  if (owner === 'case_team') {
    throw stepNotAllowed(
      'Only a caseworker on the case team can take this step: sending and withdrawing are the case team’s.',
    );
  }
  const open = stepsFor(from, parties);
  throw stepNotAllowed(
    `A service referral that is ${from} cannot become ${to}. ` +
      (open.length > 0 ? `You may now: ${open.join(', ')}.` : 'There is no step you can take on it now.'),
  );
}

/**
 * Moves a service referral one step along its lifecycle, by the party that owns the step.
 * The version is claimed first, so of two people acting at once one wins and one gets 409.
 */
export async function transitionServiceReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  input: z.output<typeof serviceReferralTransitionInput>,
): Promise<ServiceReferral> {
  const { viewer } = await visibleReferral(ctx, auth, id);
  const to = input.to;
  if (input.declineReason !== undefined && to !== 'declined') {
    throw new HttpError(400, 'validation_failed', 'Only a decline has a reason.', [
      { path: 'declineReason', message: 'Only when declining' },
    ]);
  }
  if (input.detail !== undefined && !STEPS_WITH_DETAIL.includes(to)) {
    throw new HttpError(400, 'validation_failed', 'This step takes no detail: add a note instead.', [
      { path: 'detail', message: 'Only when declining, withdrawing or completing' },
    ]);
  }
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'service_referral', id, input.version, REFERRAL);
    const row = await getServiceReferral(trx, id);
    if (!row) throw notFound(REFERRAL);
    const from = row.status as ServiceReferralStatus;
    const owner = SERVICE_REFERRAL_STEPS[from][to];
    if (!owner || !viewer.parties.has(owner)) refuseStep(from, to, viewer.parties);

    const sealed = (column: 'decline_detail_enc' | 'outcome_enc') =>
      input.detail ? seal(ctx.keyring, 'service_referral', column, id, input.detail) : null;
    // Sending a proposal later restarts the provider's clock, never shortens it.
    const freshRespondBy = answerDeadline(ctx, row.urgency as ServiceUrgency, row.region);
    await updateServiceReferral(trx, id, {
      status: to,
      ...(to === 'declined'
        ? { decline_reason: input.declineReason ?? null, decline_detail_enc: sealed('decline_detail_enc') }
        : {}),
      ...(to === 'completed' || to === 'withdrawn' ? { outcome_enc: sealed('outcome_enc') } : {}),
      ...(from === 'proposed' && to === 'sent' && freshRespondBy > row.respond_by
        ? { respond_by: freshRespondBy }
        : {}),
    });
    await insertServiceReferralEvent(trx, {
      service_referral_id: id,
      from_status: from,
      to_status: to,
      reason: to === 'declined' ? (input.declineReason ?? null) : null,
      user_id: auth.userId,
      organisation_id: auth.organisation.id,
    });

    if (to === 'declined' && input.declineReason === 'no_capacity') {
      await recordUnmetNeed(trx, actor, {
        caseId: row.case_id,
        needType: row.need_type,
        region: row.region,
        ageBand: row.age_band,
        reason: 'declined_no_capacity',
        serviceReferralId: id,
      });
    }
    if (to === 'accepted') await markUnmetNeedsMet(trx, actor, row.case_id, row.need_type, id);

    const details = {
      needType: row.need_type,
      serviceId: row.service_id,
      providerOrganisationId: row.provider_organisation_id,
      ...(to === 'declined' && input.declineReason ? { declineReason: input.declineReason } : {}),
    };
    await appendCaseEvent(trx, actor, row.case_id, `service_referral.${to}`, id, details);
    await recordAudit(trx, actor, {
      action: `service_referral.${to}`,
      subjectType: 'service_referral',
      subjectId: id,
      details: { caseId: row.case_id, from, to, ...details },
    });
    if (from === 'proposed' && to === 'sent')
      await tellProvider(ctx, trx, auth, {
        id,
        providerOrganisationId: row.provider_organisation_id,
        urgency: row.urgency as ServiceUrgency,
        respondBy: freshRespondBy > row.respond_by ? freshRespondBy : row.respond_by,
        occasion: `sent:${input.version + 1}`,
      });
  });
  const after = await getServiceReferral(ctx.db, id);
  if (!after) throw notFound(REFERRAL);
  return presentFor(ctx, actor, after, viewer);
}

/** A note on one referral: by the case team, or by the provider while it holds the referral. */
export async function addServiceReferralNote(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  body: string,
): Promise<Note> {
  const { row, viewer } = await visibleReferral(ctx, auth, id);
  const holds = PROVIDER_HOLDS.includes(row.status as ServiceReferralStatus);
  if (!viewer.parties.has('case_team') && !(viewer.parties.has('provider') && holds)) {
    throw new HttpError(
      409,
      'note_not_allowed',
      viewer.parties.has('provider')
        ? 'Notes can be added once the referral is accepted, and until it is withdrawn.'
        : 'Only a caseworker on the case team or the provider holding the referral can add notes.',
    );
  }
  const noteId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertServiceReferralNote(trx, {
      id: noteId,
      service_referral_id: id,
      organisation_id: auth.organisation.id,
      author_user_id: auth.userId,
      body_enc: seal(ctx.keyring, 'service_referral_note', 'body_enc', noteId, body),
    });
    await recordAudit(trx, actor, {
      action: 'service_referral.note_added',
      subjectType: 'service_referral',
      subjectId: id,
      details: { caseId: row.case_id, noteId },
    });
  });
  const [people, organisations] = await Promise.all([
    peopleById(ctx.db, [auth.userId]),
    organisationsById(ctx.db, [auth.organisation.id]),
  ]);
  const created = await notesOf(ctx.db, [id]);
  const stored = created.find((n) => n.id === noteId);
  if (!stored) throw notFound('The note');
  return presentNote(
    ctx,
    stored,
    (userId) => refOf(people, userId, unknownPerson),
    (organisationId) =>
      refOf(organisations, organisationId, unknownOrganisation) ?? unknownOrganisation(organisationId),
  );
}
