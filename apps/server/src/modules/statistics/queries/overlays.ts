// The SQL of what trends show beside the counts (trends.ts): named events and series imported
// from other sources.
import type { Db } from '../../../db/database.ts';
import type { Period } from './facts.ts';

/** Events overlapping the period, by start. */
export function eventsIn(db: Db, period: Period) {
  return db
    .selectFrom('statistics_event')
    .select(['id', 'name', 'starts_on', 'ends_on'])
    .where('ends_on', '>=', period.from)
    .where('starts_on', '<=', period.to)
    .orderBy('starts_on')
    .execute();
}

/** Points of every imported series in the period, by series then date. */
export function externalSeriesIn(db: Db, period: Period) {
  return db
    .selectFrom('external_series_point')
    .select(['series', 'period_start', 'value'])
    .where('period_start', '>=', period.from)
    .where('period_start', '<=', period.to)
    .orderBy('series')
    .orderBy('period_start')
    .execute();
}

export function insertEvent(
  db: Db,
  values: { name: string; starts_on: string; ends_on: string; created_by_user_id: string },
) {
  return db.insertInto('statistics_event').values(values).returning('id').executeTakeFirstOrThrow();
}

/** One point of a series; a point already there for that date takes the new value. */
export async function upsertSeriesPoint(
  db: Db,
  p: { series: string; period: string; value: number; importedBy: string },
): Promise<void> {
  await db
    .insertInto('external_series_point')
    .values({ series: p.series, period_start: p.period, value: p.value, imported_by_user_id: p.importedBy })
    .onConflict((oc) =>
      oc.columns(['series', 'period_start']).doUpdateSet({ value: p.value, imported_at: new Date() }),
    )
    .execute();
}
