import { sql, type Insertable, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * Inserts many rows in one statement with a single parameter: the rows as one JSON document, turned
 * back into rows by `jsonb_populate_recordset`. A multi-row VALUES of a thousand rows carries tens
 * of thousands of parameters, each built, sent and parsed on its own (most of a bulk import's
 * time); this carries one. Every row must have the same columns (the first row's; a column left
 * out takes its default); a JSON value must read as the column's type (dates as ISO strings, jsonb
 * columns as objects, not as JSON text).
 */
export async function insertJsonRows<T extends keyof Schema>(
  db: Kysely<Schema>,
  table: T,
  rows: readonly Insertable<Schema[T]>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join(Object.keys(first).map((column) => sql.ref(column)));
  await sql`INSERT INTO ${sql.table(table)} (${columns})
    SELECT ${columns} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
    db,
  );
}
