import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  TEST_ACTOR,
  type TestContext,
} from '../../../test/harness.ts';
import { recordAudit, recordAudits, verifyAuditChain } from './service.ts';

describe.each(DRIVERS)('audit chain on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    // Some activity to chain: accounts, sign-ins, a failure.
    for (const roles of [['analyst'], ['auditor']] as const) {
      const user = await createUser(ctx, [...roles]);
      await new Client(app).signInFully(user);
      await new Client(app).signIn(user.email, 'wrong password');
    }
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('verifies an untouched chain, through the API for an auditor', async () => {
    const result = await verifyAuditChain(ctx.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(8);
    const auditor = new Client(app);
    await auditor.signInFully(await createUser(ctx, ['auditor']));
    const res = await auditor.get('/api/audit/verify');
    expect(res.json()).toMatchObject({ ok: true, firstBrokenId: null });
    const events = (await auditor.get('/api/audit?limit=5')).json<{ events: { id: number }[] }>().events;
    expect(events).toHaveLength(5);
    expect(events[0]!.id).toBeGreaterThan(events[4]!.id);
    const bad = await auditor.get('/api/audit?limit=100000');
    expect(bad.statusCode).toBe(400);
  });

  it('the application role cannot change or delete audit entries', async () => {
    await expect(sql`UPDATE audit_event SET action = 'x' WHERE id = 1`.execute(ctx.db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`DELETE FROM audit_event WHERE id = 1`.execute(ctx.db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`TRUNCATE audit_event`.execute(ctx.db)).rejects.toThrow(/permission denied/);
  });

  it('names the entry when one byte of it is changed', async () => {
    const target = 4;
    const before = await ctx.database.owner.query<{ action: string }>(
      'SELECT action FROM audit_event WHERE id = $1',
      [target],
    );
    const action = before[0]!.action;
    const tampered = action.slice(0, -1) + (action.endsWith('x') ? 'y' : 'x');
    await ctx.database.owner.exec('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    await ctx.database.owner.query('UPDATE audit_event SET action = $1 WHERE id = $2', [tampered, target]);
    const result = await verifyAuditChain(ctx.db);
    expect(result).toMatchObject({ ok: false, firstBrokenId: target, checked: target - 1 });
    expect(result.reason).toMatch(/changed/);
    // Put it back; then delete an entry: the gap is named too.
    await ctx.database.owner.query('UPDATE audit_event SET action = $1 WHERE id = $2', [action, target]);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
    await ctx.database.owner.query('DELETE FROM audit_event WHERE id = $1', [target]);
    await ctx.database.owner.exec('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, firstBrokenId: target + 1 });
  });

  it('even the owner cannot update entries while the append-only trigger stands', async () => {
    await expect(
      ctx.database.owner.query("UPDATE audit_event SET action = 'x' WHERE id = 1"),
    ).rejects.toThrow(/append-only/);
  });
});

describe.each(DRIVERS)('an audit log that cannot be silently emptied, on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeEach(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    const user = await createUser(ctx, ['analyst']);
    await new Client(app).signInFully(user);
    await new Client(app).signIn(user.email, 'wrong password');
  });
  afterEach(async () => {
    await app.close();
    await ctx.close();
  });

  const entries = async () =>
    Number(
      (await ctx.database.owner.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_event'))[0]!.n,
    );
  /** As a superuser would: switch the guard off, do the damage, switch it back on. */
  const bypassing = async (trigger: string, table: string, statement: string) => {
    await ctx.database.owner.exec(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    await ctx.database.owner.exec(statement);
    await ctx.database.owner.exec(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  };

  it('refuses TRUNCATE of the log even to the database owner, and of its head', async () => {
    const before = await entries();
    await expect(ctx.database.owner.exec('TRUNCATE audit_event')).rejects.toThrow(/cannot be truncated/);
    await expect(ctx.database.owner.exec('TRUNCATE audit_head')).rejects.toThrow(/only moves forward/);
    await expect(ctx.database.owner.exec('DELETE FROM audit_head')).rejects.toThrow(/only moves forward/);
    await expect(ctx.database.owner.exec('UPDATE audit_head SET last_id = 1')).rejects.toThrow(
      /only moves forward/,
    );
    expect(await entries()).toBe(before);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: before });
  });

  it('fails verification when the log was emptied behind the trigger', async () => {
    const before = await entries();
    await bypassing('audit_event_no_truncate', 'audit_event', 'TRUNCATE audit_event');
    const result = await verifyAuditChain(ctx.db);
    expect(result).toMatchObject({ ok: false, checked: 0, firstBrokenId: 1 });
    expect(result.reason).toBe(`the audit log is empty, but it had reached entry ${before}: it was emptied`);
    // Emptying the head as well leaves an empty log, which fails on its own.
    await bypassing('audit_head_no_truncate', 'audit_head', 'TRUNCATE audit_head');
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, checked: 0 });
  });

  it('fails verification when the newest entries were deleted', async () => {
    const before = await entries();
    await bypassing(
      'audit_event_append_only',
      'audit_event',
      `DELETE FROM audit_event WHERE id > ${before - 2}`,
    );
    const result = await verifyAuditChain(ctx.db);
    expect(result).toMatchObject({ ok: false, checked: before - 2, firstBrokenId: before - 1 });
    expect(result.reason).toBe(
      `entries ${before - 1} to ${before} are missing: the log had reached entry ${before}`,
    );
  });

  it('fails verification when the newest entries were deleted and replaced by a well-chained forgery', async () => {
    const before = await entries();
    await bypassing('audit_event_append_only', 'audit_event', `DELETE FROM audit_event WHERE id = ${before}`);
    await ctx.db
      .transaction()
      .execute((trx) => recordAudit(trx, TEST_ACTOR, { action: 'system.nothing_happened' }));
    expect(await entries()).toBe(before);
    const result = await verifyAuditChain(ctx.db);
    expect(result).toMatchObject({ ok: false, firstBrokenId: before });
    expect(result.reason).toMatch(/not the entry the log recorded as its newest/);
  });

  it('keeps verifying as entries are appended, one at a time or many in one statement', async () => {
    const user = await createUser(ctx, ['auditor']);
    await new Client(app).signInFully(user);
    await ctx.db.transaction().execute((trx) =>
      recordAudits(
        trx,
        TEST_ACTOR,
        Array.from({ length: 5 }, () => ({ action: 'test.bulk' })),
      ),
    );
    const total = await entries();
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: total });
    const [head] = await ctx.database.owner.query<{ last_id: string }>(
      'SELECT last_id::text FROM audit_head',
    );
    expect(Number(head!.last_id)).toBe(total);
  });
});
