// The SQL of the daily query budget (budget.ts): the distinct shapes a person asked for in a day.
import type { Db } from '../../../db/database.ts';

/** Which of `shapes` the person has already asked for that day. */
export function knownShapes(db: Db, userId: string, day: string, shapes: string[]) {
  return db
    .selectFrom('statistics_query_shape')
    .select('shape')
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .where('shape', 'in', shapes)
    .execute();
}

/** How many shapes the person asked for that day, not counting `except` (the alert mark). */
export async function shapesUsed(db: Db, userId: string, day: string, except: string): Promise<number> {
  const used = await db
    .selectFrom('statistics_query_shape')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .where('shape', '<>', except)
    .executeTakeFirstOrThrow();
  return Number(used.n);
}

/** Records a shape for the person's day (once). */
export async function recordShape(db: Db, userId: string, day: string, shape: string): Promise<void> {
  await db
    .insertInto('statistics_query_shape')
    .values({ user_id: userId, day, shape })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
