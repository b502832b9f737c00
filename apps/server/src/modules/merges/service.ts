import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  appendCaseEvent,
  peopleById,
  refOf,
  requireAccess,
  seal,
  unknownPerson,
  unseal,
} from '../child-record/index.ts';
import {
  caseForMerge,
  insertMerge,
  markUnmerged,
  mergeById,
  mergeRows,
  moveBack,
  moveCaseInto,
} from './queries.ts';

async function requireTeamCase(ctx: AppContext, auth: AuthContext, caseId: string) {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  return caseForMerge(ctx.db, caseId);
}

/**
 * Merges another case of the same child into this one: the other case's child records and
 * referrals join this case and the other case closes. The merge lists what moved, so un-merging
 * puts exactly that back. Nothing is deleted.
 */
export async function mergeCases(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  keptId: string,
  input: { otherCaseId: string; reason: string; version: number },
): Promise<{ mergeId: string }> {
  if (keptId === input.otherCaseId)
    throw new HttpError(400, 'same_case', 'Choose a different case to merge into this one.', [
      { path: 'otherCaseId', message: 'This is the same case' },
    ]);
  const kept = await requireTeamCase(ctx, auth, keptId);
  const other = await requireTeamCase(ctx, auth, input.otherCaseId);
  if (kept.status !== 'open' || other.status !== 'open')
    throw new HttpError(
      409,
      'case_closed',
      'Both cases must be open to merge them. Reopen the closed one first.',
    );
  const mergeId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'case_record', keptId, input.version, 'The case');
    const { childIds, referralIds } = await moveCaseInto(trx, other.id, keptId, auth.userId);
    await insertMerge(trx, {
      id: mergeId,
      kept_case_id: keptId,
      merged_case_id: other.id,
      child_ids: childIds,
      referral_ids: referralIds,
      reason_enc: seal(ctx.keyring, 'case_merge', 'reason_enc', mergeId, input.reason),
      merged_by_user_id: auth.userId,
    });
    const details = {
      mergeId,
      keptCase: kept.reference,
      mergedCase: other.reference,
      referrals: referralIds.length,
    };
    await appendCaseEvent(trx, actor, keptId, 'case.merged_in', mergeId, details);
    await appendCaseEvent(trx, actor, other.id, 'case.merged_away', mergeId, details);
    await recordAudit(trx, actor, {
      action: 'case.merged',
      subjectType: 'case',
      subjectId: keptId,
      details: { mergeId, mergedCaseId: other.id, childIds, referralIds },
    });
  });
  return { mergeId };
}

/** Reverses a merge exactly: the listed child records and referrals go back, the case reopens. */
export async function unmergeCases(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  mergeId: string,
  reason: string,
): Promise<void> {
  const merge = await mergeById(ctx.db, mergeId);
  if (!merge) throw notFound('The merge');
  await requireTeamCase(ctx, auth, merge.kept_case_id).catch(() => {
    throw notFound('The merge');
  });
  if (merge.unmerged_at) throw new HttpError(409, 'already_unmerged', 'This merge has already been undone.');
  await ctx.db.transaction().execute(async (trx) => {
    const undone = await markUnmerged(trx, mergeId, {
      unmerged_by_user_id: auth.userId,
      unmerge_reason_enc: seal(ctx.keyring, 'case_merge', 'unmerge_reason_enc', mergeId, reason),
    });
    if (!undone) throw new HttpError(409, 'already_unmerged', 'This merge has already been undone.');
    await moveBack(trx, merge);
    await appendCaseEvent(trx, actor, merge.kept_case_id, 'case.unmerged', mergeId, {});
    await appendCaseEvent(trx, actor, merge.merged_case_id, 'case.unmerged', mergeId, {});
    await recordAudit(trx, actor, {
      action: 'case.unmerged',
      subjectType: 'case',
      subjectId: merge.kept_case_id,
      details: { mergeId, mergedCaseId: merge.merged_case_id },
    });
  });
}

/** Merges that involve a case, for its page. */
export async function mergesOf(ctx: AppContext, caseId: string) {
  const rows = await mergeRows(ctx.db, caseId);
  const people = await peopleById(
    ctx.db,
    rows.map((r) => r.merged_by_user_id),
  );
  return rows.map((r) => ({
    id: r.id,
    keptCase: { id: r.kept_id, reference: r.kept_reference },
    mergedCase: { id: r.merged_id, reference: r.merged_reference },
    reason: unseal(ctx.keyring, 'case_merge', 'reason_enc', r.id, r.reason_enc),
    mergedBy: refOf(people, r.merged_by_user_id, unknownPerson),
    mergedAt: r.merged_at.toISOString(),
    unmergedAt: r.unmerged_at?.toISOString() ?? null,
  }));
}
