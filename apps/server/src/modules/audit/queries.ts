import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import { GENESIS_HASH } from './chain.ts';

export interface AuditFilter {
  action?: string | undefined;
  actorUserId?: string | undefined;
  /** Part of the acting person's display name, any case. */
  actor?: string | undefined;
  subjectId?: string | undefined;
  /** First New Zealand day included (YYYY-MM-DD, Pacific/Auckland). */
  from?: string | undefined;
  /** Last New Zealand day included. */
  to?: string | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/**
 * Entries newest first. The date range is in New Zealand days: a day's bounds are its local
 * midnights turned into instants, so the index on the time still serves the range.
 */
export async function listAuditEvents(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_event').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.actor) {
    // Auditors look for a person by name: every staff member whose name holds these letters.
    const pattern = `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('actor_user_id', 'in', (eb) =>
      eb.selectFrom('app_user').select('app_user.id').where('app_user.display_name', 'ilike', pattern),
    );
  }
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.from) {
    const from = filter.from;
    query = query.where(
      'occurred_at',
      '>=',
      sql<Date>`(${from}::date)::timestamp AT TIME ZONE 'Pacific/Auckland'`,
    );
  }
  if (filter.to) {
    const to = filter.to;
    query = query.where(
      'occurred_at',
      '<',
      sql<Date>`(${to}::date + 1)::timestamp AT TIME ZONE 'Pacific/Auckland'`,
    );
  }
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

/** Display names of the people who acted: staff accounts only, never children. */
export async function actorNames(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** Appends entries in one statement (a VALUES list); the sealer links them into the chain later. */
export async function insertAuditEvents(
  db: Db,
  rows: readonly Insertable<Schema['audit_event']>[],
): Promise<void> {
  await db.insertInto('audit_event').values(rows).execute();
}

/** How many entries are committed but not yet sealed, and the age of the oldest, in seconds. */
export async function countUnsealed(db: Db) {
  return db
    .selectFrom('audit_event')
    .select([
      sql<string>`count(*)::text`.as('n'),
      sql<string | null>`extract(epoch FROM now() - min(occurred_at))::text`.as('age'),
    ])
    .where('seq', 'is', null)
    .executeTakeFirst();
}

/** The head recorded apart from the chain (migration 0016): the newest sealed position and hash. */
export async function recordedAuditHead(db: Db) {
  return db.selectFrom('audit_head').select(['last_id', 'last_hash']).executeTakeFirst();
}

/** Sealed entries from a chain position on, in position order. */
export async function sealedEntriesFrom(db: Db, position: number, limit: number) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('seq', '>=', position)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export interface ChainHead {
  /** Chain position of the newest sealed entry: also the number of sealed entries. */
  position: number;
  /** Its id (from the sequence requests append under). */
  entryId: number;
  hash: string;
}

/** The newest sealed entry: where the next one links. */
export async function chainHead(db: Db): Promise<ChainHead | null> {
  const tip = await db
    .selectFrom('audit_event')
    .select(['seq', 'id', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return tip ? { position: Number(tip.seq), entryId: Number(tip.id), hash: tip.hash ?? GENESIS_HASH } : null;
}

/** Waits for the sealer's lock (held until the transaction ends). */
export async function waitForSealLock(trx: Db, lock: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${lock})`.execute(trx);
}

/** Takes the sealer's lock if free (held until the transaction ends); false when another holds it. */
export async function tryTakeSealLock(trx: Db, lock: number): Promise<boolean> {
  const got = await sql<{
    got: boolean;
  }>`SELECT pg_try_advisory_xact_lock(${lock}) AS got`.execute(trx);
  return got.rows[0]?.got ?? false;
}

/** Committed entries not yet in the chain, oldest id first. */
export async function unsealedEntries(trx: Db, limit: number) {
  return trx
    .selectFrom('audit_event')
    .selectAll()
    .where('seq', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export interface ChainLink {
  id: number;
  seq: number;
  prev_hash: string;
  hash: string;
}

/** Gives entries their chain positions and hashes, only those still unsealed; how many it changed. */
export async function linkEntries(trx: Db, links: readonly ChainLink[]): Promise<number> {
  const updated = await sql`
        UPDATE audit_event AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS v(id bigint, seq bigint, prev_hash text, hash text)
         WHERE a.id = v.id AND a.seq IS NULL`.execute(trx);
  return Number(updated.numAffectedRows ?? 0);
}

/** Records the new head apart from the chain (migration 0016). */
export async function recordAuditHead(trx: Db, position: number, hash: string): Promise<void> {
  await trx.insertInto('audit_head').values({ last_id: position, last_hash: hash }).execute();
}
