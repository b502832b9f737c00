import { describe, expect, it } from 'vitest';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { TableWrites } from '../../db/table-writes.ts';
import type { SessionRow } from './queries.ts';
import { SessionCache } from './session-cache.ts';

const row = { sessionId: 's1', userId: 'u1', roles: [] } as unknown as SessionRow;

describe('session cache', () => {
  it('answers from a copy only while it is young and nothing it is made of was written', () => {
    const writes = { sessionWrites: { generation: 0 } } as unknown as ConstructorParameters<
      typeof SessionCache
    >[0];
    const cache = new SessionCache(writes, 2000);
    cache.set('s1', row, 0, 1000);
    expect(cache.get('s1', 1500)).toBe(row);
    expect(cache.get('s1', 3000)).toBeUndefined();
    cache.set('s1', row, 0, 4000);
    (writes.sessionWrites as unknown as { generation: number }).generation = 1;
    expect(cache.get('s1', 4001)).toBeUndefined();
    // A row read before a write began is not kept.
    cache.set('s1', row, 0, 4002);
    expect(cache.get('s1', 4003)).toBeUndefined();
    cache.set('s1', row, 1, 4004);
    cache.delete('s1');
    expect(cache.get('s1', 4005)).toBeUndefined();
    const off = new SessionCache(writes, 0);
    off.set('s1', row, 1, 5000);
    expect(off.get('s1', 5000)).toBeUndefined();
  });

  it('sees every write to what a session is made of, and nothing else', async () => {
    const writes = new TableWrites(
      ['session', 'app_user', 'role_assignment'],
      (node) => node.kind === 'UpdateQueryNode' && node.updates?.length === 1,
    );
    const db = new Kysely<Schema>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      plugins: [writes],
    });
    const moved = async (run: () => Promise<unknown>) => {
      const before = writes.generation;
      await run();
      return writes.generation - before;
    };
    expect(await moved(() => db.selectFrom('session').selectAll().execute())).toBe(0);
    expect(await moved(() => db.selectFrom('referral').selectAll().execute())).toBe(0);
    expect(await moved(() => db.deleteFrom('session').where('id', '=', 'x').execute())).toBe(2);
    expect(
      await moved(() => db.updateTable('app_user').set({ is_active: false, failed_attempts: 0 }).execute()),
    ).toBe(2);
    expect(await moved(() => db.deleteFrom('role_assignment').execute())).toBe(2);
    expect(await moved(() => db.deleteFrom('case_member').execute())).toBe(0);
    expect(await moved(() => sql`UPDATE app_user SET is_active = false`.execute(db))).toBe(2);
    expect(await moved(() => sql`SELECT 1 FROM app_user`.execute(db))).toBe(0);
    // What the plugin is told to ignore (here: any one-column update).
    expect(await moved(() => db.updateTable('session').set({ last_seen_at: new Date() }).execute())).toBe(0);
    expect(await moved(() => db.transaction().execute((trx) => trx.deleteFrom('session').execute()))).toBe(2);
    writes.written();
    expect(writes.generation).toBeGreaterThan(0);
  });
});
