import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { CaseWorld } from '../../../test/cases.ts';
import {
  buildTestApp,
  createTestContext,
  createUser,
  DRIVERS,
  TEST_ACTOR,
  testEnv,
  type TestContext,
} from '../../../test/harness.ts';
import { migratedDataDir } from '../../../test/processes.ts';
import { HTCDS_STANDARD_CSV, parseHtcdsStandard } from '@tiaki/domain/htcds-standard';
import { exportHtcds, formatHtcdsReport, traffickingStatus, type HtcdsExportReport } from './htcds.ts';
import { HTCDS_FIELDS, MULTI_SEPARATOR, MULTISELECT_FIELDS, PSEUDONYM_COLUMN } from './htcds-mapping.ts';

const BIN = fileURLToPath(new URL('../../../bin/tiaki.mjs', import.meta.url));
const HTCDS_PREFIXES = ['org_', 'prs_', 'vic_', 'per_', 'cas_', 'cco_', 'hte_', 'spl_', 'con_'];

/** The standard's fields, read from its CSV (kept in the repository: no skipping). */
const standard = () => parseHtcdsStandard(readFileSync(fileURLToPath(HTCDS_STANDARD_CSV), 'utf8'));

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const isIsoCountry = (code: string) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;

/** Checks every header and every value of an export against the standard; returns the records. */
function checkAgainstStandard(file: string): Record<string, string>[] {
  const fields = standard();
  const text = readFileSync(file, 'utf8');
  const records = parse<Record<string, string>>(text, { columns: true });
  const [headerLine] = text.split('\r\n');
  const headers = (headerLine ?? '').split(',');
  expect(headers[0]).toBe(PSEUDONYM_COLUMN);
  expect(HTCDS_PREFIXES.some((p) => PSEUDONYM_COLUMN.startsWith(p))).toBe(false);
  expect(fields.has(PSEUDONYM_COLUMN)).toBe(false);
  for (const header of headers.slice(1)) {
    expect(fields.has(header), `${header} is an HTCDS v2.0 field`).toBe(true);
  }
  for (const record of records) {
    expect(record[PSEUDONYM_COLUMN]).toMatch(/^[0-9a-f]{32}$/);
    for (const [name, value] of Object.entries(record)) {
      if (name === PSEUDONYM_COLUMN || value === '') continue;
      const field = fields.get(name);
      if (!field) throw new Error(`unknown field ${name}`);
      if (field.type === 'Date') expect(value, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (field.values.length === 0) continue;
      const parts = MULTISELECT_FIELDS.includes(name as never) ? value.split(MULTI_SEPARATOR) : [value];
      for (const part of parts) {
        if (field.values[0] === 'ISO3166') expect(isIsoCountry(part), `${name}: ${part}`).toBe(true);
        else expect(field.values, `${name}: ${part}`).toContain(part);
      }
    }
  }
  return records;
}

describe('HTCDS mapping', () => {
  it('uses only field names of the standard, and every mapped value is a Value Name of its field', async () => {
    const fields = standard();
    for (const name of HTCDS_FIELDS) expect(fields.has(name), name).toBe(true);
    for (const name of MULTISELECT_FIELDS) {
      // spl_Type is single-valued in the standard: the flat row carries the related list's types.
      if (name !== 'spl_Type') expect(fields.get(name)?.type, name).toBe('Multiselect Picklist');
    }
    const m = await import('./htcds-mapping.ts');
    const check = (field: string, values: (string | null)[]) => {
      const allowed = fields.get(field)?.values ?? [];
      for (const v of values) {
        if (v === null) continue;
        if (allowed[0] === 'ISO3166') expect(isIsoCountry(v), `${field}: ${v}`).toBe(true);
        else expect(allowed, `${field}: ${v}`).toContain(v);
      }
    };
    check('prs_Gender', Object.values(m.GENDER_TO_HTCDS));
    check('prs_Citizenship', Object.values(m.CITIZENSHIP_TO_HTCDS));
    check('org_Type', Object.values(m.ORGANISATION_KIND_TO_HTCDS));
    check('cas_Status', [...Object.values(m.CLOSURE_REASON_TO_STATUS), 'Active']);
    check('spl_Type', Object.values(m.NEED_TYPE_TO_HTCDS));
    check(
      'vic_TypeOfExploitation',
      Object.values(m.MANIFESTATION_TO_HTCDS).map((x) => x?.exploitationType ?? null),
    );
    check(
      'vic_TypeOfSexExploitation',
      Object.values(m.MANIFESTATION_TO_HTCDS).flatMap((x) => x?.sexExploitationTypes ?? []),
    );
    check('vic_TraffickingStatusDecisionMakingOrg', ['Other', 'NonPoliceGovernmentalOrganization']);
    check('hte_Type', ['Exploitation']);
  });

  it('derives the trafficking status from decisions in order, reconsiderations included', () => {
    const d = (kind: string, outcome: string, on: string) => ({
      child_unit: 'u',
      kind,
      outcome,
      decided_on: on,
      by_panel: false,
    });
    expect(traffickingStatus([]).status).toBeNull();
    expect(traffickingStatus([d('reasonable_grounds', 'positive', '2026-01-01')]).status).toBe(
      'PossibleVictimOfTrafficking',
    );
    expect(
      traffickingStatus([
        d('conclusive_grounds', 'positive', '2026-03-01'),
        d('reasonable_grounds', 'positive', '2026-01-01'),
      ]).status,
    ).toBe('ActualVictimOfTrafficking');
    expect(
      traffickingStatus([
        d('reasonable_grounds', 'positive', '2026-01-01'),
        d('conclusive_grounds', 'negative', '2026-03-01'),
      ]).status,
    ).toBe('NotAVictimOfTrafficking');
    expect(
      traffickingStatus([
        d('reasonable_grounds', 'positive', '2026-01-01'),
        d('conclusive_grounds', 'negative', '2026-03-01'),
        d('reconsideration', 'positive', '2026-03-20'),
      ]).status,
    ).toBe('ActualVictimOfTrafficking');
  });
});

describe.each(DRIVERS)('HTCDS export on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const dir = mkdtempSync(join(tmpdir(), 'tiaki-htcds-'));

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    // Exportable: the young person agreed; a case is opened.
    await world.openCase(
      { lawfulBasis: 'consent_young_person', manifestations: ['exploitation_in_prostitution'] },
      { givenNames: 'Aroha', familyName: 'Exportable-Testchild', gender: 'girl', citizenship: 'nz_citizen' },
    );
    // Not exportable: shared for one child's safety (OT Act s65A) only.
    await world.openCase(
      { lawfulBasis: 'ota_65a', manifestations: ['online_sexual_exploitation'] },
      { givenNames: 'Hemi', familyName: 'Withheld-Testchild', gender: 'boy' },
    );
    // Exportable, untriaged: a collection purpose; a visa status that names no country.
    await world.submitReferral(
      { lawfulBasis: 'privacy_ipp11_purpose', manifestations: ['child_early_forced_marriage'] },
      {
        givenNames: 'Mere',
        familyName: 'Untriaged-Testchild',
        gender: 'transgender_girl',
        citizenship: 'temporary_student',
      },
    );
  }, 180_000);

  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('writes only HTCDS fields and values, only for children whose lawful basis allows it, without identity', async () => {
    const out = join(dir, 'htcds.csv');
    const report = await exportHtcds(ctx, TEST_ACTOR, { out });
    const records = checkAgainstStandard(out);
    expect(report.rows).toBe(2);
    expect(records).toHaveLength(2);
    expect(report.leftOutLawfulBasis).toBe(1);
    expect(report.includeIdentity).toBe(false);

    const text = readFileSync(out, 'utf8');
    for (const secret of [
      'Aroha',
      'Hemi',
      'Mere',
      'Testchild',
      '2011-03-14',
      'Synthetic narrative',
      'Ōtāhuhu',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('prs_FirstName');
    expect(text).not.toContain('prs_Birthdate');
    // Our ids never leave: the key is a keyed hash.
    const ids = await ctx.db.selectFrom('case_record').select('id').execute();
    for (const { id } of ids) expect(text).not.toContain(id);

    const girl = records.find((r) => r.prs_Gender === 'Feminine');
    expect(girl).toMatchObject({
      prs_Citizenship: 'NZ',
      vic_TypeOfExploitation: 'SexualExploitation',
      vic_TypeOfSexExploitation: 'Prostitution',
      cas_Status: 'Active',
      org_Type: 'LawEnforcement',
      hte_Type: 'Exploitation',
      hte_Country: 'NZ',
    });
    expect(girl?.cas_IncomingReferralDate).toMatch(/^\d{4}-\d{2}-01$/);
    const untriaged = records.find((r) => r.prs_Gender === 'TransgenderFeminine');
    expect(untriaged).toMatchObject({
      vic_TypeOfExploitation: 'ForcedMarriage',
      cas_Status: '',
      prs_Citizenship: '',
    });
    expect(records.some((r) => r.prs_Gender === 'Masculine')).toBe(false);

    // Values with no HTCDS home are reported, with counts.
    expect(report.unmapped).toContainEqual({ field: 'citizenship', code: 'temporary_student', count: 1 });
    expect(report.unmapped.some((u) => u.field === 'age_band' && u.count >= 1)).toBe(true);
    expect(report.unmapped.some((u) => u.field === 'context')).toBe(true);
    const printed = formatHtcdsReport(report);
    expect(printed).toContain('Wrote 2 HTCDS v2.0 row(s)');
    expect(printed).toContain('citizenship temporary_student: 1');

    // The same child has the same key in the next release.
    const again = join(dir, 'again.csv');
    await exportHtcds(ctx, TEST_ACTOR, { out: again });
    expect(readFileSync(again, 'utf8')).toBe(text);

    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['details'])
      .where('action', '=', 'export.htcds')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0]?.details).toMatchObject({ rows: 2, leftOut: 1, includeIdentity: false });
  });

  it('writes identity only with the authority of a privacy officer or data steward, and audits who', async () => {
    const out = join(dir, 'identity.csv');
    const caseworker = await world.caseworker();
    await expect(
      exportHtcds(ctx, TEST_ACTOR, { out, includeIdentity: { authorisedBy: caseworker.user.email } }),
    ).rejects.toThrow(/data steward or privacy officer/);

    const officer = await createUser(ctx, ['privacy_officer']);
    const report = await exportHtcds(ctx, TEST_ACTOR, {
      out,
      includeIdentity: { authorisedBy: officer.email },
    });
    expect(report.includeIdentity).toBe(true);
    const records = checkAgainstStandard(out);
    expect(records.map((r) => r.prs_FirstName).sort()).toEqual(['Aroha', 'Mere']);
    expect(readFileSync(out, 'utf8')).not.toContain('Hemi');
    const last = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'export.htcds')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.actor_user_id).toBe(officer.id);
    expect(last.details).toMatchObject({ includeIdentity: true, rows: 2 });
  });

  it('limits to children referred in a period', async () => {
    const out = join(dir, 'period.csv');
    const report: HtcdsExportReport = await exportHtcds(ctx, TEST_ACTOR, {
      out,
      from: '1990-01-01',
      to: '1990-12-31',
    });
    expect(report.rows).toBe(0);
    expect(checkAgainstStandard(out)).toHaveLength(0);
  });
  it('lets a data steward download the de-identified export from the web, audited; nobody else', async () => {
    const steward = await world.person('steward', ['data_steward']);
    const res = await steward.client.get('/api/exports/htcds?from=2026-01-01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="htcds-2026-01-01-today.csv"');
    expect(res.headers['x-tiaki-rows']).toBe('2');
    const file = join(dir, 'web.csv');
    writeFileSync(file, res.body);
    expect(checkAgainstStandard(file)).toHaveLength(2);
    expect(res.body).not.toMatch(/Aroha|Exportable-Testchild|Mere|prs_FirstName/);
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id'])
      .where('action', '=', 'export.htcds')
      .where('actor_user_id', '=', steward.user.id)
      .execute();
    expect(audited).toHaveLength(1);

    const backwards = await steward.client.get('/api/exports/htcds?from=2026-02-01&to=2026-01-01');
    expect(backwards.statusCode).toBe(400);
    for (const person of [await world.person('analyst', ['analyst']), await world.caseworker()]) {
      expect((await person.client.get('/api/exports/htcds')).statusCode).toBe(403);
    }
  });
});

describe('tiaki export htcds', () => {
  const run = promisify(execFile);

  it('writes the file and prints the report; refuses identity without an authoriser', async () => {
    const env = testEnv({ DATA_DIR: await migratedDataDir() });
    const out = join(mkdtempSync(join(tmpdir(), 'tiaki-htcds-cli-')), 'out.csv');
    const { stdout } = await run('node', [BIN, 'export', 'htcds', '--out', out], {
      env: { PATH: process.env.PATH, ...env },
    });
    expect(stdout).toContain(`Wrote 0 HTCDS v2.0 row(s) to ${out} (identity omitted)`);
    expect(stdout).toContain('Unmapped local values: none.');
    checkAgainstStandard(out);

    const refused = await run('node', [BIN, 'export', 'htcds', '--out', out, '--include-identity'], {
      env: { PATH: process.env.PATH, ...env },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect('code' in refused && refused.code).toBe(1);
    expect('stderr' in refused && refused.stderr).toContain('--authorised-by');
  }, 90_000);
});
