import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
  type TestUser,
} from '../../../test/harness.ts';

interface Event {
  id: number;
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  subjectId: string | null;
  occurredAt: string;
  details: Record<string, unknown>;
}

describe.each(DRIVERS)('the audit log for people, on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let auditor: Client;
  let auditorUser: TestUser;
  let privacyOfficer: Client;
  let analyst: Client;
  let analystUser: TestUser;
  let actorId: string;
  let mischiefId: string;
  /** A record id of this test only, so other entries do not interfere. */
  const subject = randomUUID();

  const insert = async (action: string, occurredAt: string, actor: string, details = {}) =>
    ctx.db
      .insertInto('audit_event')
      .values({
        occurred_at: new Date(occurredAt),
        actor_user_id: actor,
        actor_organisation_id: null,
        action,
        subject_type: 'case',
        subject_id: subject,
        details: JSON.stringify(details),
        request_id: null,
      })
      .execute();

  const events = async (client: Client, query: string) => {
    const res = await client.get(`/api/audit?subjectId=${subject}&${query}`);
    expect(res.statusCode).toBe(200);
    return res.json<{ events: Event[] }>().events;
  };

  const exportsBy = async (userId: string) =>
    ctx.db
      .selectFrom('audit_event')
      .select(['details'])
      .where('action', '=', 'audit.exported')
      .where('actor_user_id', '=', userId)
      .execute();

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    auditorUser = await createUser(ctx, ['auditor']);
    analystUser = await createUser(ctx, ['analyst']);
    const actor = await createUser(ctx, ['caseworker']);
    const mischief = await createUser(ctx, ['caseworker']);
    actorId = actor.id;
    mischiefId = mischief.id;
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: 'Aroha Kaimahi' })
      .where('id', '=', actorId)
      .execute();
    // A staff name that a spreadsheet would run as a formula.
    await ctx.db
      .updateTable('app_user')
      .set({ display_name: '=HYPERLINK("http://evil.example")' })
      .where('id', '=', mischiefId)
      .execute();
    auditor = new Client(app);
    await auditor.signInFully(auditorUser);
    privacyOfficer = new Client(app);
    await privacyOfficer.signInFully(await createUser(ctx, ['privacy_officer']));
    analyst = new Client(app);
    await analyst.signInFully(analystUser);
    // 23:30 on 1 March in New Zealand (NZDT, UTC+13), then 00:30 on 2 March, then 1 March again.
    await insert('case.viewed', '2026-03-01T10:30:00Z', actorId);
    await insert('case.viewed', '2026-03-01T11:30:00Z', actorId);
    await insert('case.note_added', '2026-02-28T22:00:00Z', mischiefId, { noteId: 'n1' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('shows the name of the person who acted, and filters by action and New Zealand day', async () => {
    const all = await events(auditor, 'limit=50');
    expect(all).toHaveLength(3);
    expect(all.filter((e) => e.actorUserId === actorId).map((e) => e.actorName)).toEqual([
      'Aroha Kaimahi',
      'Aroha Kaimahi',
    ]);

    // 1 March in New Zealand holds the 23:30 view and the note (11:00 on 1 March NZ), not the 00:30 view.
    const firstOfMarch = await events(auditor, 'from=2026-03-01&to=2026-03-01');
    expect(firstOfMarch.map((e) => e.occurredAt).sort()).toEqual([
      '2026-02-28T22:00:00.000Z',
      '2026-03-01T10:30:00.000Z',
    ]);
    const viewsOnTheSecond = await events(auditor, 'action=case.viewed&from=2026-03-02');
    expect(viewsOnTheSecond.map((e) => e.occurredAt)).toEqual(['2026-03-01T11:30:00.000Z']);
    expect(await events(auditor, 'action=case.viewed&to=2026-02-28')).toEqual([]);
  });

  it('finds what a person did by part of their name, in any case, and nothing for a name no one has', async () => {
    const byName = await events(auditor, 'actor=kaimahi');
    expect(byName.map((e) => e.actorName)).toEqual(['Aroha Kaimahi', 'Aroha Kaimahi']);
    const onTheDay = await events(auditor, `actor=${encodeURIComponent('Aroha K')}&from=2026-03-02`);
    expect(onTheDay.map((e) => e.occurredAt)).toEqual(['2026-03-01T11:30:00.000Z']);
    // A % or _ is a letter to look for, not a wildcard.
    expect(await events(auditor, `actor=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await events(auditor, 'actor=Nobody')).toEqual([]);
  });

  it('pages on the server, newest first', async () => {
    const first = await events(auditor, 'limit=2');
    expect(first).toHaveLength(2);
    const rest = await events(auditor, `limit=2&beforeId=${first[1]!.id}`);
    expect(rest).toHaveLength(1);
    expect(rest[0]!.id).toBeLessThan(first[1]!.id);
  });

  it('refuses a range that ends before it starts, or a date that is not a date, with a clear message', async () => {
    const backwards = await auditor.get(`/api/audit?subjectId=${subject}&from=2026-03-02&to=2026-03-01`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end date must be on or after the start date.');
    const nonsense = await auditor.get(`/api/audit/export?subjectId=${subject}&from=1%20March`);
    expect(nonsense.statusCode).toBe(400);
    expect(await exportsBy(auditorUser.id)).toEqual([]);
  });

  it('exports the filtered log as CSV with names and actions in words, guarded against formulas, and audits the export', async () => {
    const res = await auditor.get(`/api/audit/export?subjectId=${subject}&from=2026-03-01&to=2026-03-01`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('tiaki-audit-log-2026-03-01_to_2026-03-01.csv');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.trimEnd().split('\r\n');
    const header = lines.findIndex((line) => line.startsWith('Entry,'));
    const rows = lines.slice(header + 1);
    expect(rows).toHaveLength(2);
    // Entries in the order they were recorded, newest first; times in New Zealand time.
    expect(rows[0]).toContain('2026-03-01 11:00:00,Case note added,case.note_added');
    expect(rows[1]).toContain('2026-03-01 23:30:00,Case viewed,case.viewed,Aroha Kaimahi');
    // The formula is made inert: it starts with an apostrophe, so a spreadsheet shows it as text.
    expect(rows[0]).toContain(`Case note added,case.note_added,"'=HYPERLINK(""http://evil.example"")"`);

    const recorded = await exportsBy(auditorUser.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.details).toMatchObject({
      rows: 2,
      truncated: false,
      filter: { subjectId: subject, from: '2026-03-01', to: '2026-03-01' },
    });
    // And the export shows in the log itself, in words.
    const log = (await auditor.get('/api/audit?action=audit.exported&limit=5')).json<{ events: Event[] }>();
    expect(log.events[0]).toMatchObject({ actorUserId: auditorUser.id, actorName: 'Test Person' });
  });

  it('lets the privacy officer read and export the log, but not run the chain check', async () => {
    expect(await events(privacyOfficer, 'limit=5')).toHaveLength(3);
    expect((await privacyOfficer.get(`/api/audit/export?subjectId=${subject}`)).statusCode).toBe(200);
    expect((await privacyOfficer.get('/api/audit/verify')).statusCode).toBe(403);
  });

  it('gives a role without audit permission 403 and nothing: no entries, no file, no export recorded', async () => {
    const list = await analyst.get(`/api/audit?subjectId=${subject}`);
    expect(list.statusCode).toBe(403);
    expect(list.body).not.toContain('Aroha');
    const file = await analyst.get(`/api/audit/export?subjectId=${subject}`);
    expect(file.statusCode).toBe(403);
    expect(file.body).not.toContain('Aroha');
    expect(file.headers['content-type']).not.toContain('text/csv');
    expect(await exportsBy(analystUser.id)).toEqual([]);
    const anonymous = await new Client(app).get(`/api/audit/export?subjectId=${subject}`);
    expect(anonymous.statusCode).toBe(401);
  });
});
