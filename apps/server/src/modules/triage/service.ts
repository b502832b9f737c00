import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import {
  DECISION_LIFECYCLE,
  MATCH_REVIEW,
  UNTRIAGED_STATUSES,
  type DuplicateCandidate,
  type DuplicateCandidateList,
  type MatchExplanation,
  type ScreenOutReason,
  type TriageItem,
  type TriageQueueQuery,
  addCalendarDays,
  endOfWeek,
  REGION_CODES,
  type Page,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  appendCaseEvent,
  caseAccessFor,
  caseAccessTo,
  decryptIdentity,
  requireAccess,
  seal,
} from '../child-record/index.ts';
import { recordReviewLabels, scoreChild } from '../linkage/index.ts';
import { notify, notifyAssigned, notifyCaseAllocated } from '../notifications/index.ts';
import { peopleWith, requireColleagueWith } from '../organisations/index.ts';
import {
  addMemberIfAbsent,
  assignUntriaged,
  candidateRows,
  confirmLinksToCase,
  insertCase,
  insertReasonableGroundsDecision,
  leadCaseworkers,
  markTriaged,
  nextCaseNumber,
  ownCase,
  referralChild,
  referralForTriage,
  rejectCandidateLinks,
  setChildCase,
  setLinkReason,
  triageQueuePage,
  type ReceivedRanges,
} from './queries.ts';

/** Triage is the lead agency's: its staff holding referrals.triage, no one else. */
export function requireTriage(auth: AuthContext): void {
  if (!auth.permissions.has('referrals.triage') || auth.organisation.kind !== 'lead_agency') {
    throw new HttpError(403, 'forbidden', 'Only lead-agency triage staff can do this.');
  }
}

const alreadyTriaged = () =>
  new HttpError(
    409,
    'already_triaged',
    'Someone has already triaged this referral. Reload the queue to see what happened to it.',
  );

/**
 * For each region, the received dates whose reasonable-grounds due date (working days on that
 * region's calendar) falls in [from, to]: the due date grows with the received date, so each
 * region's answer is one range. Used to filter the queue by due date in SQL.
 */
function receivedRangesDue(ctx: AppContext, from: string | null, to: string): ReceivedRanges {
  const today = ctx.today();
  const ranges = [];
  for (const region of [...REGION_CODES, null]) {
    let after: string | null = null;
    let until: string | null = null;
    // A due date is at most a few weeks after receipt: look back far enough for any clock setting.
    const span = 20 + ctx.config.workflow.reasonableGroundsWorkingDays * 3;
    for (let day = -span; day <= 7; day += 1) {
      const received = addCalendarDays(today, day);
      const due = DECISION_LIFECYCLE.reasonable_grounds.period(
        received,
        region ?? '',
        ctx.config.workflow,
      ).dueOn;
      if (due > to) break;
      if (from !== null && due < from) continue;
      // With no lower bound, everything received before the window qualifies too.
      if (until === null && from !== null) after = received;
      until = received;
    }
    ranges.push({ region, after, until });
  }
  return ranges;
}

export async function triageQueue(
  ctx: AppContext,
  auth: AuthContext,
  query: TriageQueueQuery,
): Promise<Page<TriageItem>> {
  requireTriage(auth);
  const today = ctx.today();
  const { rows, ...page } = await triageQueuePage(ctx.db, {
    query,
    userId: auth.userId,
    overdue: query.overdue ? receivedRangesDue(ctx, null, addCalendarDays(today, -1)) : null,
    dueThisWeek: query.dueThisWeek ? receivedRangesDue(ctx, today, endOfWeek(today)) : null,
  });
  const items = rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status as TriageItem['status'],
    urgent: r.urgent,
    concernLevel: r.concern_level as TriageItem['concernLevel'],
    submittedAt: r.submitted_at.toISOString(),
    receivedOn: r.received_on,
    region: r.region,
    manifestations: r.manifestations,
    ageBand: r.age_band,
    childIdentified: r.identified,
    referringOrganisation: { id: r.org_id, name: r.org_name, kind: r.org_kind },
    assignee: r.assignee_id ? { id: r.assignee_id, displayName: r.assignee_name ?? '' } : null,
    reasonableGroundsDueOn: DECISION_LIFECYCLE.reasonable_grounds.period(
      r.received_on,
      r.region,
      ctx.config.workflow,
    ).dueOn,
    possibleMatches: r.possible_matches,
    version: r.version,
  }));
  return { items, ...page };
}

export async function assignReferrals(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralIds: string[],
  assigneeId: string | null,
): Promise<{ assigned: number }> {
  requireTriage(auth);
  if (assigneeId)
    await requireColleagueWith(
      ctx.db,
      auth.organisation.id,
      assigneeId,
      'referrals.triage',
      'a triage officer',
    );
  const ids = [...new Set(referralIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await assignUntriaged(trx, ids, assigneeId);
    // All or nothing: a bulk assignment that cannot be done whole changes nothing.
    if (updated.length !== ids.length) {
      throw new HttpError(
        409,
        'already_triaged',
        `${ids.length - updated.length} of the chosen referrals are no longer waiting for triage. Reload the queue and try again.`,
      );
    }
    await recordAudit(trx, actor, {
      action: 'referral.assigned',
      subjectType: 'referral',
      details: { referralIds: ids, assigneeId },
    });
    if (assigneeId) await tellAssignee(ctx, trx, auth, assigneeId, updated);
    return { assigned: updated.length };
  });
}

/** The triage officer hears of referrals given to them: one per referral, or one for a batch. */
async function tellAssignee(
  ctx: AppContext,
  trx: Transaction<Schema>,
  auth: AuthContext,
  assigneeId: string,
  referrals: readonly { id: string; reference: string; version: number }[],
): Promise<void> {
  const [only] = referrals;
  if (!only) return;
  const batch = referrals.length > 1;
  await notifyAssigned(ctx, trx, {
    userIds: [assigneeId],
    byUserId: auth.userId,
    kind: 'referral.assigned',
    subjectType: 'referral',
    subjectId: only.id,
    message: batch
      ? `${referrals.length} referrals have been assigned to you for triage, starting with ${only.reference}.`
      : `Referral ${only.reference} has been assigned to you for triage.`,
    link: batch ? '/triage?mine=true' : `/triage/${only.id}`,
    occasion: batch ? `batch:${referrals.length}:${only.version}` : String(only.version),
  });
}

export async function untriagedReferral(trx: Transaction<Schema>, id: string) {
  const row = await referralForTriage(trx, id);
  if (!row) throw notFound('The referral');
  if (!(UNTRIAGED_STATUSES as readonly string[]).includes(row.status)) throw alreadyTriaged();
  return row;
}

/**
 * Who sent a referral, for the timeline: the person and organisation that submitted it (no person
 * when an organisation's system sent it), never the triage officer who opened the case.
 */
function referrerOf(
  actor: Actor,
  referral: { organisation_id: string; submitted_by_user_id: string | null },
): Actor {
  return { ...actor, userId: referral.submitted_by_user_id, organisationId: referral.organisation_id };
}

async function nextCaseReference(trx: Transaction<Schema>, year: string): Promise<string> {
  return `CASE-${year}-${String(await nextCaseNumber(trx)).padStart(6, '0')}`;
}

/** Creates the pending reasonable-grounds decision, its due date counted in the case's region. */
export async function createReasonableGroundsDecision(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  caseId: string,
  startsOn: string,
  region: string,
): Promise<void> {
  const id = randomUUID();
  const { dueOn } = DECISION_LIFECYCLE.reasonable_grounds.period(startsOn, region, ctx.config.workflow);
  await insertReasonableGroundsDecision(trx, { id, caseId, startsOn, dueOn });
  await appendCaseEvent(trx, actor, caseId, 'decision.due', id, { kind: 'reasonable_grounds', dueOn });
}

/** Opens a case for the child of an untriaged referral; the reasonable-grounds clock starts. */
export async function openCase(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
  version: number,
  caseworkerId?: string,
): Promise<{ caseId: string; reference: string }> {
  requireTriage(auth);
  if (caseworkerId)
    await requireColleagueWith(ctx.db, auth.organisation.id, caseworkerId, 'cases.manage', 'a caseworker');
  return ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'referral', referralId, version, 'The referral');
    const referral = await untriagedReferral(trx, referralId);
    const caseId = randomUUID();
    const reference = await nextCaseReference(trx, ctx.today().slice(0, 4));
    const now = new Date();
    await insertCase(
      trx,
      {
        id: caseId,
        reference,
        child_id: referral.child_id,
        owner_organisation_id: auth.organisation.id,
        region: referral.region,
        opened_by_user_id: auth.userId,
        opened_at: now,
        updated_at: now,
      },
      auth.userId,
      // The lead agency's own staff see a case only as members of its team (or as decision makers).
      [
        { user_id: auth.userId, team_role: 'triage' },
        ...(caseworkerId && caseworkerId !== auth.userId
          ? [{ user_id: caseworkerId, team_role: 'lead_caseworker' }]
          : []),
      ],
    );
    await setChildCase(trx, referral.child_id, caseId);
    await markTriaged(trx, referralId, { status: 'case_opened', caseId, at: now, byUserId: auth.userId });
    await appendCaseEvent(trx, actor, caseId, 'case.opened', caseId, { reference }, now);
    await appendCaseEvent(
      trx,
      referrerOf(actor, referral),
      caseId,
      'referral.received',
      referralId,
      { reference: referral.reference },
      referral.submitted_at,
    );
    await createReasonableGroundsDecision(ctx, trx, actor, caseId, referral.received_on, referral.region);
    await recordAudit(trx, actor, {
      action: 'case.opened',
      subjectType: 'case',
      subjectId: caseId,
      details: { reference, referralId },
    });
    if (caseworkerId)
      await notifyCaseAllocated(ctx, trx, {
        byUserId: auth.userId,
        userId: caseworkerId,
        caseId,
        reference,
        teamRole: 'lead_caseworker',
      });
    return { caseId, reference };
  });
}

/** Adds an untriaged referral to the case of a child already known: one case per child. */
export async function attachReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
  caseId: string,
  version: number,
): Promise<{ caseId: string; reference: string }> {
  requireTriage(auth);
  // Attaching makes the officer a member of the case team, so it is only for a case they already
  // see as its team: otherwise a guessed name on a referral would open any child's case. A case
  // they may not see (or see only under break-glass) is answered as if it did not exist; the
  // possible match has been flagged to that case's decision makers instead.
  if ((await caseAccessFor(ctx.db, auth, caseId))?.via !== 'case_team') throw notFound('The case');
  return ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'referral', referralId, version, 'The referral');
    const referral = await untriagedReferral(trx, referralId);
    const target = await ownCase(trx, caseId, auth.organisation.id);
    if (!target) throw notFound('The case');
    if (target.status !== 'open')
      throw new HttpError(409, 'case_closed', 'That case is closed. Reopen it first, then add the referral.');
    await attachInTransaction(ctx, trx, actor, referral, caseId, auth.userId, 'triage');
    return { caseId, reference: target.reference };
  });
}

/**
 * Adds an untriaged referral to a case, inside the caller's transaction: the match confirmed, the
 * child moved to the case, the referral attached, the timeline and audit written. `joinAs` makes
 * the person who decided a member of the team (as when opening a case); null adds nobody.
 */
export async function attachInTransaction(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  referral: Awaited<ReturnType<typeof untriagedReferral>>,
  caseId: string,
  decidedBy: string,
  joinAs: 'triage' | null,
): Promise<void> {
  const now = new Date();
  // The person's decision confirms the engine's suggestion (or a match it did not make).
  const confirmed = await confirmLinksToCase(trx, referral.child_id, caseId, decidedBy, now);
  // Each decision is a labelled pair the installation's model can learn from (learning.ts).
  await recordReviewLabels(trx, ctx.keyring, confirmed, 'match', decidedBy, now);
  await setChildCase(trx, referral.child_id, caseId);
  // The officer who decided it is the same child joins the team, as when opening a case.
  if (joinAs)
    await addMemberIfAbsent(trx, {
      case_id: caseId,
      user_id: decidedBy,
      team_role: joinAs,
      added_by_user_id: decidedBy,
    });
  await markTriaged(trx, referral.id, { status: 'attached', caseId, at: now, byUserId: decidedBy });
  // Two facts, each credited to who did it: the referrer sent the referral; the officer added it.
  await appendCaseEvent(
    trx,
    referrerOf(actor, referral),
    caseId,
    'referral.received',
    referral.id,
    { reference: referral.reference },
    referral.submitted_at,
  );
  await appendCaseEvent(trx, actor, caseId, 'referral.attached', referral.id, {
    reference: referral.reference,
  });
  await recordAudit(trx, actor, {
    action: 'referral.attached',
    subjectType: 'case',
    subjectId: caseId,
    details: { referralId: referral.id },
  });
}

export async function screenOut(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
  reason: ScreenOutReason,
  version: number,
): Promise<void> {
  requireTriage(auth);
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'referral', referralId, version, 'The referral');
    await untriagedReferral(trx, referralId);
    await markTriaged(trx, referralId, {
      status: 'screened_out',
      reason,
      at: new Date(),
      byUserId: auth.userId,
    });
    await recordAudit(trx, actor, {
      action: 'referral.screened_out',
      subjectType: 'referral',
      subjectId: referralId,
      details: { reason },
    });
  });
}

/** Plain codes for the agreeing facts, from the engine's per-field explanation. */
function reasonsOf(explanation: MatchExplanation): string[] {
  const reasons = new Set<string>();
  for (const field of explanation.fields) {
    if (field.weight <= 0) continue;
    if (field.comparison.includes('name'))
      reasons.add(field.level === 'exact' ? 'name_exact' : 'name_sounds_alike');
    else if (field.comparison === 'date of birth')
      reasons.add(field.level === 'exact' ? 'date_of_birth_exact' : 'date_of_birth_close');
    else if (field.comparison === 'region') reasons.add('same_region');
    else if (field.comparison === 'gender') reasons.add('same_gender');
  }
  return [...reasons];
}

/** How each field compares, in the engine's words, without the values compared. */
function comparisonOnly(explanation: MatchExplanation): MatchExplanation {
  return {
    probability: explanation.probability,
    prior: explanation.prior,
    model: explanation.model,
    fields: explanation.fields.map((f) => ({ comparison: f.comparison, level: f.level, weight: f.weight })),
  };
}

/**
 * Search before create: children already on a case who may be the one this referral is about,
 * scored by the record-linkage engine with a per-field explanation. A person decides. Showing
 * their names is a read of identifying details, so it is audited.
 *
 * A candidate's identity and case are shown only to whoever may already see that case as its
 * team; anyone else could learn any child's name and date of birth by submitting a referral with
 * a guessed name. For those candidates the answer keeps how the fields compare (never the values),
 * and the case's decision makers and lead caseworker are told of the possible match.
 */
export async function duplicateCandidates(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
): Promise<DuplicateCandidateList> {
  requireTriage(auth);
  const referral = await referralChild(ctx.db, referralId);
  if (!referral || !(UNTRIAGED_STATUSES as readonly string[]).includes(referral.status))
    throw notFound('The referral');
  const answer = (candidates: DuplicateCandidate[], leftOut: number): DuplicateCandidateList => ({
    candidates,
    threshold: MATCH_REVIEW.threshold,
    limit: MATCH_REVIEW.limit,
    leftOut,
  });
  if (!referral.identified) return answer([], 0);
  // Scored when the referral arrived (a background job); scored again now, in case the job has
  // not run yet or children have joined cases since.
  await scoreChild(ctx, referral.child_id);
  const rows = await candidateRows(ctx.db, referral.child_id);
  const bestPerCase = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!bestPerCase.has(row.case_id)) bestPerCase.set(row.case_id, row);
  // At most a handful, each likely enough to be worth a person's careful check. A withheld match
  // below the threshold is still flagged to its case's people (below), as before: they decide.
  const likely = [...bestPerCase.values()].filter((row) => row.probability >= MATCH_REVIEW.threshold);
  const shortlist = likely.slice(0, MATCH_REVIEW.limit);
  const unlikelyWithheld = [...bestPerCase.values()].filter((row) => !shortlist.includes(row)).slice(0, 10);
  const access = await caseAccessTo(
    ctx.db,
    auth,
    shortlist.map((row) => row.case_id),
  );
  const candidates: DuplicateCandidate[] = [];
  const withheld: typeof shortlist = [];
  for (const row of shortlist) {
    const explanation = row.explanation as unknown as MatchExplanation;
    const common = {
      candidateId: row.link_id,
      caseStatus: row.case_status as DuplicateCandidate['caseStatus'],
      ageBand: row.age_band,
      region: row.region,
      score: Math.round(row.probability * 1000) / 1000,
      reasons: reasonsOf(explanation),
      explanation: comparisonOnly(explanation),
    };
    // Only the case team's own access counts: break-glass is for reading in an emergency, not
    // for triage to find children by.
    if (access.get(row.case_id)?.via !== 'case_team') {
      withheld.push(row);
      candidates.push({
        ...common,
        withheld: true,
        caseId: null,
        caseReference: null,
        givenNames: null,
        familyName: null,
        aliases: [],
        dateOfBirth: null,
        gender: null,
      });
      continue;
    }
    const identity = decryptIdentity(ctx.keyring, row.id, row.identity_enc);
    candidates.push({
      ...common,
      withheld: false,
      caseId: row.case_id,
      caseReference: row.reference,
      givenNames: identity.givenNames ?? null,
      familyName: identity.familyName ?? null,
      aliases: identity.aliases,
      dateOfBirth: identity.dateOfBirth ?? null,
      gender: row.gender,
    });
  }
  const unseenAccess = await caseAccessTo(
    ctx.db,
    auth,
    unlikelyWithheld.map((row) => row.case_id),
  );
  withheld.push(...unlikelyWithheld.filter((row) => unseenAccess.get(row.case_id)?.via !== 'case_team'));
  const flagged = await flagWithheldMatches(ctx, referral, withheld);
  await recordAudit(ctx.db, actor, {
    action: 'referral.duplicate_check',
    subjectType: 'referral',
    subjectId: referralId,
    details: {
      shownCaseIds: candidates.flatMap((c) => (c.caseId ? [c.caseId] : [])),
      withheldCaseIds: withheld.map((row) => row.case_id),
      ...(withheld.length > 0 ? { flagged: true, notifiedUserIds: flagged } : {}),
    },
  });
  return answer(candidates, bestPerCase.size - candidates.length);
}

/**
 * Tells the decision makers of each withheld case's owner, and its lead caseworker, that a new
 * referral may be about their child: they can attach it. Once per referral, case and person.
 */
async function flagWithheldMatches(
  ctx: AppContext,
  referral: { id: string; reference: string },
  withheld: readonly { case_id: string; reference: string; owner_organisation_id: string }[],
): Promise<string[]> {
  const notified = new Set<string>();
  for (const row of withheld) {
    const decisionMakers = await peopleWith(ctx.db, row.owner_organisation_id, 'decisions.make');
    const leads = await leadCaseworkers(ctx.db, row.case_id);
    // Decision makers can attach it from triage; the lead caseworker hears of it on the case.
    const links = new Map<string, string>();
    for (const m of leads) links.set(m.user_id, `/cases/${row.case_id}`);
    for (const p of decisionMakers) links.set(p.id, `/triage/${referral.id}`);
    await notify(
      ctx,
      [...links].map(([userId, link]) => ({
        userId,
        kind: 'referral.possible_match',
        subjectType: 'referral',
        subjectId: referral.id,
        message: `Referral ${referral.reference} may be about the child of ${row.reference}. The triage officer cannot see that case: a decision maker can check it and add the referral if it is the same child.`,
        link,
        dedupeKey: `possible_match:${referral.id}:${row.case_id}`,
      })),
    );
    for (const id of links.keys()) notified.add(id);
  }
  return [...notified];
}

/** "Not the same child": the suggestion is set aside for this referral, and the decision kept. */
export async function rejectCandidate(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
  caseId: string,
  reason: string | undefined,
): Promise<void> {
  requireTriage(auth);
  // Only someone who may see the case can settle a match with it; anyone else learns nothing
  // about which case ids exist or carry a suggestion (404 either way).
  await requireAccess(ctx.db, auth, 'cases.read', caseId);
  await ctx.db.transaction().execute(async (trx) => {
    const referral = await untriagedReferral(trx, referralId);
    const rejected = await rejectCandidateLinks(trx, referral.child_id, caseId, auth.userId);
    if (rejected.length === 0) throw notFound('That suggestion');
    await recordReviewLabels(trx, ctx.keyring, rejected, 'non_match', auth.userId, new Date());
    if (reason) {
      for (const link of rejected) {
        await setLinkReason(trx, link.id, seal(ctx.keyring, 'child_link', 'reason_enc', link.id, reason));
      }
    }
    await recordAudit(trx, actor, {
      action: 'link.rejected',
      subjectType: 'referral',
      subjectId: referralId,
      details: { caseId, links: rejected.map((l) => l.id) },
    });
  });
}
