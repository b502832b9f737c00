import { beforeAll, describe, expect, it } from 'vitest';
import { childConfig } from './config.ts';
import { generateRecords } from './generate.ts';
import { estimate, explain, LinkageIndex } from './linkage.ts';
import type { LinkRecord, Model } from './types.ts';

let model: Model;

beforeAll(async () => {
  model = await estimate(generateRecords({ count: 4000, seed: 7 }), { workers: 0, randomPairs: 50_000 });
});

const child = (over: Partial<LinkRecord>): LinkRecord => ({
  id: 'a',
  givenNames: ['Aroha'],
  familyNames: ['Parata'],
  dateOfBirth: '2011-04-09',
  gender: 'female',
  region: 'Waikato',
  ...over,
});

function field(a: LinkRecord, b: LinkRecord, name: string) {
  const e = explain(a, b, model);
  const f = e.fields.find((x) => x.comparison === name);
  if (!f) throw new Error(`no ${name}`);
  return { ...f, probability: e.probability };
}

describe('matching children’s records', () => {
  it('matches Ngāire with Ngaire', () => {
    const f = field(
      child({ givenNames: ['Ngāire'] }),
      child({ id: 'b', givenNames: ['Ngaire'] }),
      'given name',
    );
    expect(f.level).toBe('exact');
    expect(f.probability).toBeGreaterThan(0.99);
  });

  it('treats Whetu and Fetu as sounding alike', () => {
    const f = field(child({ givenNames: ['Whetu'] }), child({ id: 'b', givenNames: ['Fetu'] }), 'given name');
    expect(f.level).toBe('sounds alike');
    expect(f.weight).toBeGreaterThan(0);
  });

  it('recognises Bill as William and Hone as John', () => {
    expect(
      field(child({ givenNames: ['William'] }), child({ givenNames: ['Bill'] }), 'given name').level,
    ).toBe('known nickname or other form');
    expect(field(child({ givenNames: ['Hone'] }), child({ givenNames: ['John'] }), 'given name').level).toBe(
      'known nickname or other form',
    );
  });

  it('matches a hyphenated family name with one of its parts', () => {
    const f = field(
      child({ familyNames: ['Parata-Smith'] }),
      child({ familyNames: ['Smith'] }),
      'family name',
    );
    expect(f.level).toBe('shares one of several family names');
  });

  it('matches family names given in another order as exact', () => {
    expect(
      field(
        child({ familyNames: ['Te Ao', 'Walker'] }),
        child({ familyNames: ['Walker Te Ao'] }),
        'family name',
      ).level,
    ).toBe('exact');
  });

  it('finds a child recorded under an alias', () => {
    const a = child({ familyNames: ['Walker'], aliases: [{ family: 'Parata' }] });
    const f = field(a, child({ id: 'b' }), 'family name');
    expect(f.level).toBe('exact');
  });

  it('spots given and family names swapped, and counts it once', () => {
    const a = child({});
    const b = child({ givenNames: ['Parata'], familyNames: ['Aroha'] });
    expect(field(a, b, 'given name').level).toBe('given and family names swapped');
    const family = field(a, b, 'family name');
    expect(family.level).toMatch(/counted under given name/);
    expect(family.weight).toBe(0);
    expect(family.probability).toBeGreaterThan(0.9);
  });

  it('recognises day and month swapped and transposed digits in a date of birth', () => {
    expect(field(child({}), child({ dateOfBirth: '2011-09-04' }), 'date of birth').level).toBe(
      'day and month swapped',
    );
    expect(field(child({}), child({ dateOfBirth: '2011-04-08' }), 'date of birth').level).toBe(
      'one digit different',
    );
    expect(
      field(child({ dateOfBirth: '2011-04-19' }), child({ dateOfBirth: '2011-04-91' }), 'date of birth')
        .level,
    ).toBe('two adjacent digits transposed');
  });

  it('accepts a date of birth within an estimated age, and rejects one outside it', () => {
    const estimated = child({
      dateOfBirth: undefined,
      estimatedAge: { min: 13, max: 14, atDate: '2025-01-01' },
    });
    expect(field(child({}), estimated, 'date of birth').level).toBe('consistent with an estimated age');
    const younger = child({ dateOfBirth: '2016-04-09' });
    expect(field(younger, estimated, 'date of birth').level).toBe('different');
  });

  it('takes one estimated birth date written by both (1 January or 1 July) as an estimated age, not a birthday', () => {
    const a = child({ dateOfBirth: '2011-01-01' });
    const estimated = field(a, child({ dateOfBirth: '2011-01-01' }), 'date of birth');
    expect(estimated.level).toBe('consistent with an estimated age');
    const july = child({ dateOfBirth: '2011-07-01' });
    expect(field(july, child({ dateOfBirth: '2011-07-01' }), 'date of birth').level).toBe(
      'consistent with an estimated age',
    );
    const birthday = field(child({}), child({}), 'date of birth');
    expect(birthday.level).toBe('exact');
    expect(estimated.weight).toBeLessThan(birthday.weight);
  });

  it('does not take a shared particle (Te, Van) for a shared family name', () => {
    const teWhata = child({ familyNames: ['Te Whata'] });
    expect(field(teWhata, child({ familyNames: ['Te Kani'] }), 'family name').level).not.toBe(
      'shares one of several family names',
    );
    expect(field(teWhata, child({ familyNames: ['Whata'] }), 'family name').level).toBe(
      'shares one of several family names',
    );
  });

  it('gives no evidence either way for a missing field', () => {
    const f = field(child({}), child({ region: undefined }), 'region');
    expect(f.weight).toBe(0);
    expect(f.level).toMatch(/missing/);
  });

  it('explains every field with a weight that adds up to the total', () => {
    const e = explain(child({}), child({ id: 'b', givenNames: ['Arohaa'] }), model);
    const sum = e.prior + e.fields.reduce((s, f) => s + f.weight, 0);
    expect(e.weight).toBeCloseTo(sum, 9);
    expect(e.fields.map((f) => f.comparison)).toEqual([
      'given name',
      'family name',
      'date of birth',
      'gender',
      'region',
    ]);
  });

  it('weighs an exact match on a rare name above one on a common name', () => {
    const common = [...generateRecords({ count: 4000, seed: 7 })]
      .map((r) => r.givenNames[0])
      .reduce((m, g) => m.set(g, (m.get(g) ?? 0) + 1), new Map<string | undefined, number>());
    const top = [...common].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'Oliver';
    const rare = field(
      child({ givenNames: ['Kōwhaiwhai'] }),
      child({ givenNames: ['Kowhaiwhai'] }),
      'given name',
    );
    const usual = field(child({ givenNames: [top] }), child({ givenNames: [top] }), 'given name');
    expect(rare.weight).toBeGreaterThan(usual.weight);
  });

  it('finds a new referral’s candidates among known children, best first', () => {
    const index = new LinkageIndex(model, [
      child({ id: 'known-1' }),
      child({ id: 'known-2', givenNames: ['Mere'], dateOfBirth: '2009-01-01' }),
    ]);
    const found = index.search(
      child({ id: 'new', givenNames: ['Aroha'], familyNames: ['Parata'], region: undefined }),
    );
    expect(found[0]?.id).toBe('known-1');
    expect(found[0]?.probability).toBeGreaterThan(0.9);
    expect(found[0]?.explanation.fields).toHaveLength(childConfig().comparisons.length);
    expect(found.some((c) => c.id === 'known-2' && c.probability >= 0.5)).toBe(false);
  });
});
