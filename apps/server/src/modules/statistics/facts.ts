import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';

/**
 * Runs statistics queries as the database role tiaki_stats, which may read the fact views and
 * nothing else: the database itself refuses any read of identity, narrative or encrypted columns.
 */
export async function withFacts<T>(
  ctx: AppContext,
  fn: (trx: Transaction<Schema>) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL ROLE tiaki_stats`.execute(trx);
    return fn(trx);
  });
}

export interface Period {
  from: string;
  to: string;
}

/**
 * Distinct children referred in a period: each child counted once, however many referrals and
 * agencies reported them — confirmed links (a referral added to a child's case, merged cases)
 * make one child of many records. Referrals not yet triaged count as their own child until a
 * person links them.
 */
export async function distinctChildren(ctx: AppContext, period: Period): Promise<number> {
  return withFacts(ctx, async (trx) => {
    const row = await sql<{ n: number }>`
      SELECT count(DISTINCT child_unit)::int AS n FROM fact_referral
      WHERE received_on BETWEEN ${period.from} AND ${period.to}`.execute(trx);
    return row.rows[0]?.n ?? 0;
  });
}
