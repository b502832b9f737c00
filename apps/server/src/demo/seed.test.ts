import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DuplicateCandidate, Service, TriageItem } from '@tiaki/domain';
import { buildTestApp, Client, createTestContext, totpCode, type TestContext } from '../../test/harness.ts';
import { seedDemoData, type DemoCredential } from './seed.ts';

describe('demo data', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let credentials: DemoCredential[];

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true' });
    app = await buildTestApp(ctx);
    credentials = (await seedDemoData(ctx, { historyReferrals: 0 })) ?? [];
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  async function signInAs(role: string): Promise<Client> {
    const credential = credentials.find((c) => c.role === role)!;
    const client = new Client(app);
    await client.signIn(credential.email, credential.password);
    if (client.session?.stage === 'mfa_enrol') {
      const { secret } = (await client.post('/api/auth/mfa/enrolment')).json<{ secret: string }>();
      await client.post('/api/auth/mfa/enrolment/confirm', { code: totpCode(secret) });
    }
    return client;
  }

  it('fills the triage queue and the services directory, and seeds only once', async () => {
    expect(await seedDemoData(ctx)).toBeNull();
    const triage = await signInAs('triage');
    const queue = (await triage.get('/api/triage/queue')).json<{ referrals: TriageItem[] }>().referrals;
    expect(queue).toHaveLength(4);
    expect(queue[0]!.urgent).toBe(true);
    const services = (await triage.get('/api/services')).json<{ services: Service[] }>().services;
    expect(services.length).toBeGreaterThanOrEqual(4);
  });

  it('lets search before create find the child two agencies reported under different spellings', async () => {
    const triage = await signInAs('triage');
    const queue = (await triage.get('/api/triage/queue')).json<{ referrals: TriageItem[] }>().referrals;
    const [first, ...rest] = queue;
    const opened = await triage.post(`/api/triage/referrals/${first!.id}/open-case`, {
      version: first!.version,
    });
    expect(opened.statusCode).toBe(201);
    const found = await Promise.all(
      rest.map(async (r) =>
        (await triage.get(`/api/triage/referrals/${r.id}/candidates`)).json<{
          candidates: DuplicateCandidate[];
        }>(),
      ),
    );
    const matches = found.filter((f) =>
      f.candidates.some((c) => c.caseId === opened.json<{ caseId: string }>().caseId),
    );
    expect(matches).toHaveLength(1);
  });

  it('gives a new demo two years of synthetic history with the patterns statistics must show', async () => {
    const history = await createTestContext('pglite', { TIAKI_DEMO: 'true' });
    try {
      await seedDemoData(history, { historyReferrals: 160 });
      const count = async (sql: string) =>
        (await history.database.owner.query<{ n: number }>(sql))[0]?.n ?? 0;
      expect(await count('SELECT count(*)::int AS n FROM referral')).toBe(164);
      expect(await count('SELECT count(*)::int AS n FROM case_record')).toBeGreaterThan(80);
      expect(await count(`SELECT count(*)::int AS n FROM decision WHERE status = 'made'`)).toBeGreaterThan(
        60,
      );
      expect(await count('SELECT count(*)::int AS n FROM service_referral')).toBeGreaterThan(5);
      expect(await count('SELECT count(*)::int AS n FROM unmet_need')).toBeGreaterThan(5);
      const regions = await history.database.owner.query<{ region: string }>(
        'SELECT region FROM referral GROUP BY region ORDER BY count(*) DESC LIMIT 1',
      );
      expect(regions[0]?.region).toBe('02');
      const ethnicity = await history.database.owner.query<{ e: string }>(
        'SELECT e FROM child, unnest(ethnicities) e GROUP BY e ORDER BY count(*) DESC LIMIT 1',
      );
      expect(ethnicity[0]?.e).toBe('21');
      const names = await history.database.owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_event WHERE details::text LIKE '%Aroha%'`,
      );
      expect(names[0]?.n).toBe(0);
    } finally {
      await history.close();
    }
  });
});
