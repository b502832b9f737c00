import { sql } from 'kysely';
import type { AppContext } from '../../../context.ts';
import type { Db } from '../../../db/database.ts';
import { withFacts } from '../facts.ts';

// Statistics kept ahead of readers (migration 0038): snapshots and where the warming job stands.

/** The last fact change number drawn on the primary, and its write position when a replica is read. */
export async function factChangeNumber(db: Db, withLsn: boolean): Promise<{ n: string; lsn: string | null }> {
  const row = await sql<{ n: string | number; lsn: string | null }>`
    SELECT last_value AS n, ${withLsn ? sql`pg_current_wal_lsn()::text` : sql`NULL`} AS lsn
    FROM fact_change_seq`.execute(db);
  return { n: String(row.rows[0]?.n ?? '0'), lsn: row.rows[0]?.lsn ?? null };
}

/** The primary's write position now. */
export async function currentWalLsn(db: Db): Promise<string> {
  const row = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db);
  return row.rows[0]?.lsn ?? '0/0';
}

/** Whether a replica has replayed the primary's writes up to `lsn`. */
export async function replayedTo(db: Db, lsn: string): Promise<boolean> {
  const replayed = await sql<{ done: boolean }>`
    SELECT coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, true) AS done`.execute(db);
  return replayed.rows[0]?.done ?? true;
}

/**
 * Write transactions in progress now in this database (process and transaction id), other than
 * the asking one. (Transaction ids are the whole server's: another database's never matter.)
 */
export async function transactionsInProgress(db: Db): Promise<string[]> {
  const rows = await sql<{ x: string }>`
    SELECT pid::text || ':' || backend_xid::text AS x FROM pg_stat_activity
    WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`.execute(db);
  return rows.rows.map((r) => r.x);
}

/** How many of these transactions are still in progress. */
export async function stillInProgress(db: Db, xids: readonly string[]): Promise<number> {
  if (xids.length === 0) return 0;
  const row = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND backend_xid IS NOT NULL
      AND pid::text || ':' || backend_xid::text = ANY(${xids}::text[])`.execute(db);
  return row.rows[0]?.n ?? 0;
}

/** A snapshot kept for `key` at exactly this change number, if there is one. */
export async function findSnapshot(db: Db, key: string, change: string): Promise<unknown> {
  const row = await sql<{ value: unknown }>`
    SELECT value FROM statistics_snapshot WHERE key = ${key} AND change = ${change}::bigint`.execute(db);
  return row.rows[0]?.value;
}

/** Keeps a snapshot for `key` (replacing an older one; never one of a later change). */
export async function saveSnapshot(db: Db, key: string, change: string, value: unknown): Promise<void> {
  await sql`
    INSERT INTO statistics_snapshot (key, change, value) VALUES (${key}, ${change}::bigint, ${JSON.stringify(value)}::jsonb)
    ON CONFLICT (key) DO UPDATE SET change = excluded.change, value = excluded.value, computed_at = now()
    WHERE statistics_snapshot.change <= excluded.change`.execute(db);
}

/** Snapshots of changes before this one are of no use any more. */
export async function dropSnapshotsBefore(db: Db, change: string): Promise<void> {
  await sql`DELETE FROM statistics_snapshot WHERE change < ${change}::bigint`.execute(db);
}

export interface WarmingState {
  seen_change: string | null;
  warmed_change: string | null;
  warmed_for: string | null;
  warmed_at: Date | null;
  took_ms: number | null;
}

export async function warmingState(db: Db): Promise<WarmingState> {
  const row = await sql<WarmingState>`
    SELECT seen_change::text AS seen_change, warmed_change::text AS warmed_change,
      to_char(warmed_for, 'YYYY-MM-DD') AS warmed_for, warmed_at, took_ms
    FROM statistics_warming`.execute(db);
  return (
    row.rows[0] ?? {
      seen_change: null,
      warmed_change: null,
      warmed_for: null,
      warmed_at: null,
      took_ms: null,
    }
  );
}

export async function noteSeenChange(db: Db, change: string): Promise<void> {
  await sql`UPDATE statistics_warming SET seen_change = ${change}::bigint`.execute(db);
}

export async function noteWarmed(
  db: Db,
  warmed: { seen: string; change: string; day: string; tookMs: number },
): Promise<void> {
  await sql`UPDATE statistics_warming SET seen_change = ${warmed.seen}::bigint,
    warmed_change = ${warmed.change}::bigint, warmed_for = ${warmed.day}::date, warmed_at = now(),
    took_ms = ${Math.round(warmed.tookMs)}`.execute(db);
}

/** Regions any referral was received in (the warming job computes these areas ahead). */
export async function regionsWithFacts(ctx: AppContext): Promise<string[]> {
  return withFacts(ctx, async (trx) => {
    const rows = await sql<{ region: string | null }>`SELECT DISTINCT region FROM fact_referral`.execute(trx);
    return rows.rows.flatMap((r) => (r.region === null ? [] : [r.region]));
  });
}
