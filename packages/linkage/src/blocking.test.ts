import { describe, expect, it } from 'vitest';
import { candidatePairs } from './blocking.ts';
import { Dataset } from './comparisons.ts';
import { febrlConfig } from './config.ts';
import { prepare } from './prepare.ts';
import type { BlockingRule, LinkRecord } from './types.ts';

const child = (id: string, over: Partial<LinkRecord>): LinkRecord => ({
  id,
  givenNames: ['William'],
  familyNames: ['Tupou'],
  dateOfBirth: '2012-03-04',
  ...over,
});

/** Whether the two records become a candidate pair under the rules (link mode: one per file). */
function found(a: LinkRecord, b: LinkRecord, blocking: BlockingRule[] = febrlConfig().blocking): boolean {
  const config = { ...febrlConfig(), blocking };
  const p = prepare(config, [a], [b]);
  const d = new Dataset(p.strings, p.columns);
  return [...candidatePairs(d, blocking, { mode: 'link', maxBlockSize: 100 })].some((c) => c.length > 0);
}

const only = (...parts: BlockingRule['parts']): BlockingRule[] => [{ parts }];

describe('blocking passes for the differences agencies make', () => {
  it('finds a child whose day and month of birth are swapped and whose given name is mistyped', () => {
    const a = child('a', {});
    const b = child('b', { givenNames: ['Wlliam'], familyNames: ['Tupuo'], dateOfBirth: '2012-04-03' });
    expect(found(a, b)).toBe(true);
    expect(found(a, b, only('dateOfBirthUnordered'))).toBe(true);
    expect(found(a, b, only('dateOfBirth'))).toBe(false);
  });

  it('finds a child recorded with given and family names the other way round', () => {
    const b = child('b', { givenNames: ['Tupou'], familyNames: ['William'], dateOfBirth: undefined });
    expect(found(child('a', {}), b, only('namePhoneticSorted'))).toBe(true);
    expect(found(child('a', {}), b, only('givenPhonetic', 'familyPhonetic'))).toBe(false);
    // First three letters of each name, in either order: also with a spelling error later on.
    const typo = child('b', { givenNames: ['Tupuo'], familyNames: ['Willaim'], dateOfBirth: undefined });
    expect(found(child('a', {}), typo, only('namePrefixSorted'))).toBe(true);
  });

  it('finds a nickname with an estimated year of birth and another family name', () => {
    // 1 January of the year after: an estimate. Bill is a known form of William.
    const b = child('b', { givenNames: ['Bill'], familyNames: ['Havili'], dateOfBirth: '2013-01-01' });
    expect(found(child('a', {}), b, only('givenForm', 'birthYearWide'))).toBe(true);
    expect(found(child('a', {}), b, only('givenForm', 'birthYear'))).toBe(false);
    // A real date a year apart is not widened: only a date that is only a year.
    const c = child('c', { givenNames: ['Bill'], familyNames: ['Havili'], dateOfBirth: '2013-05-06' });
    expect(found(child('a', {}), c, only('givenForm', 'birthYearWide'))).toBe(false);
  });

  it('finds a misspelt name without a date of birth, and keeps different children apart', () => {
    const b = child('b', { givenNames: ['Wiliam'], dateOfBirth: undefined });
    expect(found(child('a', {}), b)).toBe(true);
    // Nothing in common: never a candidate.
    const other = child('o', { givenNames: ['Mere'], familyNames: ['Parata'], dateOfBirth: '2015-07-08' });
    expect(found(child('a', {}), other)).toBe(false);
  });
});
