import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { UnmetNeed, UnmetNeedReason, unmetNeedInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { appendCaseEvent, requireAccess, seal, unseal } from '../child-record/index.ts';
import { caseClosed } from './directory.ts';
import {
  caseFacts,
  hasOpenUnmetNeed,
  insertUnmetNeed,
  lockUnmetNeedsOfCase,
  setUnmetNeedsMet,
  unmetNeedsOfCase,
} from './queries.ts';

export interface UnmetNeedInput {
  caseId: string;
  needType: string;
  region: string;
  ageBand: string | null;
  reason: UnmetNeedReason;
  serviceReferralId?: string | undefined;
  /** The caseworker's note, already sealed for `unmet_need.note_enc` under `id`. */
  sealedNote?: { id: string; noteEnc: string } | undefined;
}

/**
 * Adds a need to the unmet-need ledger, unless the same one (case, need, reason, and referral
 * for a decline) is already open. Returns whether a row was added.
 */
export async function recordUnmetNeed(
  trx: Transaction<Schema>,
  actor: Actor,
  input: UnmetNeedInput,
): Promise<boolean> {
  await lockUnmetNeedsOfCase(trx, input.caseId);
  if (await hasOpenUnmetNeed(trx, input)) return false;

  const id = input.sealedNote?.id ?? randomUUID();
  await insertUnmetNeed(trx, {
    id,
    case_id: input.caseId,
    need_type: input.needType,
    region: input.region,
    age_band: input.ageBand,
    reason: input.reason,
    service_referral_id: input.serviceReferralId ?? null,
    recorded_by_user_id: actor.userId,
    note_enc: input.sealedNote?.noteEnc ?? null,
  });
  const details = {
    needType: input.needType,
    reason: input.reason,
    ...(input.serviceReferralId ? { serviceReferralId: input.serviceReferralId } : {}),
  };
  await appendCaseEvent(trx, actor, input.caseId, 'unmet_need.recorded', id, details);
  await recordAudit(trx, actor, {
    action: 'unmet_need.recorded',
    subjectType: 'case',
    subjectId: input.caseId,
    details: { unmetNeedId: id, region: input.region, ...details },
  });
  return true;
}

/** A service has taken the child on for this need: its open unmet needs are met. */
export async function markUnmetNeedsMet(
  trx: Transaction<Schema>,
  actor: Actor,
  caseId: string,
  needType: string,
  serviceReferralId: string,
): Promise<number> {
  const met = await setUnmetNeedsMet(trx, caseId, needType);
  if (met.length > 0) {
    await recordAudit(trx, actor, {
      action: 'unmet_need.met',
      subjectType: 'case',
      subjectId: caseId,
      details: { needType, serviceReferralId, unmetNeedIds: met.map((m) => m.id) },
    });
  }
  return met.length;
}

/**
 * A caseworker on the case says no service could meet a need: recorded with their note (encrypted),
 * on the case's timeline and in the audit log. Looking in the directory never records one.
 */
export async function recordUnmetNeedExplicitly(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: z.output<typeof unmetNeedInput>,
): Promise<UnmetNeed> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const id = randomUUID();
  const recorded = await ctx.db.transaction().execute(async (trx) => {
    const facts = await caseFacts(trx, caseId);
    if (!facts) throw notFound('The case');
    if (facts.status !== 'open') throw caseClosed();
    return recordUnmetNeed(trx, actor, {
      caseId,
      needType: input.needType,
      region: facts.region,
      ageBand: facts.age_band,
      reason: 'no_suitable_service',
      sealedNote: { id, noteEnc: seal(ctx.keyring, 'unmet_need', 'note_enc', id, input.note) },
    });
  });
  if (!recorded) {
    throw new HttpError(
      409,
      'already_recorded',
      'This need is already recorded as unmet on this case. It stays open until a service accepts the child.',
    );
  }
  const need = (await unmetNeedsForCase(ctx, caseId)).find((n) => n.id === id);
  if (!need) throw notFound('The unmet need');
  return need;
}

/** The case's unmet needs, newest first; the caseworker's note for those who may read the case. */
export async function unmetNeedsForCase(ctx: AppContext, caseId: string): Promise<UnmetNeed[]> {
  const rows = await unmetNeedsOfCase(ctx.db, caseId);
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    needType: r.need_type as UnmetNeed['needType'],
    region: r.region,
    ageBand: r.age_band,
    reason: r.reason as UnmetNeed['reason'],
    recordedAt: r.recorded_at.toISOString(),
    metAt: r.met_at?.toISOString() ?? null,
    note: r.note_enc ? unseal(ctx.keyring, 'unmet_need', 'note_enc', r.id, r.note_enc) : null,
  }));
}
