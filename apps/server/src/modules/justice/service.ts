import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Charge, ChargeOutcome, chargeInput, chargeUpdateInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { appendCaseEvent, requireAccess, seal, unseal } from '../child-record/index.ts';
import { chargeOfCase, chargesOfCase, insertCharge, updateChargeRow } from './queries.ts';

/**
 * Justice outcomes: the charges laid against the people who exploited a child, recorded on the
 * child's case by its team (a caseworker of any organisation on the team, Police included).
 * Need to know: only those who may see the case read them (404 otherwise); only the team itself
 * records them. Every read and change is audited with codes and ids, never the note.
 */

type Row = Awaited<ReturnType<typeof chargesOfCase>>[number];

function toCharge(ctx: AppContext, row: Row): Charge {
  return {
    id: row.id,
    caseId: row.case_id,
    provision: row.provision,
    manifestation: row.manifestation,
    laidOn: row.laid_on,
    outcome: row.outcome as ChargeOutcome,
    outcomeOn: row.outcome_on,
    note: unseal(ctx.keyring, 'charge', 'note_enc', row.id, row.note_enc),
    recordedAt: row.created_at.toISOString(),
    version: row.version,
  };
}

const notInFuture = (path: string) =>
  new HttpError(400, 'validation_failed', 'A charge is recorded once it has happened.', [
    { path, message: 'Must not be in the future' },
  ]);

/** The case's charges, for whoever may see the case; the read is audited. */
export async function listCharges(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
): Promise<Charge[]> {
  await requireAccess(ctx.db, auth, 'cases.read', caseId);
  const rows = await chargesOfCase(ctx.db, caseId);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, actor, {
      action: 'case.charges_read',
      subjectType: 'case',
      subjectId: caseId,
      details: { count: rows.length },
    }),
  );
  return rows.map((row) => toCharge(ctx, row));
}

/** Records a charge laid; the provision and form were checked against the taxonomy by the schema. */
export async function recordCharge(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  input: z.output<typeof chargeInput>,
): Promise<Charge> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  if (input.laidOn > ctx.today()) throw notInFuture('laidOn');
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertCharge(trx, {
      id,
      case_id: caseId,
      provision: input.provision,
      manifestation: input.manifestation,
      laid_on: input.laidOn,
      note_enc: input.note === undefined ? null : seal(ctx.keyring, 'charge', 'note_enc', id, input.note),
      recorded_by_user_id: auth.userId || null,
    });
    const details = { provision: input.provision, manifestation: input.manifestation, laidOn: input.laidOn };
    await appendCaseEvent(trx, actor, caseId, 'justice.charge_recorded', id, details);
    await recordAudit(trx, actor, {
      action: 'case.charge_recorded',
      subjectType: 'case',
      subjectId: caseId,
      details: { chargeId: id, ...details },
    });
  });
  const row = await chargeOfCase(ctx.db, caseId, id);
  if (!row) throw notFound('The charge');
  return toCharge(ctx, row);
}

/** Records where a charge stands (withdrawn, convicted, acquitted, or charged again on appeal). */
export async function updateCharge(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
  chargeId: string,
  input: z.output<typeof chargeUpdateInput>,
): Promise<Charge> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const existing = await chargeOfCase(ctx.db, caseId, chargeId);
  if (!existing) throw notFound('The charge');
  const outcomeOn = input.outcome === 'charged' ? null : (input.outcomeOn ?? null);
  if (outcomeOn !== null && outcomeOn > ctx.today()) throw notInFuture('outcomeOn');
  if (outcomeOn !== null && outcomeOn < existing.laid_on)
    throw new HttpError(400, 'validation_failed', 'An outcome comes after the charge is laid.', [
      { path: 'outcomeOn', message: `Must be on or after ${existing.laid_on}` },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'charge', chargeId, input.version, 'The charge');
    await updateChargeRow(trx, chargeId, { outcome: input.outcome, outcome_on: outcomeOn });
    const details = { provision: existing.provision, outcome: input.outcome, outcomeOn };
    await appendCaseEvent(trx, actor, caseId, 'justice.charge_updated', chargeId, details);
    await recordAudit(trx, actor, {
      action: 'case.charge_updated',
      subjectType: 'case',
      subjectId: caseId,
      details: { chargeId, ...details },
    });
  });
  const row = await chargeOfCase(ctx.db, caseId, chargeId);
  if (!row) throw notFound('The charge');
  return toCharge(ctx, row);
}
