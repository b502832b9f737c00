import type { Database } from '../../db/database.ts';
import type { SessionRow } from './queries.ts';

/** Sessions one process keeps at most (the oldest copy goes first). */
const MAX_ENTRIES = 10_000;

interface Entry {
  row: SessionRow;
  /** `sessionWrites.generation` when the row was read: any later write to what it is made of drops it. */
  generation: number;
  readAt: number;
}

/**
 * A short-lived copy of sessions as read from the database, so that a signed-in request does not
 * ask the database who it is each time (one round trip of the two an audited read makes). A copy
 * is used only while it is younger than SESSION_CACHE_SECONDS and nothing that makes up a session
 * (the session, the account, its roles, its organisation) has been written through this process
 * since it was read: signing out, deactivating an account or changing its roles here takes effect
 * at once. A change made by another server process, or directly in the database, takes effect
 * within SESSION_CACHE_SECONDS. Expiry (idle and absolute) is checked on every request, copy or not.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly database: Pick<Database, 'sessionWrites'>,
    private readonly ttlMs: number,
  ) {}

  get(sessionId: string, now: number): SessionRow | undefined {
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.generation !== this.database.sessionWrites.generation || now - entry.readAt >= this.ttlMs) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    return entry.row;
  }

  /** Keeps a row read when the generation was `generation` (taken before the read began). */
  set(sessionId: string, row: SessionRow, generation: number, now: number): void {
    if (this.ttlMs <= 0 || generation !== this.database.sessionWrites.generation) return;
    this.#entries.delete(sessionId);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(sessionId, { row, generation, readAt: now });
  }

  delete(sessionId: string): void {
    this.#entries.delete(sessionId);
  }
}

const caches = new WeakMap<Pick<Database, 'sessionWrites'>, SessionCache>();

/** The one cache of a database's sessions in this process. */
export function sessionCacheOf(database: Pick<Database, 'sessionWrites'>, ttlSeconds: number): SessionCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new SessionCache(database, ttlSeconds * 1000);
    caches.set(database, cache);
  }
  return cache;
}
