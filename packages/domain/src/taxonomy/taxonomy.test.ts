import { createHash } from 'node:crypto';
import { HTCDS_STANDARD_CSV, parseHtcdsStandard } from './htcds-standard.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REGIONS } from '../reference/regions.ts';
import {
  ageBandForAge,
  CURRENT_TAXONOMY,
  CURRENT_TAXONOMY_VERSION,
  hasCode,
  INDICATOR_GROUP_CODES,
  manifestationSubtypes,
  screenIndicators,
  TAXONOMIES,
  taxonomyVersion,
  type Taxonomy,
} from './index.ts';

/**
 * sha256 of JSON.stringify of each released taxonomy.
 * A released taxonomy never changes: add a new version instead (docs/taxonomy.md). Never update
 * a hash here to make this test pass; add the hash of a new version when you release it.
 */
const RELEASED_HASHES: Record<string, string> = {
  '2026.1': 'b68bfd58fb3fe5af413e093ca1d0a1bc10c909d695b173093fe2fc601e89b3b7',
};

// The standard is kept in the repository (reference/htcds/SOURCE.md), so this never skips.
const HTCDS = parseHtcdsStandard(readFileSync(fileURLToPath(HTCDS_STANDARD_CSV), 'utf8'));

/** Picklist value names of one HTCDS field. */
function htcdsValueNames(fieldWithPrefix: string): string[] {
  const field = HTCDS.get(fieldWithPrefix);
  if (!field) throw new Error(`HTCDS field ${fieldWithPrefix} not found in the CSV`);
  return field.values;
}

const sha256 = (taxonomy: Taxonomy) => createHash('sha256').update(JSON.stringify(taxonomy)).digest('hex');

/** Every string anywhere in a value. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
}

/** Luxembourg Guidelines "avoid" terms, and words implying a child's consent or complicity. */
const AVOID = [
  /child[- ]prostitut/i,
  /child[- ]porn/i,
  /kiddie[- ]porn/i,
  /child sex[- ]workers?/i,
  /child sex[- ]touris/i,
  /webcam child sex/i,
  /working girls?/i,
  /\bclients?\b/i,
  /\bchose\b/i,
  /\bwilling(ly)?\b/i,
  /\bconsensual\b/i,
];

describe('taxonomy registry', () => {
  it('registers every version under its own version string, with CURRENT among them', () => {
    for (const [version, taxonomy] of Object.entries(TAXONOMIES)) expect(taxonomy.version).toBe(version);
    expect(CURRENT_TAXONOMY_VERSION).toBe(CURRENT_TAXONOMY.version);
    expect(taxonomyVersion(CURRENT_TAXONOMY_VERSION)).toBe(CURRENT_TAXONOMY);
    expect(taxonomyVersion('1999.1')).toBeUndefined();
    expect(taxonomyVersion('constructor')).toBeUndefined();
    expect(taxonomyVersion('__proto__')).toBeUndefined();
  });

  it('has a committed content hash for every released version (a released taxonomy never changes)', () => {
    // A released taxonomy never changes: add a new version instead.
    expect(Object.keys(RELEASED_HASHES).sort()).toEqual(Object.keys(TAXONOMIES).sort());
    for (const [version, taxonomy] of Object.entries(TAXONOMIES)) {
      expect({ version, hash: sha256(taxonomy) }).toEqual({ version, hash: RELEASED_HASHES[version] });
    }
  });

  it('is frozen at run time', () => {
    expect(Object.isFrozen(CURRENT_TAXONOMY)).toBe(true);
    expect(Object.isFrozen(CURRENT_TAXONOMY.indicators)).toBe(true);
    expect(Object.isFrozen(CURRENT_TAXONOMY.indicators[0])).toBe(true);
    expect(() => {
      (CURRENT_TAXONOMY.manifestations as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('hasCode finds codes by exact match', () => {
    expect(hasCode(CURRENT_TAXONOMY.manifestations, 'child_sexual_abuse_material')).toBe(true);
    expect(hasCode(CURRENT_TAXONOMY.manifestations, 'CHILD_SEXUAL_ABUSE_MATERIAL')).toBe(false);
    expect(hasCode(CURRENT_TAXONOMY.regions, '09')).toBe(true);
    expect(hasCode([], 'x')).toBe(false);
  });
});

describe.each(Object.values(TAXONOMIES))('taxonomy $version', (taxonomy) => {
  const codedLists = {
    manifestations: taxonomy.manifestations,
    subtypes: manifestationSubtypes(taxonomy),
    contexts: taxonomy.contexts,
    indicatorGroups: taxonomy.indicatorGroups,
    indicators: taxonomy.indicators,
    lawProvisions: taxonomy.lawProvisions,
    lawfulBases: taxonomy.lawfulBases,
    genders: taxonomy.genders,
    ageBands: taxonomy.ageBands,
    ethnicities: taxonomy.ethnicities,
    iwi: taxonomy.iwi,
    regions: taxonomy.regions,
    policeDistricts: taxonomy.policeDistricts,
    citizenshipStatuses: taxonomy.citizenshipStatuses,
  };

  it.each(Object.entries(codedLists))('%s: codes are unique and non-empty', (_name, list) => {
    expect(list.length).toBeGreaterThan(0);
    const codes = list.map((entry) => entry.code);
    expect(codes.every((code) => /^[a-z0-9_-]+$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('subtype codes do not repeat manifestation codes', () => {
    const manifestationCodes = new Set(taxonomy.manifestations.map((m) => m.code));
    expect(manifestationSubtypes(taxonomy).filter((s) => manifestationCodes.has(s.code))).toEqual([]);
  });

  it('has the six forms of CSEC named in the domain brief', () => {
    for (const code of [
      'exploitation_in_prostitution',
      'online_sexual_exploitation',
      'child_sexual_abuse_material',
      'trafficking_sexual_purposes',
      'exploitation_in_travel_tourism',
      'child_early_forced_marriage',
    ]) {
      expect(hasCode(taxonomy.manifestations, code), code).toBe(true);
    }
  });

  it('maps every manifestation to HTCDS v2 value names that exist in the CSV', () => {
    const exploitationTypes = htcdsValueNames('vic_TypeOfExploitation');
    const sexExploitationTypes = htcdsValueNames('vic_TypeOfSexExploitation');
    expect(exploitationTypes).toContain('SexualExploitation');
    expect(sexExploitationTypes).toContain('RemoteInteractiveServices');
    for (const m of taxonomy.manifestations) {
      expect(exploitationTypes, m.code).toContain(m.htcds.exploitationType);
      for (const value of m.htcds.sexExploitationTypes) expect(sexExploitationTypes, m.code).toContain(value);
      if (m.htcds.exploitationType !== 'SexualExploitation') expect(m.htcds.sexExploitationTypes).toEqual([]);
    }
  });

  it('maps every gender to an HTCDS v2 prs_Gender value name that exists in the CSV', () => {
    const genders = htcdsValueNames('prs_Gender');
    expect(genders).toHaveLength(6);
    for (const g of taxonomy.genders) expect(genders, g.code).toContain(g.htcds);
  });

  it('uses no Luxembourg "avoid" term and no wording that implies consent, anywhere', () => {
    const offending = allStrings(taxonomy).flatMap((text) =>
      AVOID.filter((pattern) => pattern.test(text)).map((pattern) => `${String(pattern)} in "${text}"`),
    );
    expect(offending).toEqual([]);
  });

  it('the avoid-term check catches what it should', () => {
    const caught = (text: string) => AVOID.some((pattern) => pattern.test(text));
    expect(caught('Child prostitution')).toBe(true);
    expect(caught('child pornography')).toBe(true);
    expect(caught('a client of the child')).toBe(true);
    expect(caught('she chose it')).toBe(true);
    expect(caught('a willing participant')).toBe(true);
    expect(caught('consensual')).toBe(true);
    expect(caught('Exploitation of children in prostitution')).toBe(false);
  });

  it('gives every entry a label and a short plain-language definition', () => {
    const entries = [
      ...taxonomy.manifestations,
      ...manifestationSubtypes(taxonomy),
      ...taxonomy.contexts,
      ...taxonomy.indicatorGroups,
      ...taxonomy.indicators,
      ...taxonomy.lawProvisions,
      ...taxonomy.lawfulBases,
      ...taxonomy.genders,
      ...taxonomy.ageBands,
      ...taxonomy.citizenshipStatuses,
    ];
    for (const entry of entries) {
      expect(entry.label.trim(), entry.code).not.toBe('');
      expect(entry.definition.trim(), entry.code).not.toBe('');
      // One or two sentences.
      expect(
        entry.definition.split(/[.!?](\s|$)/).filter((s) => s.trim()).length,
        entry.code,
      ).toBeLessThanOrEqual(2);
    }
  });

  it('has 30–45 indicators in the five groups, each with guidance', () => {
    expect(taxonomy.indicatorGroups.map((g) => g.code)).toEqual([...INDICATOR_GROUP_CODES]);
    expect(taxonomy.indicators.length).toBeGreaterThanOrEqual(30);
    expect(taxonomy.indicators.length).toBeLessThanOrEqual(45);
    for (const group of INDICATOR_GROUP_CODES) {
      expect(
        taxonomy.indicators.some((i) => i.group === group),
        group,
      ).toBe(true);
    }
    for (const i of taxonomy.indicators) expect(i.guidance.trim(), i.code).not.toBe('');
    expect(taxonomy.indicators.some((i) => i.strength === 'strong')).toBe(true);
  });

  it('marks OT Act s66 information as not for offence investigation', () => {
    const s66 = taxonomy.lawfulBases.filter((b) => b.section === 's66');
    expect(s66.length).toBeGreaterThan(0);
    for (const basis of s66) expect(basis.notForOffenceInvestigation).toBe(true);
    expect(taxonomy.lawfulBases.filter((b) => b.section === 's66C')).toHaveLength(6);
  });

  it('has age bands for children only, narrow bands first and covering 0–17', () => {
    for (const band of taxonomy.ageBands) {
      expect(band.min).toBeGreaterThanOrEqual(0);
      expect(band.max).toBeLessThanOrEqual(17);
      expect(band.min).toBeLessThanOrEqual(band.max);
    }
    for (let age = 0; age <= 17; age++) {
      const band = ageBandForAge(age, taxonomy);
      expect(band, String(age)).toBeDefined();
      // The first match is the narrowest band containing the age.
      const widths = taxonomy.ageBands.filter((b) => age >= b.min && age <= b.max).map((b) => b.max - b.min);
      expect(band!.max - band!.min).toBe(Math.min(...widths));
    }
    expect(ageBandForAge(18, taxonomy)).toBeUndefined();
  });

  it('has Stats NZ ethnicity levels 1 (1 European … 9 Residual) and 2, children pointing to real parents', () => {
    const level1 = taxonomy.ethnicities.filter((e) => e.level === 1);
    expect(level1.map((e) => e.code)).toEqual(['1', '2', '3', '4', '5', '6', '9']);
    expect(level1[0]!.label).toBe('European');
    expect(level1.find((e) => e.code === '2')!.label).toBe('Māori');
    expect(level1.find((e) => e.code === '9')!.label).toBe('Residual Categories');
    for (const e of level1) expect(e.parent).toBeNull();
    const level2 = taxonomy.ethnicities.filter((e) => e.level === 2);
    expect(level2.length).toBe(taxonomy.ethnicities.length - level1.length);
    for (const e of level2) {
      expect(e.code).toHaveLength(2);
      expect(e.parent, e.code).toBe(e.code[0]);
      expect(hasCode(level1, e.parent!), e.code).toBe(true);
    }
    for (const residual of ['94', '95', '96', '97', '98', '99'])
      expect(hasCode(level2, residual), residual).toBe(true);
  });

  it('has all 210 iwi codes, each grouped under a real grouping code', () => {
    expect(taxonomy.iwi).toHaveLength(210);
    const groupings = taxonomy.iwi.filter((i) => i.region === null);
    for (const i of taxonomy.iwi) {
      if (i.region !== null) expect(hasCode(groupings, i.region), i.code).toBe(true);
    }
    expect(taxonomy.iwi.find((i) => i.code === '0104')).toEqual({
      code: '0104',
      label: 'Ngāpuhi',
      region: '01',
    });
  });

  it('reuses REGIONS and has 12 Police districts covering real regions', () => {
    expect(taxonomy.regions).toBe(REGIONS);
    expect(taxonomy.policeDistricts).toHaveLength(12);
    for (const d of taxonomy.policeDistricts) {
      expect(d.mainRegions.length, d.code).toBeGreaterThan(0);
      for (const region of d.mainRegions) expect(hasCode(REGIONS, region), `${d.code} ${region}`).toBe(true);
    }
  });

  it('has the citizenship and visa statuses', () => {
    for (const code of [
      'nz_citizen',
      'nz_resident',
      'australian_citizen',
      'temporary_student',
      'temporary_work',
      'temporary_visitor',
      'unlawfully_in_nz',
      'unknown',
    ]) {
      expect(hasCode(taxonomy.citizenshipStatuses, code), code).toBe(true);
    }
  });
});

describe('screenIndicators', () => {
  const t = CURRENT_TAXONOMY;
  const indicator = (code: string) => t.indicators.find((i) => i.code === code)!;

  it('none: no indicators', () => {
    const screen = screenIndicators([]);
    expect(screen.level).toBe('none');
    expect(screen.reasons).toHaveLength(1);
    expect(screen.reasons[0]).toMatch(/no indicators/i);
  });

  it('clear: one strong indicator is enough, and the reason names it', () => {
    expect(indicator('exchanges_sex').strength).toBe('strong');
    const screen = screenIndicators(['exchanges_sex']);
    expect(screen.level).toBe('clear');
    expect(screen.reasons).toContain(
      'Strong indicator: Exchanges sex for food, shelter, drugs, phone credit or money',
    );
    expect(screen.reasons.at(-1)).toMatch(/^Clear concern: 1 strong indicator/);
  });

  it('possible: one supporting indicator', () => {
    const screen = screenIndicators(['goes_missing']);
    expect(screen.level).toBe('possible');
    expect(screen.reasons[0]).toBe(
      'Supporting indicator (Behavioural): Goes missing from home, care or school',
    );
    expect(screen.reasons.at(-1)).toMatch(/^Possible concern: 1 supporting indicator from 1 group/);
  });

  it('possible: three supporting indicators all from one group (the two-groups rule)', () => {
    const oneGroup = ['goes_missing', 'unexplained_money_gifts', 'older_associates'];
    for (const code of oneGroup)
      expect(indicator(code)).toMatchObject({ group: 'behavioural', strength: 'supporting' });
    expect(screenIndicators(oneGroup).level).toBe('possible');
  });

  it('possible: supporting indicators from two groups but only two of them', () => {
    expect(screenIndicators(['goes_missing', 'debt_owed']).level).toBe('possible');
  });

  it('clear: three supporting indicators from two groups', () => {
    const codes = ['goes_missing', 'unexplained_money_gifts', 'debt_owed'];
    expect(indicator('debt_owed')).toMatchObject({ group: 'control', strength: 'supporting' });
    const screen = screenIndicators(codes);
    expect(screen.level).toBe('clear');
    expect(screen.reasons.at(-1)).toBe(
      'Clear concern: 3 supporting indicators from 2 groups (Behavioural, Control); three or more supporting indicators from at least two groups make a clear concern.',
    );
  });

  it('counts a repeated code once', () => {
    expect(screenIndicators(['goes_missing', 'goes_missing', 'debt_owed']).level).toBe('possible');
  });

  it('ignores unknown codes and says so', () => {
    const onlyUnknown = screenIndicators(['not_a_code']);
    expect(onlyUnknown.level).toBe('none');
    expect(onlyUnknown.reasons).toContain(
      `Unknown indicator code "not_a_code" ignored: it is not in taxonomy ${t.version}.`,
    );
    const withKnown = screenIndicators(['goes_missing', 'not_a_code', 'debt_owed', 'isolated']);
    expect(withKnown.level).toBe('clear');
    expect(withKnown.reasons.some((r) => r.includes('"not_a_code"'))).toBe(true);
  });

  it('reads codes against the taxonomy it is given', () => {
    const noStrong: Taxonomy = {
      ...t,
      version: 'test',
      indicators: t.indicators.map((i) => ({ ...i, strength: 'supporting' as const })),
    };
    expect(screenIndicators(['exchanges_sex'], noStrong).level).toBe('possible');
    expect(screenIndicators(['exchanges_sex'], { ...t, indicators: [] }).level).toBe('none');
  });

  it('every strong indicator alone gives clear; every supporting one alone gives possible', () => {
    for (const i of t.indicators) {
      expect(screenIndicators([i.code]).level, i.code).toBe(i.strength === 'strong' ? 'clear' : 'possible');
    }
  });
});

describe('what the ethnicity and iwi pickers offer', () => {
  it('leaves out classification artefacts and keeps every real answer', async () => {
    const { CURRENT_TAXONOMY: t, isResidualEthnicity, isResidualIwi } = await import('./index.ts');
    const ARTEFACTS =
      /Residual|Repeated Value|Don't Know|Refused To Answer|Response Unidentifiable|Response Outside Scope|Not Stated/i;
    const ethnicities = t.ethnicities.filter((e) => !isResidualEthnicity(e.code));
    const iwi = t.iwi.filter((i) => !isResidualIwi(i.code));
    expect(ethnicities.filter((e) => ARTEFACTS.test(e.label))).toEqual([]);
    expect(iwi.filter((i) => ARTEFACTS.test(i.label))).toEqual([]);
    // Only the artefacts go: Māori and its iwi, and "iwi not named" groupings, stay.
    expect(t.ethnicities.length - ethnicities.length).toBe(7);
    expect(ethnicities.map((e) => e.label)).toContain('Māori');
    expect(iwi.map((i) => i.label)).toContain('Ngāti Porou');
    expect(iwi.map((i) => i.label)).toContain('Tainui, iwi not named');
  });
});
