// Asking the case's lead to add a referral to a case the triage officer cannot see (issue 19,
// finding 1). The officer learns nothing of the case by asking: not its id, reference or child.
// The case's lead — a decision maker of the owning lead agency, or the case's lead caseworker —
// approves (the referral is attached; the officer does not join the team) or rejects (the
// suggested match is set aside). Nobody decides their own request; everything is audited.
import { UNTRIAGED_STATUSES } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { caseAccessFor, caseAccessTo } from '../child-record/index.ts';
import { recordReviewLabels } from '../linkage/index.ts';
import { notify } from '../notifications/index.ts';
import { peopleWith } from '../organisations/index.ts';
import {
  attachRequestById,
  candidateCaseOf,
  caseStatusOf,
  claimAttachRequest,
  insertAttachRequest,
  leadCaseworkersOf,
  pendingAttachRequests,
  rejectCandidatesOnCase,
} from './queries.ts';
import { attachInTransaction, requireTriage, untriagedReferral } from './service.ts';

export interface AttachRequestCreated {
  id: string;
  status: 'pending';
}

export interface AttachRequestItem {
  id: string;
  referralId: string;
  referralReference: string;
  caseId: string;
  caseReference: string;
  requestedBy: string;
  requestedByOrganisation: string;
  requestedAt: string;
}

const noSuchCandidate = () => notFound('That possible match');

/**
 * A triage officer asks the case's lead to add the referral to the case of a withheld candidate.
 * The candidate is named by its opaque `candidateId`; the answer names neither the case nor the
 * child. A candidate on a case the officer is on is attached directly instead (409).
 */
export async function requestAttach(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  referralId: string,
  candidateId: string,
): Promise<AttachRequestCreated> {
  requireTriage(auth);
  const row = await candidateCaseOf(ctx.db, referralId, candidateId);
  if (!row || !(UNTRIAGED_STATUSES as readonly string[]).includes(row.referral_status))
    throw noSuchCandidate();
  if ((await caseAccessFor(ctx.db, auth, row.case_id))?.via === 'case_team')
    throw new HttpError(
      409,
      'already_on_team',
      'You can see that case: compare the child and add the referral yourself if it is the same child.',
    );
  const created = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertAttachRequest(trx, row.referral_id, row.case_id, auth.userId);
    if (!inserted)
      throw new HttpError(
        409,
        'already_requested',
        "You have already asked the case's lead about this match. They will decide.",
      );
    const deciders = await decidersOf(trx, row.case_id, row.owner_organisation_id);
    await notify(
      ctx,
      deciders.map((userId) => ({
        userId,
        kind: 'referral.attach_requested',
        subjectType: 'attach_request',
        subjectId: inserted.id,
        message: `A triage officer asks you to add referral ${row.referral_reference} to ${row.case_reference}: check whether it is the same child, then approve or reject.`,
        // The list of requests waiting for the lead (a lead caseworker cannot open the triage page).
        link: '/attach-requests',
        dedupeKey: `attach_request:${inserted.id}`,
      })),
      trx,
    );
    await recordAudit(trx, actor, {
      action: 'referral.attach_requested',
      subjectType: 'referral',
      subjectId: row.referral_id,
      details: { requestId: inserted.id, caseId: row.case_id, flagged: true, notifiedUserIds: deciders },
    });
    return inserted.id;
  });
  return { id: created, status: 'pending' };
}

/** Decision makers of the case's owner and the case's lead caseworker. */
async function decidersOf(db: Db, caseId: string, ownerOrganisationId: string): Promise<string[]> {
  const decisionMakers = await peopleWith(db, ownerOrganisationId, 'decisions.make');
  const leads = await leadCaseworkersOf(db, caseId);
  return [...new Set([...decisionMakers.map((p) => p.id), ...leads])];
}

/** Whether the person leads the case: on it as its team, and a decision maker or its lead caseworker. */
async function leadsCase(
  ctx: AppContext,
  auth: AuthContext,
  caseId: string,
): Promise<'lead' | 'team' | null> {
  if ((await caseAccessFor(ctx.db, auth, caseId))?.via !== 'case_team') return null;
  if (auth.permissions.has('decisions.make')) return 'lead';
  const leads = await leadCaseworkersOf(ctx.db, caseId);
  return leads.includes(auth.userId) ? 'lead' : 'team';
}

/** Pending requests about cases the caller leads (references only, no child). */
export async function listAttachRequests(ctx: AppContext, auth: AuthContext): Promise<AttachRequestItem[]> {
  const rows = await pendingAttachRequests(ctx.db, auth.organisation.id);
  const access = await caseAccessTo(
    ctx.db,
    auth,
    rows.map((row) => row.case_id),
  );
  const items: AttachRequestItem[] = [];
  for (const row of rows) {
    if (access.get(row.case_id)?.via !== 'case_team') continue;
    if ((await leadsCase(ctx, auth, row.case_id)) !== 'lead') continue;
    items.push({
      id: row.id,
      referralId: row.referral_id,
      referralReference: row.referral_reference,
      caseId: row.case_id,
      caseReference: row.case_reference,
      requestedBy: row.requested_by,
      requestedByOrganisation: row.requested_by_organisation,
      requestedAt: row.requested_at.toISOString(),
    });
  }
  return items;
}

/**
 * The case's lead decides. Approving attaches the referral to the case (the approver is credited;
 * the officer who asked does not join the team); rejecting sets the suggested match aside for the
 * referral. A request about a case the caller cannot see is 404; one they see but do not lead, 403.
 */
export async function decideAttachRequest(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  requestId: string,
  decision: 'approve' | 'reject',
): Promise<{ status: 'approved' | 'rejected'; caseId: string; referralId: string }> {
  const request = await attachRequestById(ctx.db, requestId);
  if (!request) throw notFound('The request');
  const role = await leadsCase(ctx, auth, request.case_id);
  if (!role) throw notFound('The request');
  if (role !== 'lead')
    throw new HttpError(
      403,
      'forbidden',
      "Only the case's decision makers or its lead caseworker decide this.",
    );
  if (request.requested_by === auth.userId)
    throw new HttpError(403, 'own_request', 'Someone else must decide your own request.');
  return ctx.db.transaction().execute(async (trx) => {
    const now = new Date();
    const status = decision === 'approve' ? 'approved' : 'rejected';
    const claimed = await claimAttachRequest(trx, requestId, status, auth.userId, now);
    if (!claimed) throw new HttpError(409, 'already_decided', 'This request has already been decided.');
    const referral = await untriagedReferral(trx, request.referral_id);
    if (decision === 'approve') {
      const target = await caseStatusOf(trx, request.case_id);
      if (target.status !== 'open')
        throw new HttpError(409, 'case_closed', 'That case is closed. Reopen it first, then approve.');
      await attachInTransaction(ctx, trx, actor, referral, request.case_id, auth.userId, null);
    } else {
      const rejected = await rejectCandidatesOnCase(
        trx,
        referral.child_id,
        request.case_id,
        auth.userId,
        now,
      );
      await recordReviewLabels(trx, ctx.keyring, rejected, 'non_match', auth.userId, now);
    }
    await notify(
      ctx,
      [
        {
          userId: request.requested_by,
          kind: `referral.attach_${status}`,
          subjectType: 'referral',
          subjectId: referral.id,
          message:
            decision === 'approve'
              ? `The case's lead added referral ${referral.reference} to the case of the child you matched.`
              : `The case's lead found that referral ${referral.reference} is not about the child you matched: triage it as usual.`,
          // Once attached the referral is the case team's: the officer has nothing more to open.
          link: decision === 'approve' ? null : `/triage/${referral.id}`,
          dedupeKey: `attach_request_decided:${requestId}`,
        },
      ],
      trx,
    );
    await recordAudit(trx, actor, {
      action: `referral.attach_${status}`,
      subjectType: 'referral',
      subjectId: referral.id,
      details: { requestId, caseId: request.case_id, requestedBy: request.requested_by },
    });
    return { status, caseId: request.case_id, referralId: referral.id };
  });
}
