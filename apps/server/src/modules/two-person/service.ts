import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, SYSTEM_ACTOR, type Actor, type AuditInput } from '../audit/index.ts';
import {
  expirePending,
  lockRequest,
  recordDecision,
  type RequestRow,
  type TwoPersonTable,
} from './queries.ts';

/**
 * The lifecycle both two-person rules share (issue 19, finding 2): administrators' privileged
 * changes (users/requests.ts) and IPP 6 exports (privacy/requests.ts). One person asks; the request
 * is `pending` until a second person approves or rejects it, or until its time runs out
 * (`expired`, set by whoever next looks). Each step is audited.
 */
export interface TwoPersonRules<T extends TwoPersonTable> {
  table: T;
  /** What a missing request is called in the 404. */
  name: string;
  /** Said when the request ran out of time before anyone decided it. */
  expiredMessage: string;
  /** The audit entry of each request found expired. */
  expiredAudit: (row: RequestRow<T>) => AuditInput;
}

/** Marks every pending request past its time as expired, each audited; how many. */
export async function expireDue<T extends TwoPersonTable>(
  trx: Db,
  rules: TwoPersonRules<T>,
): Promise<number> {
  const expired = await expirePending(trx, rules.table);
  for (const row of expired) await recordAudit(trx, SYSTEM_ACTOR, rules.expiredAudit(row));
  return expired.length;
}

/**
 * Decides a pending request in one transaction: `refuse` throws for a person who may not decide
 * it (their own request); a request past its time is marked expired (committed) and answered 409
 * `request_expired`; a request already decided is answered 409. Then the decision is recorded and
 * `then` does the rest inside the same transaction (its audit entry, the change itself).
 */
export async function decideRequest<T extends TwoPersonTable, R>(
  db: Db,
  rules: TwoPersonRules<T>,
  decision: {
    id: string;
    actor: Actor;
    outcome: 'approved' | 'rejected';
    refuse: (row: RequestRow<T>) => void;
    /** A new time limit the decision sets (an approved export's time to download). */
    expiresAt?: Date;
  },
  then: (trx: Db, row: RequestRow<T>) => Promise<R>,
): Promise<R> {
  const expired = Symbol('expired');
  const result = await db.transaction().execute(async (trx) => {
    const row = await lockRequest(trx, rules.table, decision.id);
    if (!row) throw notFound(rules.name);
    decision.refuse(row);
    if (row.status === 'pending' && row.expires_at.getTime() <= Date.now()) {
      await expireDue(trx, rules);
      return expired;
    }
    if (row.status !== 'pending') {
      throw new HttpError(
        409,
        row.status === 'expired' ? 'request_expired' : 'already_decided',
        row.status === 'expired' ? rules.expiredMessage : `This request was already ${row.status}.`,
      );
    }
    await recordDecision(trx, rules.table, decision.id, {
      status: decision.outcome,
      decidedBy: decision.actor.userId,
      ...(decision.expiresAt ? { expiresAt: decision.expiresAt } : {}),
    });
    return then(trx, row);
  });
  if (result === expired) throw new HttpError(409, 'request_expired', rules.expiredMessage);
  return result;
}
