import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { validReferral } from '../../../test/referrals.ts';
import { encodeRecord, childEncoding, type LinkRecord } from '@tiaki/linkage';
import { distinctChildren, withFacts } from './facts.ts';

const SECRET = 'synthetic-linkage-secret-for-tests-only-0123456789';

/** What an NGO's `tiaki link encode` sends instead of a name. */
function encodedChild(record: Omit<LinkRecord, 'id'>) {
  const { clks, blocks } = encodeRecord({ id: 'x', ...record }, { secret: SECRET }, childEncoding());
  return { clks, blocks };
}

describe.each(DRIVERS)('statistics facts on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03', TIAKI_LINKAGE_SECRET: SECRET });
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

  it('counts an anonymous referral once: not again when it is a child already named, or already encoded', async () => {
    const period = { from: '2026-07-01', to: '2026-07-31' };
    const named = {
      givenNames: ['Anahera'],
      familyNames: ['Kawhia'],
      dateOfBirth: '2012-09-14',
      gender: 'girl',
    };
    await world.openCase(
      {},
      { givenNames: 'Anahera', familyName: 'Kawhia', dateOfBirth: '2012-09-14', aliases: [], gender: 'girl' },
    );
    for (let i = 0; i < 6; i++) {
      await world.submitReferral(
        {},
        {
          givenNames: `Other${i}`,
          familyName: `Child${i}`,
          dateOfBirth: `2010-0${i + 1}-1${i}`,
          aliases: [],
        },
      );
    }
    const ngo = await world.person('ngo-frontline', ['frontline'], 'ngo', 'ngo');
    const anonymous = (encoded: ReturnType<typeof encodedChild>) =>
      world.submitReferral(
        {},
        {
          identified: false,
          givenNames: undefined,
          familyName: undefined,
          aliases: [],
          dateOfBirth: undefined,
          currentLocation: undefined,
          ageBand: 'age_12_15',
          encoded,
        },
        ngo,
      );
    const before = await distinctChildren(ctx, period);

    await anonymous(encodedChild({ ...named, givenNames: ['Anahera'], familyNames: ['Kāwhia'] }));
    expect(await distinctChildren(ctx, period)).toBe(before);

    const stranger = {
      givenNames: ['Ihaia'],
      familyNames: ['Rangitoto'],
      dateOfBirth: '2011-11-02',
      gender: 'boy',
    };
    await anonymous(encodedChild(stranger));
    expect(await distinctChildren(ctx, period)).toBe(before + 1);
    await anonymous(encodedChild({ ...stranger, givenNames: ['Ihaia'], dateOfBirth: '2011-11-02' }));
    expect(await distinctChildren(ctx, period)).toBe(before + 1);

    const stored = await ctx.db
      .selectFrom('child')
      .select(['encoded_enc', 'identity_enc'])
      .where('encoded_enc', 'is not', null)
      .execute();
    expect(JSON.stringify(stored)).not.toMatch(/Ihaia|Rangitoto|Anahera/);
  });

  it('refuses encodings with names, for a named child, or that are not 1024-bit encodings', async () => {
    const frontline = await world.frontline();
    const clks = encodedChild({ givenNames: ['A'], familyNames: ['B'], dateOfBirth: '2011-01-01' }).clks;
    const cases = [
      { identified: true, encoded: { clks, blocks: [] } },
      {
        identified: false,
        givenNames: undefined,
        familyName: undefined,
        aliases: [],
        dateOfBirth: undefined,
        currentLocation: undefined,
        ageBand: 'age_12_15',
        encoded: { clks: ['bm90IGFuIGVuY29kaW5n'], blocks: [] },
      },
    ];
    for (const child of cases) {
      const res = await frontline.client.post('/api/referrals', validReferral({}, child));
      expect(res.statusCode).toBe(400);
      const { fields } = res.json<{ fields: { path: string }[] }>();
      expect(fields.some((f) => f.path.includes('encoded'))).toBe(true);
    }
  });
});

describe('statistics with automatic links switched on', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', {
      TIAKI_TODAY: '2026-07-03',
      STATS_AUTO_LINK_PROBABILITY: '0.95',
    });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('counts a near-certain unreviewed match once, and twice again once a person says they differ', async () => {
    const period = { from: '2026-07-01', to: '2026-07-31' };
    const child = { givenNames: 'Manaia', familyName: 'Automatch', dateOfBirth: '2010-10-10', aliases: [] };
    const known = await world.openCase({}, child);
    const again = await world.submitReferral({}, child);
    const triage = await world.triage();
    const candidates = (await triage.client.get(`/api/triage/referrals/${again.id}/candidates`)).json<{
      candidates: { caseId: string; score: number }[];
    }>().candidates;
    expect(candidates[0]?.score).toBeGreaterThanOrEqual(0.95);
    expect(await distinctChildren(ctx, period)).toBe(1);

    await triage.client.post(`/api/triage/referrals/${again.id}/candidates/reject`, { caseId: known.caseId });
    expect(await distinctChildren(ctx, period)).toBe(2);
  });
});
