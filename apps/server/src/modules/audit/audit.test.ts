import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../../test/harness.ts';
import { verifyAuditChain } from './service.ts';

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
