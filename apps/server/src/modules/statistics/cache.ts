import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppContext } from '../../context.ts';
import type { Database, Db } from '../../db/database.ts';
import {
  currentWalLsn,
  factChangeNumber,
  findSnapshot,
  replayedTo,
  saveSnapshot,
  stillInProgress,
  transactionsInProgress,
} from './queries/snapshots.ts';

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
  /**
   * Computed after every transaction that drew a change number up to `change` had ended (by the
   * warming job, or read back from its snapshot): right for that number however long it is kept.
   */
  settled: boolean;
}

/** Enough for every period and region a team looks at in a day, and all the warming job computes. */
const MAX_ENTRIES = 1000;
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
  const { n: change, lsn } = await factChangeNumber(ctx.db, ctx.statsDb !== undefined);
  if (!ctx.statsDb || !lsn) return { change, current: true };
  return { change, current: await replicaCaughtUp(ctx.statsDb, lsn, Date.now() + REPLICA_WAIT_MS) };
}

async function replicaCaughtUp(replica: Db, lsn: string, deadline: number): Promise<boolean> {
  for (;;) {
    if (await replayedTo(replica, lsn)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A fact change number that every statistic computed from now on is right for: read, then waited
 * on until every transaction in progress when it was read has ended (a writer draws its number
 * before it commits, so one still in progress could otherwise be missed under that number), and
 * until a replica read from has replayed that far. Null when that takes longer than `waitMs`.
 */
export async function settledFactChange(ctx: AppContext, waitMs = 60_000): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  const { n: change } = await factChangeNumber(ctx.db, false);
  const open = await transactionsInProgress(ctx.db);
  while ((await stillInProgress(ctx.db, open)) > 0) {
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (ctx.statsDb && !(await replicaCaughtUp(ctx.statsDb, await currentWalLsn(ctx.db), deadline)))
    return null;
  return change;
}

/** Set while the warming job computes: the settled change number it computes at. */
const warming = new AsyncLocalStorage<{ change: string }>();

/**
 * Runs `fn` as the warming job: every statistic it asks for is computed afresh at `change` (a
 * settled number, see settledFactChange), unless already computed settled at that number, and
 * the ones asked with `keep` are written to statistics_snapshot for every server process.
 */
export function warmAt<T>(change: string, fn: () => Promise<T>): Promise<T> {
  return warming.run({ change }, fn);
}

const computations = new WeakMap<Database, number>();

/** How many statistics this process has computed (not found kept) on this database: for tests. */
export function statisticsComputed(database: Database): number {
  return computations.get(database) ?? 0;
}

export interface CacheOptions {
  /**
   * A published output the warming job computes ahead of readers: kept in statistics_snapshot
   * (JSON) when the job computes it, and looked for there before computing it on request.
   */
  keep?: boolean;
}

/** The value computed for `key` at the current fact change, or computes (once, even if asked twice at once) and keeps it. */
export async function cachedStatistic<T>(
  ctx: AppContext,
  key: string,
  compute: () => Promise<T>,
  options: CacheOptions = {},
): Promise<T> {
  let cache = caches.get(ctx.database);
  if (!cache) caches.set(ctx.database, (cache = new Map<string, Entry>()));
  const remember = (change: string, value: Promise<T>, settled: boolean) => {
    cache.delete(key);
    cache.set(key, { change, storedAt: Date.now(), value, settled });
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value ?? key);
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  };
  const run = () => {
    computations.set(ctx.database, statisticsComputed(ctx.database) + 1);
    return compute();
  };

  const warm = warming.getStore();
  if (warm) {
    const found = cache.get(key);
    if (found?.settled && found.change === warm.change) return found.value as Promise<T>;
    if (options.keep) {
      // Kept by an earlier look of the job at this same number (it computes in slices).
      const kept = await findSnapshot(ctx.db, key, warm.change);
      if (kept !== undefined) return remember(warm.change, Promise.resolve(kept as T), true);
    }
    const value = remember(warm.change, run(), true);
    if (options.keep) await saveSnapshot(ctx.db, key, warm.change, await value);
    return value;
  }

  const { change, current } = await lastFactChange(ctx);
  if (!current) return run();
  const found = cache.get(key);
  if (found && found.change === change && (found.settled || Date.now() - found.storedAt < MAX_AGE_MS)) {
    // Most recently used last, so the oldest is the one let go when the cache is full.
    cache.delete(key);
    cache.set(key, found);
    return found.value as Promise<T>;
  }
  if (options.keep) {
    // Computed by the warming job, perhaps in another process, at this very number.
    const kept = await findSnapshot(ctx.db, key, change);
    if (kept !== undefined) return remember(change, Promise.resolve(kept as T), true);
  }
  return remember(change, run(), false);
}
