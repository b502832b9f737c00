import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import {
  buildTestApp,
  createTestContext,
  DRIVERS,
  TEST_ACTOR,
  type TestContext,
} from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { referralProtectedContext } from '../child-record/index.ts';
import { quarterlyBulletin } from '../statistics/publications.ts';
import { retentionPolicy, RETENTION_KINDS, type RetentionKind } from './policy.ts';
import { retentionDryRun, retentionPurge, type RetentionReport } from './service.ts';

const DAY = 86_400_000;
const LAWFUL_BASIS = 'ota_66c_ot_services';

describe('retention policy', () => {
  it('has defaults, reads RETENTION_* and names a bad variable', () => {
    expect(retentionPolicy({})).toMatchObject({ closed_cases: 2557, screened_out_referrals: 730 });
    expect(retentionPolicy({ RETENTION_DRAFT_DAYS: '3' }).referral_drafts).toBe(3);
    expect(() => retentionPolicy({ RETENTION_CLOSED_CASE_DAYS: 'seven years' })).toThrow(
      /RETENTION_CLOSED_CASE_DAYS/,
    );
  });
});

describe.each(DRIVERS)('retention on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const policy = retentionPolicy({});
  const ids = {} as {
    oldScreened: string;
    newScreened: string;
    oldCase: string;
    newCase: string;
    openCase: string;
    oldDraft: string;
    newDraft: string;
  };

  const backdate = async (table: string, column: string, id: string, days: number) => {
    await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = now() - make_interval(days => ${days})
      WHERE id = ${id}`.execute(ctx.db);
  };
  /** Everything a purge may touch, as JSON: a dry run must leave it byte for byte. */
  const snapshot = async () => {
    const tables = [
      'referral',
      'child',
      'case_record',
      'case_note',
      'decision',
      'disclosure',
      'referral_draft',
      'notification',
      'session',
      'audit_event',
    ];
    const out: Record<string, unknown> = {};
    for (const t of tables) {
      out[t] = (await sql`SELECT * FROM ${sql.table(t)} ORDER BY 1`.execute(ctx.db)).rows;
    }
    return JSON.stringify(out);
  };
  const facts = async () => {
    const out: Record<string, unknown> = {};
    for (const view of [
      'fact_referral',
      'fact_case',
      'fact_decision',
      'fact_service_referral',
      'fact_unmet_need',
    ]) {
      out[view] = (await sql`SELECT * FROM ${sql.table(view)} ORDER BY 1`.execute(ctx.db)).rows;
    }
    return JSON.stringify(out);
  };
  const countOf = (report: RetentionReport, kind: RetentionKind) =>
    report.kinds.find((k) => k.kind === kind)!.count;

  async function screenedOut(): Promise<string> {
    const ack = await world.submitReferral({ concern: { date: '2026-07-01', region: '09' } });
    const triage = await world.triage();
    const res = await triage.client.post(`/api/triage/referrals/${ack.id}/screen-out`, {
      reason: 'referred_elsewhere',
      version: await world.referralVersion(ack.id),
    });
    expect(res.statusCode).toBe(200);
    return ack.id;
  }
  async function closedCase(): Promise<string> {
    const { caseId } = await world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const caseworker = await world.caseworker();
    expect(
      (
        await caseworker.client.post(`/api/cases/${caseId}/notes`, {
          body: 'Synthetic note: met at the marae.',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await caseworker.client.post(`/api/cases/${caseId}/team/organisations`, {
          organisationId: await world.organisation('partner', 'ngo'),
          lawfulBasis: LAWFUL_BASIS,
          purpose: 'Synthetic purpose: health assessment',
          fields: ['age_band'],
          childConsulted: 'yes',
        })
      ).statusCode,
    ).toBe(201);
    const { version } = await ctx.db
      .selectFrom('case_record')
      .select('version')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    const closed = await caseworker.client.post(`/api/cases/${caseId}/close`, {
      reason: 'needs_met',
      detail: 'Synthetic closure: settled with whānau.',
      version,
    });
    expect(closed.statusCode).toBe(200);
    return caseId;
  }
  async function draft(): Promise<string> {
    const frontline = await world.frontline();
    const res = await frontline.client.post('/api/referral-drafts', {
      step: 0,
      content: { note: 'started' },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  }
  async function notification(userId: string, days: number): Promise<void> {
    await sql`INSERT INTO notification (user_id, kind, subject_type, subject_id, message, dedupe_key, created_at)
      VALUES (${userId}, 'test', 'case', ${randomUUID()}, 'A synthetic notification', ${randomUUID()},
              now() - make_interval(days => ${days}))`.execute(ctx.db);
  }

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    ids.oldScreened = await screenedOut();
    ids.newScreened = await screenedOut();
    ids.oldCase = await closedCase();
    ids.newCase = await closedCase();
    ids.openCase = (await world.openCase({ concern: { date: '2026-07-01', region: '09' } })).caseId;
    ids.oldDraft = await draft();
    ids.newDraft = await draft();
    // Just past each period, and just inside it.
    await backdate('referral', 'triaged_at', ids.oldScreened, policy.screened_out_referrals + 1);
    await backdate('referral', 'triaged_at', ids.newScreened, policy.screened_out_referrals - 1);
    await backdate('case_record', 'closed_at', ids.oldCase, policy.closed_cases + 1);
    await backdate('case_record', 'closed_at', ids.newCase, policy.closed_cases - 1);
    await backdate('referral_draft', 'updated_at', ids.oldDraft, policy.referral_drafts + 1);
    const caseworker = await world.caseworker();
    await sql`DELETE FROM notification`.execute(ctx.db);
    await notification(caseworker.user.id, policy.notifications + 1);
    await notification(caseworker.user.id, policy.notifications - 1);
    await sql`INSERT INTO session (id, user_id, stage, csrf_token, expires_at)
      VALUES (${randomUUID()}, ${caseworker.user.id}, 'full', 'x', now() - make_interval(days => ${policy.sessions + 1}))`.execute(
      ctx.db,
    );
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  let beforeFacts = '';
  let beforeBulletin = '';

  it('a dry run counts what is due, by kind and year, and changes nothing', async () => {
    beforeFacts = await facts();
    expect((JSON.parse(beforeFacts) as { fact_referral: unknown[] }).fact_referral).toHaveLength(5);
    beforeBulletin = JSON.stringify(await quarterlyBulletin(ctx, '2026Q3'));
    const before = await snapshot();
    const report = await retentionDryRun(ctx, policy);
    expect(await snapshot()).toBe(before);
    const counts = Object.fromEntries(report.kinds.map((k) => [k.kind, k.count]));
    expect(counts).toEqual({
      screened_out_referrals: 1,
      closed_cases: 1,
      referral_drafts: 1,
      notifications: 1,
      sessions: 1,
      sign_in_attempts: 0,
      extract_files: 0,
    });
    const closedYear = new Date(Date.now() - (policy.closed_cases + 1) * DAY).getUTCFullYear();
    expect(report.kinds.find((k) => k.kind === 'closed_cases')!.byYear).toEqual({ [closedYear]: 1 });
  });

  it('purges exactly what is due, keeps statistics identical and the audit chain intact', async () => {
    const auditBefore = await ctx.db.selectFrom('audit_event').select(['id', 'hash']).orderBy('id').execute();
    const newScreenedBefore = await ctx.db
      .selectFrom('referral')
      .select('protected_enc')
      .where('id', '=', ids.newScreened)
      .executeTakeFirstOrThrow();
    const report = await retentionPurge(ctx, TEST_ACTOR, policy);
    console.log(
      `retention on ${driver}: ${report.kinds.reduce((n, k) => n + k.count, 0)} record(s) purged in ${Math.round(report.durationMs)} ms`,
    );
    expect(RETENTION_KINDS.map((k) => countOf(report, k))).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(report.kinds.find((k) => k.kind === 'screened_out_referrals')!.childrenDeIdentified).toBe(1);
    expect(report.kinds.find((k) => k.kind === 'closed_cases')!.childrenDeIdentified).toBe(1);

    // The old screened-out referral: narrative gone, child de-identified; the recent one untouched.
    const old = await ctx.db
      .selectFrom('referral as r')
      .innerJoin('child as c', 'c.id', 'r.child_id')
      .select([
        'r.protected_enc',
        'r.purged_at',
        'c.identity_enc',
        'c.name_index',
        'c.age_band',
        'c.purged_at as cp',
      ])
      .where('r.id', '=', ids.oldScreened)
      .executeTakeFirstOrThrow();
    expect(old.purged_at).not.toBeNull();
    expect(old.cp).not.toBeNull();
    expect(old.identity_enc).toBeNull();
    expect(old.name_index).toEqual([]);
    expect(old.age_band).not.toBeNull();
    const tomb = ctx.keyring.decrypt(old.protected_enc, referralProtectedContext(ids.oldScreened));
    expect(tomb).toContain('Removed under the retention schedule');
    expect(tomb).not.toContain('Synthetic narrative');
    const recent = await ctx.db
      .selectFrom('referral')
      .select(['protected_enc', 'purged_at'])
      .where('id', '=', ids.newScreened)
      .executeTakeFirstOrThrow();
    expect(recent).toEqual({ ...newScreenedBefore, purged_at: null });

    // The old closed case: notes gone, closure detail gone, child de-identified; newer cases untouched.
    const notesOf = async (caseId: string) =>
      (await ctx.db.selectFrom('case_note').select('id').where('case_id', '=', caseId).execute()).length;
    expect(await notesOf(ids.oldCase)).toBe(0);
    expect(await notesOf(ids.newCase)).toBe(1);
    const cases = await ctx.db
      .selectFrom('case_record as k')
      .innerJoin('child as c', 'c.id', 'k.child_id')
      .select(['k.id', 'k.purged_at', 'k.closure_detail_enc', 'c.identity_enc'])
      .where('k.id', 'in', [ids.oldCase, ids.newCase, ids.openCase])
      .execute();
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(byId.get(ids.oldCase)).toMatchObject({ closure_detail_enc: null, identity_enc: null });
    expect(byId.get(ids.oldCase)!.purged_at).not.toBeNull();
    for (const kept of [ids.newCase, ids.openCase]) {
      expect(byId.get(kept)!.purged_at).toBeNull();
      expect(byId.get(kept)!.identity_enc).not.toBeNull();
    }
    expect(byId.get(ids.newCase)!.closure_detail_enc).not.toBeNull();

    // Drafts, notifications and sessions: the old one gone, the recent one kept.
    const drafts = await ctx.db.selectFrom('referral_draft').select('id').execute();
    expect(drafts.map((d) => d.id)).toContain(ids.newDraft);
    expect(drafts.map((d) => d.id)).not.toContain(ids.oldDraft);
    expect((await ctx.db.selectFrom('notification').select('id').execute()).length).toBe(1);
    const expired = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM session WHERE expires_at < now()`.execute(ctx.db);
    expect(expired.rows[0]!.n).toBe(0);

    // Statistics read the same facts: the published bulletin for the period is identical.
    expect(await facts()).toBe(beforeFacts);
    expect(JSON.stringify(await quarterlyBulletin(ctx, '2026Q3'))).toBe(beforeBulletin);

    // The audit log: nothing removed or changed, one entry per kind, the chain verifies.
    const auditAfter = await ctx.db.selectFrom('audit_event').select(['id', 'hash']).orderBy('id').execute();
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    const stubs = await ctx.db
      .selectFrom('audit_event')
      .select(['details'])
      .where('action', '=', 'retention.purged')
      .orderBy('id')
      .execute();
    expect(stubs.map((s) => s.details.kind)).toEqual([...RETENTION_KINDS]);
    expect(JSON.stringify(stubs)).not.toContain('Tāne');
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);

    // A purged case still opens: the record is there without its narrative.
    const supervisor = await world.caseworker();
    expect((await supervisor.client.get(`/api/cases/${ids.oldCase}`)).statusCode).toBe(200);
  });

  it('a second purge finds nothing more to do', async () => {
    const again = await retentionPurge(ctx, TEST_ACTOR, policy);
    expect(again.kinds.every((k) => k.count === 0)).toBe(true);
    expect(await facts()).toBe(beforeFacts);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });
});
