import type { AppContext } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { factChangeNumber, hasReplayedTo } from './queries/facts.ts';

/**
 * Published statistics, kept per database until the facts behind them change (migration 0011:
 * every write to a fact table draws a number from fact_change_seq). A dashboard read by many
 * people, or opened again, then costs one small query instead of a scan of millions of rows.
 * Holds counts only — never a name or a narrative — and exact figures under their own key, so a
 * published (rounded) request can never be answered with exact ones.
 */
interface Entry {
  change: string;
  storedAt: number;
  value: Promise<unknown>;
}

/** Enough for every period and region a team looks at in a day. */
const MAX_ENTRIES = 500;
/**
 * A write that commits while a statistic is being computed may be missed under the number read
 * before it; an entry is therefore trusted for ten minutes at most, whatever the number says.
 */
const MAX_AGE_MS = 10 * 60_000;

const caches = new WeakMap<Database, Map<string, Entry>>();

/** How long a statistics read waits for a lagging replica to replay the primary's latest writes. */
const REPLICA_WAIT_MS = 2_000;

/**
 * The fact change number on the primary, and whether the database statistics read from has
 * everything up to it. On a replica the sequence itself cannot be trusted (PostgreSQL logs a
 * sequence 32 numbers ahead, so a replica's copy moves in jumps): the number is read on the
 * primary with its write position, and the replica is given a moment to replay to that position.
 * A replica still behind is read anyway, but what it gives is not kept.
 */
async function lastFactChange(ctx: AppContext): Promise<{ change: string; current: boolean }> {
  const row = await factChangeNumber(ctx.db, ctx.statsDb !== undefined);
  const change = String(row?.n ?? '0');
  const lsn = row?.lsn;
  if (!ctx.statsDb || !lsn) return { change, current: true };
  const deadline = Date.now() + REPLICA_WAIT_MS;
  for (;;) {
    if (await hasReplayedTo(ctx.statsDb, lsn)) return { change, current: true };
    if (Date.now() > deadline) return { change, current: false };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The value computed for `key` at the current fact change, or computes (once, even if asked twice at once) and keeps it. */
export async function cachedStatistic<T>(
  ctx: AppContext,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  let cache = caches.get(ctx.database);
  if (!cache) caches.set(ctx.database, (cache = new Map<string, Entry>()));
  const { change, current } = await lastFactChange(ctx);
  if (!current) return compute();
  const found = cache.get(key);
  if (found && found.change === change && Date.now() - found.storedAt < MAX_AGE_MS) {
    // Most recently used last, so the oldest is the one let go when the cache is full.
    cache.delete(key);
    cache.set(key, found);
    return found.value as Promise<T>;
  }
  const value = compute();
  cache.set(key, { change, storedAt: Date.now(), value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value ?? key);
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}
