import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import {
  DECISION_LIFECYCLE,
  UNTRIAGED_STATUSES,
  type DuplicateCandidate,
  type MatchExplanation,
  type ScreenOutReason,
  type TriageItem,
  type TriageQueueQuery,
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
import { scoreChild } from '../linkage/index.ts';
import { notify } from '../notifications/index.ts';
import { peopleWith, requireColleagueWith } from '../organisations/index.ts';

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

export async function triageQueue(
  ctx: AppContext,
  auth: AuthContext,
  query: TriageQueueQuery,
): Promise<TriageItem[]> {
  requireTriage(auth);
  let q = ctx.db
    .selectFrom('referral as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .leftJoin('app_user as u', 'u.id', 'r.assigned_to_user_id')
    .select([
      'r.id',
      'r.reference',
      'r.status',
      'r.urgent',
      'r.concern_level',
      'r.submitted_at',
      'r.received_on',
      'r.region',
      'r.manifestations',
      'r.version',
      'c.age_band',
      'c.identified',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'u.id as assignee_id',
      'u.display_name as assignee_name',
      sql<number>`(SELECT count(*)::int FROM child_link l WHERE l.child_id = r.child_id AND l.status = 'candidate')`.as(
        'possible_matches',
      ),
    ])
    .where('r.status', 'in', [...UNTRIAGED_STATUSES]);
  if (query.region) q = q.where('r.region', '=', query.region);
  if (query.manifestation) q = q.where(sql<boolean>`${query.manifestation} = ANY(r.manifestations)`);
  if (query.organisationId) q = q.where('r.organisation_id', '=', query.organisationId);
  if (query.assignee === 'me') q = q.where('r.assigned_to_user_id', '=', auth.userId);
  else if (query.assignee === 'unassigned') q = q.where('r.assigned_to_user_id', 'is', null);
  else if (query.assignee) q = q.where('r.assigned_to_user_id', '=', query.assignee);
  // Urgent first, then the oldest: nobody waits behind newer referrals.
  const rows = await q.orderBy('r.urgent', 'desc').orderBy('r.submitted_at', 'asc').limit(500).execute();
  return rows.map((r) => ({
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
    const updated = await trx
      .updateTable('referral')
      .set({
        assigned_to_user_id: assigneeId,
        status: assigneeId ? 'in_triage' : 'submitted',
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('id', 'in', ids)
      .where('status', 'in', [...UNTRIAGED_STATUSES])
      .returning('id')
      .execute();
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
    return { assigned: updated.length };
  });
}

async function untriagedReferral(trx: Transaction<Schema>, id: string) {
  const row = await trx
    .selectFrom('referral as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .select([
      'r.id',
      'r.status',
      'r.child_id',
      'r.region',
      'r.received_on',
      'r.submitted_at',
      'r.reference',
      'c.age_band',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('The referral');
  if (!(UNTRIAGED_STATUSES as readonly string[]).includes(row.status)) throw alreadyTriaged();
  return row;
}

async function nextCaseReference(trx: Transaction<Schema>, year: string): Promise<string> {
  const row = await sql<{ n: string | number }>`SELECT nextval('case_number_seq') AS n`.execute(trx);
  return `CASE-${year}-${String(Number(row.rows[0]?.n)).padStart(6, '0')}`;
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
  await trx
    .insertInto('decision')
    .values({ id, case_id: caseId, kind: 'reasonable_grounds', starts_on: startsOn, due_on: dueOn })
    .execute();
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
    await trx
      .insertInto('case_record')
      .values({
        id: caseId,
        reference,
        child_id: referral.child_id,
        owner_organisation_id: auth.organisation.id,
        region: referral.region,
        opened_by_user_id: auth.userId,
        opened_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('case_organisation')
      .values({
        case_id: caseId,
        organisation_id: auth.organisation.id,
        is_owner: true,
        added_by_user_id: auth.userId,
      })
      .execute();
    // The lead agency's own staff see a case only as members of its team (or as decision makers).
    await trx
      .insertInto('case_member')
      .values([
        { case_id: caseId, user_id: auth.userId, team_role: 'triage', added_by_user_id: auth.userId },
        ...(caseworkerId && caseworkerId !== auth.userId
          ? [
              {
                case_id: caseId,
                user_id: caseworkerId,
                team_role: 'lead_caseworker',
                added_by_user_id: auth.userId,
              },
            ]
          : []),
      ])
      .execute();
    await trx.updateTable('child').set({ case_id: caseId }).where('id', '=', referral.child_id).execute();
    await trx
      .updateTable('referral')
      .set({ status: 'case_opened', case_id: caseId, triaged_at: now, triaged_by_user_id: auth.userId })
      .where('id', '=', referralId)
      .execute();
    await appendCaseEvent(trx, actor, caseId, 'case.opened', caseId, { reference }, now);
    await appendCaseEvent(
      trx,
      actor,
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
    const target = await trx
      .selectFrom('case_record')
      .select(['id', 'reference', 'status'])
      .where('id', '=', caseId)
      .where('owner_organisation_id', '=', auth.organisation.id)
      .executeTakeFirst();
    if (!target) throw notFound('The case');
    if (target.status !== 'open')
      throw new HttpError(409, 'case_closed', 'That case is closed. Reopen it first, then add the referral.');
    const now = new Date();
    // The person's decision confirms the engine's suggestion (or a match it did not make).
    await trx
      .updateTable('child_link')
      .set({ status: 'confirmed', decided_by_user_id: auth.userId, decided_at: now, updated_at: now })
      .where('child_id', '=', referral.child_id)
      .where('candidate_child_id', 'in', (eb) =>
        eb.selectFrom('child').select('id').where('case_id', '=', caseId),
      )
      .execute();
    await trx.updateTable('child').set({ case_id: caseId }).where('id', '=', referral.child_id).execute();
    // The officer who decided it is the same child joins the team, as when opening a case.
    await trx
      .insertInto('case_member')
      .values({ case_id: caseId, user_id: auth.userId, team_role: 'triage', added_by_user_id: auth.userId })
      .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
      .execute();
    await trx
      .updateTable('referral')
      .set({ status: 'attached', case_id: caseId, triaged_at: now, triaged_by_user_id: auth.userId })
      .where('id', '=', referralId)
      .execute();
    await appendCaseEvent(
      trx,
      actor,
      caseId,
      'referral.received',
      referralId,
      { reference: referral.reference, attached: true },
      referral.submitted_at,
    );
    await recordAudit(trx, actor, {
      action: 'referral.attached',
      subjectType: 'case',
      subjectId: caseId,
      details: { referralId },
    });
    return { caseId, reference: target.reference };
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
    await trx
      .updateTable('referral')
      .set({
        status: 'screened_out',
        screen_out_reason: reason,
        triaged_at: new Date(),
        triaged_by_user_id: auth.userId,
      })
      .where('id', '=', referralId)
      .execute();
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
): Promise<DuplicateCandidate[]> {
  requireTriage(auth);
  const referral = await ctx.db
    .selectFrom('referral as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .select(['r.id', 'r.status', 'r.reference', 'c.id as child_id', 'c.identified'])
    .where('r.id', '=', referralId)
    .executeTakeFirst();
  if (!referral || !(UNTRIAGED_STATUSES as readonly string[]).includes(referral.status))
    throw notFound('The referral');
  if (!referral.identified) return [];
  // Scored when the referral arrived (a background job); scored again now, in case the job has
  // not run yet or children have joined cases since.
  await scoreChild(ctx, referral.child_id);
  const rows = await ctx.db
    .selectFrom('child_link as l')
    .innerJoin('child as c', 'c.id', 'l.candidate_child_id')
    .innerJoin('case_record as k', 'k.id', 'c.case_id')
    .select([
      'l.id as link_id',
      'l.probability',
      'l.explanation',
      'c.id',
      'c.identity_enc',
      'c.gender',
      'c.age_band',
      'k.id as case_id',
      'k.reference',
      'k.status as case_status',
      'k.region',
      'k.owner_organisation_id',
    ])
    .where('l.child_id', '=', referral.child_id)
    .where('l.status', '=', 'candidate')
    .orderBy('l.probability', 'desc')
    .execute();
  const bestPerCase = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!bestPerCase.has(row.case_id)) bestPerCase.set(row.case_id, row);
  const shortlist = [...bestPerCase.values()].slice(0, 10);
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
  const flagged = await flagWithheldMatches(ctx, referral, withheld);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, actor, {
      action: 'referral.duplicate_check',
      subjectType: 'referral',
      subjectId: referralId,
      details: {
        shownCaseIds: candidates.flatMap((c) => (c.caseId ? [c.caseId] : [])),
        withheldCaseIds: withheld.map((row) => row.case_id),
        ...(withheld.length > 0 ? { flagged: true, notifiedUserIds: flagged } : {}),
      },
    }),
  );
  return candidates;
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
    const leads = await ctx.db
      .selectFrom('case_member')
      .select('user_id')
      .where('case_id', '=', row.case_id)
      .where('team_role', '=', 'lead_caseworker')
      .where('removed_at', 'is', null)
      .execute();
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
    const rejected = await trx
      .updateTable('child_link')
      .set({
        status: 'rejected',
        decided_by_user_id: auth.userId,
        decided_at: new Date(),
        updated_at: new Date(),
      })
      .where('child_id', '=', referral.child_id)
      .where('status', '=', 'candidate')
      .where('candidate_child_id', 'in', (eb) =>
        eb.selectFrom('child').select('id').where('case_id', '=', caseId),
      )
      .returning('id')
      .execute();
    if (rejected.length === 0) throw notFound('That suggestion');
    if (reason) {
      for (const link of rejected) {
        await trx
          .updateTable('child_link')
          .set({ reason_enc: seal(ctx.keyring, 'child_link', 'reason_enc', link.id, reason) })
          .where('id', '=', link.id)
          .execute();
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
