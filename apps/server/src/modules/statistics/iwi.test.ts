import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';

/**
 * Iwi-level statistics (issue 15, Māori data sovereignty): only the Māori data governance group
 * and the people it approves see them; approvals are for a purpose and a time, can be withdrawn,
 * and every approval, withdrawal and view is in the audit log, which the group sees as use counts.
 */

interface IwiView {
  childrenWithIwi: { suppressed: boolean; value?: number };
  tables: {
    name: string;
    table: { rows: { categories: string[] }; body: ({ suppressed: boolean; value?: number } | number)[][] };
  }[];
}
interface GrantsView {
  grants: {
    id: string;
    userId: string;
    purpose: string;
    active: boolean;
    views: number;
    revokedAt: string | null;
  }[];
  eligible: { userId: string; person: string }[];
}

const YEAR = 'from=2026-01-01&to=2026-12-31';

describe('iwi-level statistics', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_TODAY: '2027-01-20' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    await ctx.database.owner.exec('ALTER TABLE referral_fact DROP CONSTRAINT referral_fact_referral_id_fkey');
    // 2026: twelve children of Ngāpuhi (0104), two of them also of another iwi (0111), three of
    // Ngāti Porou (0401) alone, and twenty children with no iwi recorded.
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => (i < 2 ? ['0104', '0111'] : ['0104'])),
      ...Array.from({ length: 3 }, () => ['0401']),
      ...Array.from({ length: 20 }, () => [] as string[]),
    ];
    await ctx.db.transaction().execute(async (trx) => {
      for (const [i, iwi] of rows.entries()) {
        const id = `40000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const day = `2026-${String(1 + (i % 12)).padStart(2, '0')}-10`;
        await sql`INSERT INTO referral_fact (referral_id, child_id, organisation_id, received_on, concern_date,
          region, police_district, manifestations, manifestation_subtypes, contexts, urgent, concern_level,
          status, taxonomy_version, lawful_basis, referrer_kind, age_band, gender, ethnicities, iwi,
          citizenship, identified, child_unit)
          VALUES (${id}, ${id}, ${id}, ${day}, ${day}, '02', 'AC', ARRAY['trafficking']::text[],
          ARRAY[]::text[], ARRAY[]::text[], false, 'medium', 'submitted', 'v1', 'consent', 'police', '13_15',
          'female', ARRAY['2']::text[], ${iwi}::text[], null, true, ${id})`.execute(trx);
      }
    });
    await sql`SELECT nextval('fact_change_seq')`.execute(ctx.db);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('refuses analysts, data stewards and every other role without an approval', async () => {
    for (const roles of [['analyst'], ['data_steward'], ['caseworker'], ['auditor']] as const) {
      const person = await world.person(`no-iwi-${roles[0]}`, [...roles]);
      const res = await person.client.get(`/api/statistics/iwi?${YEAR}`);
      expect(res.statusCode, roles[0]).toBe(403);
      expect(res.body).not.toContain('0104');
    }
    // Nor does any other published output break figures down by iwi.
    const analyst = await world.person('analyst-report', ['analyst']);
    const report = await analyst.client.get(`/api/statistics?${YEAR}`);
    expect(report.statusCode).toBe(200);
    expect(report.body).not.toMatch(/"iwi"/);
  });

  it('lets the governance group approve an analyst, who then sees rounded and suppressed iwi tables until withdrawn', async () => {
    const rōpū = await world.person('ropu', ['maori_data_governance']);
    const analyst = await world.person('iwi-analyst', ['analyst']);
    // The analyst cannot approve themselves.
    const self = await analyst.client.post('/api/statistics/iwi/grants', {
      userId: analyst.user.id,
      purpose: 'Self',
      expiresOn: '2027-06-30',
    });
    expect(self.statusCode).toBe(403);
    // The group sees who could be approved; an auditor (no statistics) cannot be.
    const listed = (await rōpū.client.get('/api/statistics/iwi/grants')).json<GrantsView>();
    expect(listed.eligible.map((e) => e.userId)).toContain(analyst.user.id);
    const auditor = await world.person('iwi-auditor', ['auditor']);
    const notEligible = await rōpū.client.post('/api/statistics/iwi/grants', {
      userId: auditor.user.id,
      purpose: 'x',
      expiresOn: '2027-06-30',
    });
    expect(notEligible.statusCode).toBe(400);
    const tooLong = await rōpū.client.post('/api/statistics/iwi/grants', {
      userId: analyst.user.id,
      purpose: 'Equity report for the iwi of Te Tai Tokerau',
      expiresOn: '2029-01-01',
    });
    expect(tooLong.statusCode).toBe(400);

    // Before the approval the web app is told not to show the iwi screen; the group always may.
    expect((await analyst.client.get('/api/statistics/iwi/access')).json()).toEqual({
      govern: false,
      view: false,
      until: null,
    });
    expect((await rōpū.client.get('/api/statistics/iwi/access')).json()).toEqual({
      govern: true,
      view: true,
      until: null,
    });
    const granted = await rōpū.client.post('/api/statistics/iwi/grants', {
      userId: analyst.user.id,
      purpose: 'Equity report for the iwi of Te Tai Tokerau',
      expiresOn: '2027-06-30',
    });
    expect(granted.statusCode).toBe(201);
    expect((await analyst.client.get('/api/statistics/iwi/access')).json()).toEqual({
      govern: false,
      view: true,
      until: '2027-06-30',
    });
    const again = await rōpū.client.post('/api/statistics/iwi/grants', {
      userId: analyst.user.id,
      purpose: 'Again',
      expiresOn: '2027-06-30',
    });
    expect(again.statusCode).toBe(409);

    // Standard periods only, like every published figure.
    expect((await analyst.client.get('/api/statistics/iwi?from=2026-03-01&to=2026-03-15')).statusCode).toBe(
      400,
    );
    const res = await analyst.client.get(`/api/statistics/iwi?${YEAR}`);
    expect(res.statusCode).toBe(200);
    const view = res.json<IwiView>();
    const children = view.tables.find((t) => t.name === 'children_by_iwi')!.table;
    const cell = (code: string) => children.body[children.rows.categories.indexOf(code)]?.[0];
    // Ngāpuhi 12: rounded to base 3; Ngāti Porou 3 and the two of iwi 0111: suppressed.
    expect(cell('0104')).toMatchObject({ suppressed: false });
    expect([12]).toContain((cell('0104') as { value: number }).value);
    expect(cell('0401')).toEqual({ suppressed: true, reason: 'primary' });
    expect(cell('0111')).toEqual({ suppressed: true, reason: 'primary' });
    // 15 children with an iwi: rounded (15 is a multiple of 3, so it stays).
    expect(view.childrenWithIwi).toEqual({ suppressed: false, value: 15 });
    // The governance group sees it too, and sees the approval used once.
    expect((await rōpū.client.get(`/api/statistics/iwi?${YEAR}`)).statusCode).toBe(200);
    const grants = (await rōpū.client.get('/api/statistics/iwi/grants')).json<GrantsView>();
    const mine = grants.grants.find((g) => g.userId === analyst.user.id)!;
    expect(mine).toMatchObject({
      active: true,
      views: 1,
      purpose: 'Equity report for the iwi of Te Tai Tokerau',
    });

    // Withdrawn: refused at once.
    const revoked = await rōpū.client.post('/api/statistics/iwi/grants/revoke', { id: mine.id });
    expect(revoked.statusCode).toBe(200);
    expect((await analyst.client.get(`/api/statistics/iwi?${YEAR}`)).statusCode).toBe(403);
    expect((await analyst.client.get('/api/statistics/iwi/access')).json()).toMatchObject({ view: false });
    const after = (await rōpū.client.get('/api/statistics/iwi/grants')).json<GrantsView>();
    expect(after.grants.find((g) => g.id === mine.id)).toMatchObject({ active: false });

    // Every approval, withdrawal and view is audited (codes and ids only).
    const auditorLog = await world.person('iwi-log', ['auditor']);
    for (const action of ['statistics.iwi_granted', 'statistics.iwi_revoked', 'statistics.iwi_viewed']) {
      const log = (await auditorLog.client.get(`/api/audit?action=${action}`)).json<{
        events: { subjectId: string | null }[];
      }>();
      expect(log.events.length, action).toBeGreaterThan(0);
    }
  });

  it('releases the iwi annex of a quarterly bulletin only while the governance group approves it', async () => {
    const rōpū = await world.person('ropu-annex', ['maori_data_governance']);
    const analyst = await world.person('iwi-analyst-annex', ['analyst']);
    interface Bulletin {
      sections: {
        id: string;
        paragraphs: string[];
        tables: { name: string; table: IwiView['tables'][number]['table'] }[];
      }[];
    }
    const bulletin = async () =>
      (await analyst.client.get('/api/statistics/publications/bulletin?quarter=2026Q1')).json<Bulletin>();
    const annexOf = async () => (await bulletin()).sections.find((s) => s.id === 'iwi');
    // Nothing about iwi is released without the group's approval.
    expect(await annexOf()).toBeUndefined();
    expect(JSON.stringify(await bulletin())).not.toContain('"iwi"');
    expect((await analyst.client.post('/api/statistics/iwi/annexes', { quarter: '2026Q1' })).statusCode).toBe(
      403,
    );
    expect((await analyst.client.get('/api/statistics/iwi/annexes')).statusCode).toBe(403);
    expect((await rōpū.client.post('/api/statistics/iwi/annexes', { quarter: '2026-Q1' })).statusCode).toBe(
      400,
    );

    expect((await rōpū.client.post('/api/statistics/iwi/annexes', { quarter: '2026Q1' })).statusCode).toBe(
      201,
    );
    expect((await rōpū.client.post('/api/statistics/iwi/annexes', { quarter: '2026Q1' })).statusCode).toBe(
      409,
    );
    const annex = await annexOf();
    expect(annex?.tables.map((t) => t.name)).toEqual(['referrals_by_iwi', 'children_by_iwi']);
    expect(annex?.paragraphs.join(' ')).toMatch(/approved it for this quarter/);
    // Rounded and suppressed like every published count: 2026Q1 has three Ngāpuhi children (`*`).
    const children = annex!.tables[1]!.table;
    expect(children.body[children.rows.categories.indexOf('0104')]?.[0]).toEqual({
      suppressed: true,
      reason: 'primary',
    });
    // Another quarter's bulletin is not released with an iwi annex by this approval.
    const q2 = (
      await analyst.client.get('/api/statistics/publications/bulletin?quarter=2026Q2')
    ).json<Bulletin>();
    expect(q2.sections.map((s) => s.id)).not.toContain('iwi');
    // The bulletin's HTML carries the annex too, with iwi names.
    const html = await analyst.client.get(
      '/api/statistics/publications/bulletin/download?quarter=2026Q1&format=html',
    );
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Ngāpuhi');

    const listed = (await rōpū.client.get('/api/statistics/iwi/annexes')).json<{
      annexes: { quarter: string; active: boolean }[];
    }>();
    expect(listed.annexes).toEqual([expect.objectContaining({ quarter: '2026Q1', active: true })]);

    // Withdrawn: the bulletin is built without the annex again.
    expect(
      (await rōpū.client.post('/api/statistics/iwi/annexes/withdraw', { quarter: '2026Q1' })).statusCode,
    ).toBe(200);
    expect(await annexOf()).toBeUndefined();
    const after = (await rōpū.client.get('/api/statistics/iwi/annexes')).json<{
      annexes: { quarter: string; active: boolean }[];
    }>();
    expect(after.annexes).toEqual([expect.objectContaining({ quarter: '2026Q1', active: false })]);
    const auditor = await world.person('iwi-annex-log', ['auditor']);
    for (const action of ['statistics.iwi_annex_approved', 'statistics.iwi_annex_withdrawn']) {
      const log = (await auditor.client.get(`/api/audit?action=${action}`)).json<{ events: unknown[] }>();
      expect(log.events.length, action).toBe(1);
    }
  });

  it('treats an approval past its end date as no approval', async () => {
    const rōpū = await world.person('ropu-2', ['maori_data_governance']);
    const analyst = await world.person('iwi-analyst-2', ['analyst']);
    const granted = await rōpū.client.post('/api/statistics/iwi/grants', {
      userId: analyst.user.id,
      purpose: 'Short piece of work',
      expiresOn: '2027-01-31',
    });
    expect(granted.statusCode).toBe(201);
    expect((await analyst.client.get(`/api/statistics/iwi?${YEAR}`)).statusCode).toBe(200);
    ctx.today = () => '2027-02-01';
    try {
      expect((await analyst.client.get(`/api/statistics/iwi?${YEAR}`)).statusCode).toBe(403);
    } finally {
      ctx.today = () => '2027-01-20';
    }
  });
});
