import type { Transaction } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { Actor } from '../audit/index.ts';
import { insertCaseEvent } from './queries.ts';

/**
 * One line of the child's timeline. Details hold codes, dates and ids only, never names or
 * narrative, so the timeline can be shown to anyone on the case team.
 */
export async function appendCaseEvent(
  trx: Transaction<Schema>,
  actor: Actor,
  caseId: string,
  kind: string,
  subjectId: string | null,
  details: Record<string, unknown> = {},
  occurredAt: Date = new Date(),
): Promise<void> {
  await insertCaseEvent(trx, {
    case_id: caseId,
    kind,
    subject_id: subjectId,
    details: JSON.stringify(details),
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    occurred_at: occurredAt,
  });
}
