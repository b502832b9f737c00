import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  addCalendarDays,
  CURRENT_TAXONOMY,
  type DuplicateCandidate,
  type Service,
  type TriageItem,
} from '@tiaki/domain';
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
    const queue = (await triage.get('/api/triage/queue')).json<{ items: TriageItem[] }>().items;
    expect(queue).toHaveLength(4);
    expect(queue[0]!.urgent).toBe(true);
    const services = (await triage.get('/api/services')).json<{ services: Service[] }>().services;
    expect(services.length).toBeGreaterThanOrEqual(4);
  });

  it('gives the frontline officer a referral of their own and a draft to resume', async () => {
    const frontline = await signInAs('frontline');
    const mine = (await frontline.get('/api/referrals/mine')).json<{ referrals: unknown[] }>().referrals;
    expect(mine).toHaveLength(1);
    const drafts = (await frontline.get('/api/referral-drafts')).json<{ drafts: unknown[] }>().drafts;
    expect(drafts).toHaveLength(1);
  });

  it('lets search before create find the child two agencies reported under different spellings', async () => {
    const triage = await signInAs('triage');
    const queue = (await triage.get('/api/triage/queue')).json<{ items: TriageItem[] }>().items;
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

      // Like a year of real work: cases close, some referrals are screened out, a few still wait.
      const statuses = await history.database.owner.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM referral GROUP BY status',
      );
      const byStatus = new Map(statuses.map((s) => [s.status, s.n]));
      expect(byStatus.get('screened_out')).toBeGreaterThan(10);
      expect(byStatus.get('attached')).toBeGreaterThan(3);
      expect(
        await count(`SELECT count(*)::int AS n FROM case_record WHERE status = 'closed'`),
      ).toBeGreaterThan(20);
      expect(
        await count(`SELECT count(*)::int AS n FROM case_record WHERE closed_at < opened_at OR
          (status = 'closed' AND (closure_reason IS NULL OR closed_at IS NULL))`),
      ).toBe(0);

      // Decisions mostly on time; those still pending are due in the last days, not months ago.
      const made = await history.database.owner.query<{ on_time: number; total: number }>(
        `SELECT count(*) FILTER (WHERE decided_on <= due_on)::int AS on_time, count(*)::int AS total
         FROM decision WHERE status = 'made'`,
      );
      const { on_time: onTime = 0, total = 0 } = made[0] ?? {};
      expect(onTime / total).toBeGreaterThan(0.8);
      expect(onTime / total).toBeLessThan(1);
      const longOverdue = await history.database.owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM decision d JOIN case_record k ON k.id = d.case_id
         WHERE d.status = 'pending' AND k.status = 'open' AND d.due_on < $1`,
        [addCalendarDays(history.today(), -21)],
      );
      expect(longOverdue[0]?.n).toBe(0);
      // Each made decision is stamped on the day it was made, in New Zealand.
      expect(
        await count(`SELECT count(*)::int AS n FROM decision WHERE status = 'made'
          AND (decided_at AT TIME ZONE 'Pacific/Auckland')::date <> decided_on`),
      ).toBe(0);

      // A referral is sent on the day it is received, never before the concern it reports.
      expect(
        await count(`SELECT count(*)::int AS n FROM referral
          WHERE (submitted_at AT TIME ZONE 'Pacific/Auckland')::date < concern_date
             OR (submitted_at AT TIME ZONE 'Pacific/Auckland')::date <> received_on`),
      ).toBe(0);
      expect(
        await count(`SELECT count(*)::int AS n FROM referral WHERE concern_date < received_on`),
      ).toBeGreaterThan(10);

      // Iwi recorded for many Māori children, in the classification's codes.
      const iwi = await history.database.owner.query<{ with_iwi: number; maori: number }>(
        `SELECT count(*) FILTER (WHERE cardinality(iwi) > 0)::int AS with_iwi, count(*)::int AS maori
         FROM child WHERE '21' = ANY (ethnicities)`,
      );
      expect((iwi[0]?.with_iwi ?? 0) / (iwi[0]?.maori ?? 1)).toBeGreaterThan(0.5);
      const codes = await history.database.owner.query<{ code: string }>(
        'SELECT DISTINCT unnest(iwi) AS code FROM child',
      );
      const known = new Set(CURRENT_TAXONOMY.iwi.filter((i) => i.region !== null).map((i) => i.code));
      expect(codes.map((c) => c.code).filter((c) => !known.has(c))).toEqual([]);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM child WHERE cardinality(iwi) > 0 AND NOT ('21' = ANY (ethnicities))`,
        ),
      ).toBe(0);

      // Some children are referred by several agencies, every referral linked into one case.
      expect(
        await count(`SELECT count(*)::int AS n FROM (SELECT case_id FROM referral WHERE case_id IS NOT NULL
          GROUP BY case_id HAVING count(DISTINCT organisation_id) > 1) s`),
      ).toBeGreaterThan(3);

      // Reminders carry the day of what they remind of, and only the last weeks' are unread.
      const to = addCalendarDays(history.today(), -7);
      const caseworker = `(SELECT id FROM app_user WHERE email = 'caseworker@demo.tiaki.test')`;
      const reminders = await history.database.owner.query<{
        total: number;
        days: number;
        later: number;
        unread: number;
        unread_old: number;
      }>(
        `SELECT count(*)::int AS total,
           count(DISTINCT (created_at AT TIME ZONE 'Pacific/Auckland')::date)::int AS days,
           count(*) FILTER (WHERE (created_at AT TIME ZONE 'Pacific/Auckland')::date > $1)::int AS later,
           count(*) FILTER (WHERE read_at IS NULL)::int AS unread,
           count(*) FILTER (WHERE read_at IS NULL
             AND (created_at AT TIME ZONE 'Pacific/Auckland')::date < $2)::int AS unread_old
         FROM notification WHERE user_id = ${caseworker}`,
        [to, addCalendarDays(to, -21)],
      );
      const r = reminders[0]!;
      expect(r.total).toBeGreaterThan(40);
      expect(r.days).toBeGreaterThan(r.total / 3);
      expect(r.later).toBe(0);
      expect(r.unread_old).toBe(0);
      expect(r.unread).toBeGreaterThan(0);
      expect(r.unread).toBeLessThan(r.total / 5);

      // The provider has referrals to answer; the frontline officer has sent referrals of their own.
      expect(
        await count(`SELECT count(*)::int AS n FROM service_referral s JOIN app_user u
          ON u.organisation_id = s.provider_organisation_id
          WHERE u.email = 'service-provider@demo.tiaki.test' AND s.status = 'sent'`),
      ).toBeGreaterThanOrEqual(3);
      expect(
        await count(`SELECT count(*)::int AS n FROM referral r JOIN app_user u ON u.id = r.submitted_by_user_id
          WHERE u.email = 'frontline@demo.tiaki.test'`),
      ).toBeGreaterThan(4);
    } finally {
      await history.close();
    }
  });
});
