import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  organisationsById,
  peopleById,
  refOf,
  seal,
  unknownOrganisation,
  unknownPerson,
  unseal,
} from '../child-record/index.ts';
import { childMatchesGiven, givenKinds, type ChildGiven } from '../privacy/index.ts';
import { breakGlassRows, caseIdWhere, insertBreakGlass, reviewGrant } from './queries.ts';

const NOT_MATCHED = 'A case with that reference and that date of birth or family name';

function requireLeadAgency(auth: AuthContext): void {
  if (auth.organisation.kind !== 'lead_agency')
    throw new HttpError(403, 'forbidden', 'Only lead-agency supervisors can use break-glass access.');
}

/** Emergency access for a lead-agency supervisor: time-limited, reasoned, and queued for review. */
export async function breakGlass(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  reason: string,
): Promise<{ expiresAt: string }> {
  requireLeadAgency(auth);
  const exists = await caseIdWhere(ctx.db, { id: caseId });
  if (!exists) throw notFound('The case');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + ctx.config.workflow.breakGlassHours * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    await insertBreakGlass(trx, {
      id,
      case_id: caseId,
      user_id: auth.userId,
      organisation_id: auth.organisation.id,
      reason_enc: seal(ctx.keyring, 'break_glass', 'reason_enc', id, reason),
      expires_at: expiresAt,
    });
    await recordAudit(trx, actor, {
      action: 'case.break_glass',
      subjectType: 'case',
      subjectId: caseId,
      details: { breakGlassId: id, expiresAt: expiresAt.toISOString(), flagged: true },
    });
  });
  return { expiresAt: expiresAt.toISOString() };
}

/**
 * Break-glass by case reference: a supervisor outside the team has no other way to name the case.
 * References are sequential, so the child's date of birth or family name must come beside it (as
 * privacy requests ask, through the same check). An unknown reference and a child who does not
 * match answer the same 404 and store nothing; each miss is audited, so walking references shows.
 */
export async function breakGlassByReference(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: { caseReference: string; reason: string } & ChildGiven,
): Promise<{ caseId: string; expiresAt: string }> {
  requireLeadAgency(auth);
  const found = await caseIdWhere(ctx.db, { reference: input.caseReference });
  if (!found || !(await childMatchesGiven(ctx, found.child_id, input))) {
    // No reference or name in the entry; the case, when the reference exists, for the reviewer.
    await recordAudit(ctx.db, actor, {
      action: 'break_glass.not_matched',
      ...(found ? { subjectType: 'case', subjectId: found.id } : {}),
      details: givenKinds(input),
    });
    throw notFound(NOT_MATCHED);
  }
  return { caseId: found.id, ...(await breakGlass(ctx, auth, actor, found.id, input.reason)) };
}

export async function listBreakGlass(ctx: AppContext, pendingOnly: boolean) {
  const rows = await breakGlassRows(ctx.db, pendingOnly);
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
    const updated = await reviewGrant(trx, id, {
      reviewed_by_user_id: auth.userId,
      reviewed_at: new Date(),
      review_outcome: input.outcome,
      review_note_enc: input.note
        ? seal(ctx.keyring, 'break_glass', 'review_note_enc', id, input.note)
        : null,
    });
    if (!updated) throw notFound('The break-glass access to review');
    await recordAudit(trx, actor, {
      action: 'break_glass.reviewed',
      subjectType: 'case',
      subjectId: updated.case_id,
      details: { breakGlassId: id, outcome: input.outcome },
    });
  });
}
