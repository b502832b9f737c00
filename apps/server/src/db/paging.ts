import { COUNT_LIMIT } from '@tiaki/domain';
import { sql, type Expression } from 'kysely';
import type { Db } from './database.ts';

/**
 * How many rows a list's filters match, counted up to COUNT_LIMIT: past that the list says
 * "10,000+" (`totalCapped`) instead of reading every row the person may see to count them.
 * `rows` is the list's filtered query selecting anything (its rows are only counted).
 */
export async function countUpTo(
  db: Db,
  rows: { limit: (n: number) => Expression<unknown> },
): Promise<{ total: number; totalCapped: boolean }> {
  const { rows: counted } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (${rows.limit(COUNT_LIMIT + 1)}) AS counted`.execute(db);
  const n = counted[0]?.n ?? 0;
  return n > COUNT_LIMIT ? { total: COUNT_LIMIT, totalCapped: true } : { total: n, totalCapped: false };
}
