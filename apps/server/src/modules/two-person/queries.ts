import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { RequestStatus, Schema } from '../../db/schema.ts';

/** The tables of requests one person makes and a second decides. */
export type TwoPersonTable = 'privileged_request' | 'privacy_request';

/** A request's row: the columns of the lifecycle every such table has, and its own. */
export type RequestRow<T extends TwoPersonTable> = Selectable<Schema[T]> & {
  id: string;
  status: RequestStatus;
  requested_by: string;
  expires_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
};

/** Marks every pending request past its time as expired; the requests expired. */
export async function expirePending<T extends TwoPersonTable>(db: Db, table: T): Promise<RequestRow<T>[]> {
  const { rows } = await sql<RequestRow<T>>`
    UPDATE ${sql.table(table)} SET status = 'expired', decided_at = now()
    WHERE status = 'pending' AND expires_at <= now()
    RETURNING *`.execute(db);
  return rows;
}

/** A request, locked until the transaction ends, so two deciders take turns. */
export async function lockRequest<T extends TwoPersonTable>(
  db: Db,
  table: T,
  id: string,
): Promise<RequestRow<T> | undefined> {
  const { rows } = await sql<
    RequestRow<T>
  >`SELECT * FROM ${sql.table(table)} WHERE id = ${id} FOR UPDATE`.execute(db);
  return rows[0];
}

/** Records the decision on a request, with anything else the decision changes on it. */
export async function recordDecision(
  db: Db,
  table: TwoPersonTable,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string | null; expiresAt?: Date },
): Promise<void> {
  // Both tables have these columns; Kysely is told one of them, as it cannot build on either.
  await db
    .updateTable(table as 'privacy_request')
    .set({
      status: decision.status,
      decided_by: decision.decidedBy,
      decided_at: sql<Date>`now()`,
      ...(decision.expiresAt ? { expires_at: decision.expiresAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}
