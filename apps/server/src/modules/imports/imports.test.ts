import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { CURRENT_TAXONOMY } from '@tiaki/domain';
import {
  buildTestApp,
  Client,
  createOrganisation,
  createTestContext,
  createUser,
  DRIVERS,
  TEST_ACTOR,
  type TestContext,
} from '../../../test/harness.ts';
import { validReferral } from '../../../test/referrals.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { decryptIdentity, referralProtectedContext } from '../child-record/index.ts';
import { nameIndexes } from '../referrals/index.ts';
import { createPreparer } from './pool.ts';
import { encryptedUpload } from './routes.ts';
import { importReferrals } from './service.ts';

const t = CURRENT_TAXONOMY;
const HEADER =
  'source_id,referrer_name,concern_date,region,child_identified,given_names,family_name,aliases,date_of_birth,estimated_age,gender,ethnicities,child_safety,manifestations,contexts,indicators,narrative,immediate_risk,evidence,child_aware,lawful_basis';

function csvRow(sourceId: string, overrides: Record<string, string> = {}): string {
  const row = csvRecord(sourceId, overrides);
  return HEADER.split(',')
    .map((column) => `"${(row[column] ?? '').replaceAll('"', '""')}"`)
    .join(',');
}

/** A row as the CSV reader hands it on: its fields by column. */
function csvRecord(sourceId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    source_id: sourceId,
    referrer_name: 'Import Officer',
    concern_date: '2026-09-01',
    region: '09',
    child_identified: 'yes',
    given_names: 'Mele',
    family_name: `Importchild ${sourceId}`,
    aliases: 'Mel;M',
    date_of_birth: '2010-05-06',
    estimated_age: '',
    gender: t.genders[0]!.code,
    ethnicities: t.ethnicities.find((e) => e.level === 1)!.code,
    child_safety: 'unknown',
    manifestations: t.manifestations[0]!.code,
    contexts: t.contexts[0]!.code,
    indicators: '',
    narrative: 'Synthetic imported narrative, with a comma, and a\nline break.',
    immediate_risk: 'no',
    evidence: 'police:P9876543',
    child_aware: 'unknown',
    lawful_basis: t.lawfulBases[0]!.code,
    ...overrides,
  };
}

describe.each(DRIVERS)('bulk import on %s', (driver) => {
  let ctx: TestContext;
  let organisationId: string;
  const dir = mkdtempSync(join(tmpdir(), 'tiaki-import-'));
  const referrals = async () =>
    (await ctx.db.selectFrom('referral').select('id').where('organisation_id', '=', organisationId).execute())
      .length;
  const submitter = () => ({ organisationId, userId: null, apiKeyId: null });

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    organisationId = (await createOrganisation(ctx, 'oranga_tamariki')).id;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('reports every bad row with its line and imports nothing in all-or-nothing mode', async () => {
    const file = join(dir, 'mixed.csv');
    writeFileSync(
      file,
      [
        HEADER,
        csvRow('A1'),
        csvRow('A2', { manifestations: '' }),
        csvRow('A3'),
        csvRow('A4', { date_of_birth: '2999-01-01', region: '42' }),
      ].join('\n'),
    );
    const progress: number[] = [];
    const report = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', {
      mode: 'all-or-nothing',
      onProgress: (_phase, done) => progress.push(done),
    });
    expect(report).toMatchObject({ rows: 4, valid: 2, imported: 0, committed: false });
    // Row A1 spans lines 2–3 (a line break inside the narrative), so A2 ends on line 5.
    expect(report.invalid.map((r) => r.line)).toEqual([5, 9]);
    expect(report.invalid[0]!.problems).toEqual([
      { path: 'manifestations', message: 'Choose at least one form of exploitation' },
    ]);
    expect(report.invalid[1]!.problems.map((p) => p.path).sort()).toEqual([
      'child.dateOfBirth',
      'concern.region',
    ]);
    expect(report.message).toMatch(/Nothing was imported/);
    expect(progress.length).toBeGreaterThan(0);
    expect(await referrals()).toBe(0);

    const good = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', { mode: 'good-rows' });
    expect(good).toMatchObject({ imported: 2, alreadyImported: 0, committed: true });
    expect(await referrals()).toBe(2);

    const again = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', { mode: 'good-rows' });
    expect(again).toMatchObject({ imported: 0, alreadyImported: 2 });
    expect(await referrals()).toBe(2);
  });

  it('imports nothing from an upload file changed on disk, in either mode (GCM tag checked at the end)', async () => {
    const before = await referrals();
    for (const mode of ['good-rows', 'all-or-nothing'] as const) {
      const file = join(mkdtempSync(join(dir, 'upload-')), 'upload.enc');
      const upload = encryptedUpload(file);
      const content = [HEADER, csvRow(`T1-${mode}`), csvRow(`T2-${mode}`), csvRow(`T3-${mode}`)].join('\n');
      await pipeline(Readable.from([Buffer.from(content)]), ...upload.writers);
      // Untouched, the encrypted file reads back as sent.
      const chunks: Buffer[] = [];
      for await (const chunk of upload.open()) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe(content);
      // One bit changed in the middle of the file, as someone with access to the disk might.
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(file, bytes);
      await expect(
        importReferrals(ctx, TEST_ACTOR, submitter(), upload.open, 'csv', { mode }),
      ).rejects.toThrow(/unable to authenticate|auth/i);
      expect(await referrals()).toBe(before);
    }
  });

  it('in good-rows mode imports every valid row before a CSV syntax error, and reports the error with its line', async () => {
    const before = await referrals();
    const file = join(dir, 'broken.csv');
    // Rows S1 and S2 are good; the row after them has a stray quote after a closed field.
    const broken = csvRow('S3').replace('"Import Officer"', '"Import Officer"x');
    writeFileSync(file, [HEADER, csvRow('S1'), csvRow('S2'), broken, csvRow('S4')].join('\n'));
    const report = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', { mode: 'good-rows' });
    expect(report).toMatchObject({ rows: 3, valid: 2, imported: 2, committed: true });
    // S1 and S2 span two lines each (a line break inside the narrative): the error is on line 6.
    expect(report.invalid).toEqual([
      {
        line: 6,
        problems: [
          {
            path: '(row)',
            message: 'The file is not valid CSV from this line on (CSV_INVALID_CLOSING_QUOTE)',
          },
        ],
      },
    ]);
    expect(await referrals()).toBe(before + 2);
    // A quote never closed, found only at the end of the file, is reported the same way.
    writeFileSync(file, [HEADER, csvRow('S5'), csvRow('S6'), '"S7,a quote that never closes'].join('\n'));
    const unclosed = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', { mode: 'good-rows' });
    expect(unclosed).toMatchObject({ valid: 2, imported: 2 });
    expect(unclosed.invalid[0]!.problems[0]!.message).toMatch(
      /not valid CSV from this line on \(CSV_QUOTE_NOT_CLOSED\)/,
    );
    expect(await referrals()).toBe(before + 4);
  });

  it('imports JSON Lines, matching rows without a source id by their content on a re-run', async () => {
    const file = join(dir, 'rows.jsonl');
    const lines = [
      JSON.stringify(validReferral({ narrative: 'JSONL one' })),
      '{ not json',
      JSON.stringify({ sourceId: 'J-2', ...validReferral({ narrative: 'JSONL two' }) }),
      // Found by fuzzing: 20,000 levels of nesting exhausted the stack and failed the import.
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const before = await referrals();
    const dry = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'jsonl', {
      mode: 'good-rows',
      dryRun: true,
    });
    expect(dry).toMatchObject({ rows: 4, valid: 2, imported: 0, committed: false });
    expect(dry.invalid).toEqual([
      { line: 2, problems: [{ path: '(row)', message: 'This line is not valid JSON' }] },
      { line: 4, problems: [{ path: '(row)', message: 'This line is nested more than 16 levels deep' }] },
    ]);
    const first = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'jsonl', { mode: 'good-rows' });
    expect(first.imported).toBe(2);
    const second = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'jsonl', { mode: 'good-rows' });
    expect(second).toMatchObject({ imported: 0, alreadyImported: 2 });
    expect(await referrals()).toBe(before + 2);
  });

  it('checks and encrypts rows in worker threads as in this thread: bad rows keep their lines, identities decrypt, names are found', async () => {
    // Started ahead, so the import below finds them ready (a worker takes seconds to start).
    const pool = createPreparer(ctx.keyring, ctx.config, 1);
    try {
      await pool.ready();
      const batch = await pool.prepare(
        [
          { line: 2, value: csvRecord('W0') },
          { line: 4, value: csvRecord('W0b', { gender: 'nope' }) },
        ],
        'csv',
        false,
      );
      expect(batch.threadId).not.toBe(0);
      expect(batch).toMatchObject({ rows: 2, valid: 1 });
      expect(batch.invalid).toEqual([
        { line: 4, problems: [expect.objectContaining({ path: 'child.gender' })] },
      ]);
    } finally {
      await pool.close();
    }
    const file = join(dir, 'workers.csv');
    writeFileSync(
      file,
      [HEADER, csvRow('W1'), csvRow('W2', { narrative: 'Tab\there, back\\slash {x,"y"}' })].join('\n'),
    );
    const report = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', {
      mode: 'all-or-nothing',
      threads: 1,
    });
    expect(report).toMatchObject({ imported: 2, committed: true });
    const rows = await ctx.db
      .selectFrom('referral as r')
      .innerJoin('child as c', 'c.id', 'r.child_id')
      .select([
        'r.id',
        'r.source_key',
        'r.protected_enc',
        'c.id as childId',
        'c.identity_enc',
        'c.name_index',
      ])
      .where('r.import_batch_id', '=', report.batchId)
      .orderBy('r.source_key')
      .execute();
    expect(rows.map((r) => r.source_key)).toEqual(['id:W1', 'id:W2']);
    const second = rows[1]!;
    expect(decryptIdentity(ctx.keyring, second.childId, second.identity_enc)).toMatchObject({
      givenNames: 'Mele',
      familyName: 'Importchild W2',
      aliases: ['Mel', 'M'],
    });
    const protectedPart = JSON.parse(
      ctx.keyring.decrypt(second.protected_enc, referralProtectedContext(second.id)),
    ) as { narrative: string };
    expect(protectedPart.narrative).toBe('Tab\there, back\\slash {x,"y"}');
    expect(second.name_index).toEqual(
      nameIndexes(ctx.keyring, { givenNames: 'Mele', familyName: 'Importchild W2', aliases: ['Mel', 'M'] }),
    );
  });

  it('imports thousands of rows in chunks: duplicates across and within chunks once, every referral audited and queued for linkage', async () => {
    const file = join(dir, 'large.csv');
    const ids = Array.from({ length: 2300 }, (_, i) => `L${i}`);
    ids[1500] = 'L10'; // a duplicate of a row in the first chunk
    ids[1601] = 'L1602'; // a duplicate later in the same chunk
    writeFileSync(file, [HEADER, ...ids.map((id) => csvRow(id))].join('\n'));
    const auditBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const report = await importReferrals(ctx, TEST_ACTOR, submitter(), file, 'csv', {
      mode: 'all-or-nothing',
    });
    expect(report).toMatchObject({
      rows: 2300,
      valid: 2300,
      imported: 2298,
      alreadyImported: 2,
      committed: true,
    });
    const rows = await ctx.db
      .selectFrom('referral')
      .select(['id', 'reference', 'child_id'])
      .where('import_batch_id', '=', report.batchId)
      .execute();
    expect(rows).toHaveLength(2298);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(2298);
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('subject_id')
      .where('action', '=', 'referral.submitted')
      .where('id', '>', String(auditBefore))
      .execute();
    expect(new Set(audited.map((a) => a.subject_id))).toEqual(new Set(rows.map((r) => r.id)));
    const queued = await ctx.db
      .selectFrom('job')
      .select('payload')
      .where('kind', '=', 'linkage.score')
      .execute();
    const queuedChildren = new Set(queued.flatMap((j) => (j.payload as { childIds: string[] }).childIds));
    expect(queued.every((j) => (j.payload as { childIds: string[] }).childIds.length <= 100)).toBe(true);
    expect(rows.every((r) => queuedChildren.has(r.child_id))).toBe(true);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
  });
});

describe('import upload over HTTP', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('streams progress then the report; only people allowed to import may upload', async () => {
    const app = await buildTestApp(ctx);
    try {
      const org = await createOrganisation(ctx, 'police');
      const client = new Client(app);
      await client.signInFully(await createUser(ctx, ['frontline'], { organisationId: org.id }));
      const upload = (body: string, query: string, contentType = 'text/csv') =>
        app.inject({
          method: 'POST',
          url: `/api/imports/referrals?${query}`,
          headers: {
            'content-type': contentType,
            cookie: `tiaki_session=${client.cookie}`,
            'x-csrf-token': client.csrfToken ?? '',
          },
          payload: body,
        });
      const csv = [HEADER, csvRow('U1'), csvRow('U2', { gender: 'nope' })].join('\n');
      const refused = await upload(csv, 'mode=all-or-nothing');
      const lines = refused.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { progress?: unknown; report?: { invalid: { problems: unknown[] }[] } });
      expect(lines[0]).toHaveProperty('progress');
      const report = lines.at(-1)!.report!;
      expect(report).toMatchObject({ rows: 2, imported: 0, committed: false });
      expect(report.invalid[0]!.problems[0]).toMatchObject({ path: 'child.gender' });

      const accepted = await upload(csv, 'mode=good-rows');
      expect(JSON.parse(accepted.body.trim().split('\n').at(-1)!).report).toMatchObject({
        imported: 1,
        committed: true,
      });

      expect((await upload('a,b', 'mode=good-rows', 'application/pdf')).statusCode).toBe(415);
      const analyst = new Client(app);
      await analyst.signInFully(await createUser(ctx, ['analyst'], { organisationId: org.id }));
      const denied = await app.inject({
        method: 'POST',
        url: '/api/imports/referrals',
        headers: {
          'content-type': 'text/csv',
          cookie: `tiaki_session=${analyst.cookie}`,
          'x-csrf-token': analyst.csrfToken ?? '',
        },
        payload: csv,
      });
      expect(denied.statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('keeps no name of a child readable on disk while an upload is under way, so a server killed mid-upload leaves none', async () => {
    const app = await buildTestApp(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    let request: ClientRequest | undefined;
    try {
      const org = await createOrganisation(ctx, 'police');
      const client = new Client(app);
      await client.signInFully(await createUser(ctx, ['frontline'], { organisationId: org.id }));
      const name = 'Importchild Wharekura';
      const start = [
        HEADER,
        ...Array.from({ length: 200 }, (_, i) => csvRow(`K${i}`, { family_name: name })),
      ].join('\n');
      const importsDir = join(ctx.config.dataDir, 'imports');
      // Half an upload: the body is sent but never finished, as when the server dies mid-upload.
      request = httpRequest({
        host: '127.0.0.1',
        port: (app.server.address() as AddressInfo).port,
        method: 'POST',
        path: '/api/imports/referrals?mode=good-rows',
        headers: {
          'content-type': 'text/csv',
          'content-length': String(Buffer.byteLength(start) * 2),
          cookie: `tiaki_session=${client.cookie}`,
          'x-csrf-token': client.csrfToken ?? '',
        },
      });
      request.on('error', () => undefined);
      request.write(start);
      const onDisk = () =>
        readdirSync(importsDir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
      const deadline = Date.now() + 20_000;
      while (onDisk().reduce((n, bytes) => n + bytes.length, 0) < Buffer.byteLength(start)) {
        if (Date.now() > deadline) throw new Error('the upload never reached the disk');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const files = onDisk();
      expect(files.length).toBeGreaterThan(0);
      for (const bytes of files) {
        expect(bytes.includes(Buffer.from(name))).toBe(false);
        expect(bytes.includes(Buffer.from('source_id'))).toBe(false);
      }
      request.destroy();
      // The abandoned upload's folder goes as soon as the request ends.
      while (onDisk().length > 0) {
        if (Date.now() > deadline) throw new Error('the abandoned upload was not removed');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      request?.destroy();
      await app.close();
    }
  });
});
