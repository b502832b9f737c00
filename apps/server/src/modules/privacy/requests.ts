import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { PrivacyRequest, privacyRequestInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { fieldContext } from '../../security/rotation.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { decideRequest, expireDue, type TwoPersonRules } from '../two-person/index.ts';
import {
  countDownload,
  existingRequest,
  insertRequest,
  recentRequests,
  requestById,
  type PrivacyRequestRow,
} from './queries.ts';
import { childMatchesGiven, givenKinds } from './identify.ts';
import { exportChildById, findChildOf, type PrivacyExport } from './service.ts';

/**
 * Privacy Act 2020 IPP 6 exports under two people (issue 19, finding 2). A privacy officer asks,
 * with a reason and the child's date of birth or family name as the record holds it (a reference
 * alone is guessable); a second privacy officer or an auditor approves; only then can the officer
 * who asked download the file, until the approval runs out. Every step is audited.
 */
export const PENDING_HOURS = 72;
export const DOWNLOAD_HOURS = 72;

const REASON_CONTEXT = (id: string) => fieldContext('privacy_request', 'reason_enc', id);

function present(ctx: AppContext, row: PrivacyRequestRow): PrivacyRequest {
  return {
    id: row.id,
    reference: row.reference,
    reason: ctx.keyring.decrypt(row.reason_enc, REASON_CONTEXT(row.id)),
    requestedBy: { id: row.requested_by, displayName: row.requester_name },
    requestedAt: row.requested_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    status: row.status,
    decidedBy:
      row.decided_by && row.decider_name ? { id: row.decided_by, displayName: row.decider_name } : null,
    decidedAt: row.decided_at?.toISOString() ?? null,
    downloads: row.downloads,
  };
}

const EXPIRED_MESSAGE = 'This request expired before anyone approved it.';

/** The two-person lifecycle (two-person/): pending requests past their time become expired, each audited. */
const RULES: TwoPersonRules<'privacy_request'> = {
  table: 'privacy_request',
  name: 'The privacy request',
  expiredMessage: EXPIRED_MESSAGE,
  expiredAudit: (row) => ({
    action: 'privacy_request.expired',
    subjectType: 'child',
    subjectId: row.child_id,
    details: { requestId: row.id, requestedBy: row.requested_by },
  }),
};

const NOT_FOUND_MESSAGE =
  'No referral or case with this reference holds a child with that date of birth or family name.';

/**
 * Opens a request. An unknown reference and a known one whose child does not match answer the
 * same 404, so guessing references tells nothing.
 */
export async function requestExport(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof privacyRequestInput>,
): Promise<PrivacyRequest> {
  const requestedBy = actor.userId;
  if (!requestedBy) throw new Error('A privacy officer asks');
  const childId = await findChildOf(ctx, input.reference);
  if (!childId || !(await childMatchesGiven(ctx, childId, input))) {
    // Audited, so repeated guessing shows in the log; no reference or name in the entry.
    await recordAudit(ctx.db, actor, { action: 'privacy_request.not_matched', details: givenKinds(input) });
    throw new HttpError(404, 'not_found', NOT_FOUND_MESSAGE);
  }
  const id = randomUUID();
  return ctx.db.transaction().execute(async (trx) => {
    await insertRequest(trx, {
      id,
      child_id: childId,
      reference: input.reference.trim(),
      reason_enc: ctx.keyring.encrypt(input.reason, REASON_CONTEXT(id)),
      requested_by: requestedBy,
      expires_at: new Date(Date.now() + PENDING_HOURS * 3_600_000),
    });
    await recordAudit(trx, actor, {
      action: 'privacy_request.requested',
      subjectType: 'child',
      subjectId: childId,
      details: { requestId: id },
    });
    return present(ctx, await existingRequest(trx, id));
  });
}

/** Pending first, then the most recently decided (the last 200). */
export async function listRequests(ctx: AppContext): Promise<PrivacyRequest[]> {
  await ctx.db.transaction().execute((trx) => expireDue(trx, RULES));
  const found = await recentRequests(ctx.db);
  return found.map((row) => present(ctx, row));
}

/** A second privacy officer or an auditor approves or rejects; never the officer who asked. */
export async function decide(
  ctx: AppContext,
  actor: Actor,
  id: string,
  outcome: 'approved' | 'rejected',
): Promise<PrivacyRequest> {
  const refuse = (row: { requested_by: string }) => {
    if (row.requested_by === actor.userId) {
      throw new HttpError(
        403,
        'own_request',
        'You asked for this file, so another privacy officer or an auditor must approve or reject it.',
      );
    }
  };
  return decideRequest(
    ctx.db,
    RULES,
    {
      id,
      actor,
      outcome,
      refuse,
      // Approved: the officer may download the file until then.
      ...(outcome === 'approved' ? { expiresAt: new Date(Date.now() + DOWNLOAD_HOURS * 3_600_000) } : {}),
    },
    async (trx, row) => {
      await recordAudit(trx, actor, {
        action: `privacy_request.${outcome}`,
        subjectType: 'child',
        subjectId: row.child_id,
        details: { requestId: id, requestedBy: row.requested_by },
      });
      return present(ctx, await existingRequest(trx, id));
    },
  );
}

/**
 * The file, for the officer who asked, once approved and until the approval runs out. Another
 * person's request answers 404 alike, so ids tell nothing. Each download is audited.
 */
export async function downloadExport(ctx: AppContext, actor: Actor, id: string): Promise<PrivacyExport> {
  const row = await requestById(ctx.db, id);
  if (!row || row.requested_by !== actor.userId) throw notFound('The privacy request');
  if (row.status !== 'approved') {
    throw new HttpError(
      409,
      row.status === 'expired' ? 'request_expired' : 'not_approved',
      row.status === 'pending'
        ? 'This file waits for a second privacy officer or an auditor to approve it.'
        : row.status === 'rejected'
          ? 'This request was rejected: the file cannot be downloaded.'
          : 'This request expired.',
    );
  }
  if (row.expires_at.getTime() <= Date.now()) {
    throw new HttpError(409, 'request_expired', 'The time to download this file has run out. Ask again.');
  }
  await countDownload(ctx.db, id);
  return exportChildById(ctx, actor, row.child_id, { requestId: id, approvedBy: row.decided_by });
}
