import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { distinctChildren, withFacts } from './facts.ts';

describe.each(DRIVERS)('statistics facts on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('refuses any read of identity or narrative to the statistics role, at the database', async () => {
    await world.openCase();
    for (const query of [
      sql`SELECT identity_enc FROM child`,
      sql`SELECT protected_enc FROM referral`,
      sql`SELECT * FROM case_note`,
      sql`SELECT email FROM app_user`,
    ]) {
      await expect(withFacts(ctx, (trx) => query.execute(trx))).rejects.toThrow(/permission denied/);
    }
    const facts = await withFacts(ctx, (trx) =>
      sql<Record<string, unknown>>`SELECT * FROM fact_referral`.execute(trx),
    );
    expect(facts.rows.length).toBeGreaterThan(0);
    const columns = Object.keys(facts.rows[0]!);
    for (const forbidden of ['identity_enc', 'protected_enc', 'name_index', 'dob_index', 'narrative']) {
      expect(columns).not.toContain(forbidden);
    }
    expect(JSON.stringify(facts.rows)).not.toContain('Tāne');
  });

  it('counts each child once across referrals from several agencies, merges and attachments', async () => {
    const period = { from: '2026-07-01', to: '2026-07-31' };
    const before = await distinctChildren(ctx, period);
    const first = await world.openCase(
      {},
      { givenNames: 'Kahu', familyName: 'Counted', dateOfBirth: '2011-02-02', aliases: [] },
    );
    const again = await world.submitReferral(
      {},
      { givenNames: 'Kahu', familyName: 'Counted', dateOfBirth: '2011-02-02', aliases: [] },
    );
    expect(await distinctChildren(ctx, period)).toBe(before + 2);
    const triage = await world.triage();
    await triage.client.post(`/api/triage/referrals/${again.id}/attach`, {
      caseId: first.caseId,
      version: await world.referralVersion(again.id),
    });
    expect(await distinctChildren(ctx, period)).toBe(before + 1);
  });
});
