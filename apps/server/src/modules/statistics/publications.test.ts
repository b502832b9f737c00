import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { PublicationView } from '@tiaki/domain';
import { existsSync } from 'node:fs';
import { seedDemoData } from '../../demo/seed.ts';
import { buildTestApp, createTestContext, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { lastCompleteQuarter, quarterlyBulletin, quarterPeriod, shiftQuarter } from './publications.ts';
import { publicationHtml } from './render.ts';

type Value = { suppressed: false; value: number } | { suppressed: true; reason: string } | number;
const published = (v: Value | null) =>
  v === null ? null : typeof v === 'number' ? v : v.suppressed ? null : v.value;

/** Every number a publication holds: its key facts and every cell and total of every table. */
function everyCount(publication: PublicationView): number[] {
  const values: (Value | null)[] = [];
  for (const table of publication.sections.flatMap((s) => s.tables.map((t) => t.table))) {
    values.push(...table.body.flat(), ...(table.rowTotals ?? []), ...(table.columnTotals ?? []), table.total);
  }
  return values.map(published).filter((v): v is number => v !== null);
}

describe('quarters', () => {
  it('reads 2026Q3 as July to September, steps across years and finds the last quarter ended', () => {
    expect(quarterPeriod('2026Q3')).toEqual({
      from: '2026-07-01',
      to: '2026-09-30',
      label: 'July to September 2026',
    });
    expect(quarterPeriod('2024Q1').to).toBe('2024-03-31');
    expect(shiftQuarter('2026Q1', -1)).toBe('2025Q4');
    expect(shiftQuarter('2025Q4', 1)).toBe('2026Q1');
    expect(shiftQuarter('2026Q3', -4)).toBe('2025Q3');
    expect(lastCompleteQuarter('2026-11-24')).toBe('2026Q3');
    expect(lastCompleteQuarter('2026-01-01')).toBe('2025Q4');
    expect(() => quarterPeriod('2026-Q3')).toThrow(/written like 2026Q3/);
  });
});

describe('quarterly bulletin and OPSC pack on two years of synthetic history', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true', TIAKI_TODAY: '2026-11-24' });
    await seedDemoData(ctx, { historyReferrals: 240 });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  }, 900_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('gives an analyst the last quarter by default: UK NRM-style sections, published numbers only', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get('/api/statistics/publications/bulletin');
    expect(res.statusCode).toBe(200);
    const bulletin = res.json<PublicationView>();
    expect(bulletin.id).toBe('2026Q3');
    expect(bulletin.title).toBe('Tiaki quarterly statistics: July to September 2026');
    expect(bulletin.demo).toBe(true);
    expect(bulletin.provisional).toBe(false);
    expect(bulletin.sections.map((s) => s.heading)).toEqual([
      'Referrals',
      'Children referred',
      'Forms and contexts of exploitation',
      'Identification decisions',
      'Support and unmet needs',
      'Prosecutions',
      'Equity and Te Tiriti o Waitangi',
    ]);
    const names = bulletin.sections.flatMap((s) => s.tables.map((t) => t.name));
    for (const name of [
      'referrals_by_quarter',
      'referrals_by_referrer',
      'referrals_by_police_district',
      'children_by_age_and_gender',
      'children_by_prioritised_ethnicity',
      'referrals_by_manifestation',
      'decisions_by_kind_and_outcome',
      'unmet_needs_by_need_and_region',
    ]) {
      expect(names).toContain(name);
    }
    // Eight quarters of history in the series, the last being this one.
    const series = bulletin.sections[0]!.tables[0]!.table;
    expect(series.rows.categories).toEqual([
      '2024Q4',
      '2025Q1',
      '2025Q2',
      '2025Q3',
      '2025Q4',
      '2026Q1',
      '2026Q2',
      '2026Q3',
    ]);
    // Nothing exact leaves: every number is a multiple of 3 and none is 1 to 5.
    const counts = everyCount(bulletin);
    expect(counts.length).toBeGreaterThan(50);
    for (const n of counts) {
      expect(n % 3).toBe(0);
      expect(n === 0 || n >= 6).toBe(true);
    }
    const referrals = published(bulletin.keyFacts[0]!.value);
    expect(referrals).toBeGreaterThan(0);
    expect(bulletin.sections[0]!.paragraphs[0]).toContain(`received ${referrals} referrals`);
    expect(bulletin.methodology.join(' ')).toMatch(/prioritised/);
    expect(bulletin.confidentiality.join(' ')).toMatch(/Counts under 6 are suppressed/);
    expect(JSON.stringify(bulletin)).not.toMatch(/demo \d+\)|Synthetic demo narrative/);
  });

  it('rounds every cell the same way in every release', async () => {
    const a = await quarterlyBulletin(ctx, '2026Q2');
    const b = await quarterlyBulletin(ctx, '2026Q2');
    expect(b).toEqual(a);
  });

  it('writes a standalone HTML page without scripts, and CSV tables with names and footnotes', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const html = await analyst.client.get(
      '/api/statistics/publications/bulletin/download?quarter=2026Q3&format=html',
    );
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-disposition']).toBe('attachment; filename="tiaki-bulletin-2026Q3.html"');
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).not.toMatch(/<script|src=|href="http/i);
    for (const heading of ['Key facts', 'Methodology', 'Confidentiality', 'Identification decisions']) {
      expect(html.body).toContain(`<h2>${heading}</h2>`);
    }
    expect(html.body).toContain('Demonstration only');

    const csv = await analyst.client.get(
      '/api/statistics/publications/bulletin/download?quarter=2026Q3&format=csv&table=referrals_by_region',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="04_referrals_by_region.csv"');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('Referrals by region');
    expect(lines[1]).toBe('region,Number');
    expect(lines.some((l) => /^Auckland,(\d+|\*|S)$/.test(l))).toBe(true);
    expect(csv.body).toMatch(/Note: \* = suppressed because the count is fewer than 6/);

    const missing = await analyst.client.get(
      '/api/statistics/publications/bulletin/download?quarter=2026Q3&format=csv&table=names',
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ message: string }>().message).toBe('This publication has no table "names".');
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))(
    'prints the bulletin to a PDF',
    async () => {
      const analyst = await world.person('analyst', ['analyst']);
      const pdf = await analyst.client.get(
        '/api/statistics/publications/bulletin/download?quarter=2026Q3&format=pdf',
      );
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const body = pdf.rawPayload;
      expect(body.subarray(0, 5).toString()).toBe('%PDF-');
      // Several A4 pages: key facts, 13 tables, methodology and confidentiality.
      expect(body.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(3);
    },
    180_000,
  );

  it('gives the OPSC / CRC pack for a reporting period, with outcomes and services received', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get('/api/statistics/publications/opsc?from=2025-01-01&to=2025-12-31');
    expect(res.statusCode).toBe(200);
    const pack = res.json<PublicationView>();
    expect(pack.title).toContain('1 January 2025 to 31 December 2025');
    const names = pack.sections.flatMap((s) => s.tables.map((t) => t.name));
    for (const name of [
      'referrals_by_manifestation',
      'children_by_age_and_gender',
      'children_by_ethnicity',
      'referrals_by_region',
      'decisions_by_kind_and_outcome',
      'cases_closed_by_reason',
      'children_receiving_services_by_need',
    ]) {
      expect(names).toContain(name);
    }
    for (const n of everyCount(pack)) expect(n % 3).toBe(0);
    expect(publicationHtml(pack as never)).toContain('Recovery and reintegration services received');
  });

  it('reports charges by provision and form in the pack, rounded, with the s98D sentence read from its cells', async () => {
    const caseworker = await world.caseworker();
    const { caseId } = await world.openCase();
    // 14 charges for organising travel for exploitation (a provision the demo history never
    // uses): published as 12 or 15, never exactly.
    for (let i = 0; i < 14; i++) {
      const res = await caseworker.client.post(`/api/cases/${caseId}/charges`, {
        provision: 'crimes_144c',
        manifestation: 'exploitation_in_travel_tourism',
        laidOn: `2026-0${1 + (i % 6)}-15`,
      });
      expect(res.statusCode).toBe(201);
    }
    const bad = await caseworker.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'not_a_law',
      manifestation: 'exploitation_in_prostitution',
      laidOn: '2026-01-15',
    });
    expect(bad.statusCode).toBe(400);
    const analyst = await world.person('analyst', ['analyst']);
    const res = await analyst.client.get('/api/statistics/publications/opsc?from=2026-01-01&to=2026-12-31');
    expect(res.statusCode).toBe(200);
    const pack = res.json<PublicationView>();
    const section = pack.sections.find((s) => s.id === 'prosecutions')!;
    expect(section.heading).toMatch(/^Prosecutions/);
    const table = section.tables.find((t) => t.name === 'charges_by_provision_and_form')!.table;
    const row = table.rows.categories.indexOf('crimes_144c');
    const column = table.columns!.categories.indexOf('exploitation_in_travel_tourism');
    expect([12, 15]).toContain(published(table.body[row]![column]!));
    // s98D for child sex trafficking: none laid, and the sentence says what its cell says.
    const s98d = table.body[table.rows.categories.indexOf('crimes_98d')]!;
    const cell = s98d[table.columns!.categories.indexOf('trafficking_sexual_purposes')]!;
    const said = published(cell) === null ? 'a suppressed number' : String(published(cell));
    expect(section.paragraphs.join(' ')).toContain(
      `for trafficking of children for sexual purposes: ${said}`,
    );
    for (const n of everyCount(pack)) expect(n % 3).toBe(0);
    expect(pack.sections.map((s) => s.id)).toContain('equity');
    const equity = pack.sections.find((s) => s.id === 'equity')!;
    expect(equity.tables.map((t) => t.name)).toEqual([
      'equity_referrals_by_group',
      'equity_identification_by_group',
      'equity_service_referrals_by_group',
      'equity_unmet_needs_by_group',
    ]);
    expect(equity.paragraphs.join(' ')).toMatch(
      /Median days from referral to a reasonable-grounds decision: Māori/,
    );
  });

  it('refuses bad periods with a plain message, and people without statistics access', async () => {
    const analyst = await world.person('analyst', ['analyst']);
    const badQuarter = await analyst.client.get('/api/statistics/publications/bulletin?quarter=2026-3');
    expect(badQuarter.statusCode).toBe(400);
    expect(badQuarter.body).toContain('Write the quarter like 2026Q3');
    const backwards = await analyst.client.get(
      '/api/statistics/publications/opsc?from=2026-01-01&to=2025-01-01',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end of the period is before its start');
    const noFormat = await analyst.client.get('/api/statistics/publications/bulletin/download?format=docx');
    expect(noFormat.statusCode).toBe(400);

    const frontline = await world.frontline();
    for (const url of [
      '/api/statistics/publications/bulletin',
      '/api/statistics/publications/bulletin/download?format=html',
      '/api/statistics/publications/opsc?from=2025-01-01&to=2025-12-31',
    ]) {
      expect((await frontline.client.get(url)).statusCode).toBe(403);
    }
  });
});
