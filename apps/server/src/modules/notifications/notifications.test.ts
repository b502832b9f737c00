import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Page } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

interface Reminder {
  id: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}
type Reminders = Page<Reminder> & { unread: number };

describe.each(DRIVERS)('my reminders, a page at a time, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  /** `count` reminders for a person, one a minute back from now; every third already read. */
  async function remindersFor(userId: string, count: number, label: string) {
    await sql`
      INSERT INTO notification (user_id, kind, subject_type, subject_id, message, link, dedupe_key, created_at, read_at)
      SELECT ${userId}, 'decision.due_soon', 'case', gen_random_uuid(),
        ${label} || ' ' || lpad(n::text, 3, '0'), NULL, ${label} || n,
        now() - make_interval(mins => n), CASE WHEN n % 3 = 0 THEN now() END
      FROM generate_series(1, ${count}) AS n`.execute(suite.ctx.db);
  }

  it('pages, sorts and filters my own reminders, never anyone else’s', async () => {
    const me = await suite.world.caseworker();
    const other = await suite.world.decisionMaker();
    await remindersFor(me.user.id, 30, 'Mine');
    await remindersFor(other.user.id, 5, 'Theirs');
    const get = async (query: string) => {
      const res = await me.client.get(`/api/notifications?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain('Theirs');
      return res.json<Reminders>();
    };
    const first = await get('pageSize=10');
    expect(first).toMatchObject({ total: 30, page: 1, pageSize: 10, unread: 20 });
    expect(first.items.map((r) => r.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Mine ${String(i + 1).padStart(3, '0')}`),
    );
    const seen = new Set<string>();
    for (const page of [1, 2, 3])
      for (const r of (await get(`pageSize=10&page=${page}`)).items) seen.add(r.id);
    expect(seen.size).toBe(30);
    // Oldest first; unread only.
    expect((await get('sort=created&dir=asc&pageSize=1')).items[0]?.message).toBe('Mine 030');
    const unread = await get('unread=true&pageSize=100');
    expect(unread.total).toBe(20);
    expect(unread.items.every((r) => r.readAt === null)).toBe(true);
    // Sorted by when read, unread first.
    const byRead = (await get('sort=read&dir=asc&pageSize=100')).items;
    expect(byRead.slice(0, 20).every((r) => r.readAt === null)).toBe(true);
    expect(byRead.slice(20).every((r) => r.readAt !== null)).toBe(true);
    // The other person's list holds only theirs.
    const theirs = (await other.client.get('/api/notifications?pageSize=100')).json<Reminders>();
    expect(theirs.total).toBe(5);
    expect(theirs.items.every((r) => r.message.startsWith('Theirs'))).toBe(true);
  });

  it('refuses a bad query with a clear message, and changes nothing', async () => {
    const me = await suite.world.caseworker();
    await remindersFor(me.user.id, 3, 'Kept');
    const before = await suite.ctx.db
      .selectFrom('notification')
      .select(['id', 'read_at'])
      .where('user_id', '=', me.user.id)
      .orderBy('id')
      .execute();
    for (const [query, message] of [
      ['page=0', 'The page is a whole number from 1'],
      ['pageSize=101', 'Ask for 1 to 100 rows a page'],
      ['sort=message', 'Sort by one of: created, read'],
      ['unread=perhaps', 'Use true or false'],
    ] as const) {
      const res = await me.client.get(`/api/notifications?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.body, query).toContain(message);
    }
    expect((await me.client.get('/api/notifications?userId=x')).statusCode).toBe(400);
    const after = await suite.ctx.db
      .selectFrom('notification')
      .select(['id', 'read_at'])
      .where('user_id', '=', me.user.id)
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
  });
});
