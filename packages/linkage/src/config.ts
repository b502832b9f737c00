// Ready-made configurations: one for children in Aotearoa referrals, one for FEBRL-style data.
import type { LinkageConfig } from './types.ts';

/** Referrals about children: names (with aliases), date of birth or estimated age, gender, region. */
export function childConfig(): LinkageConfig {
  return {
    comparisons: [
      { kind: 'givenName', termFrequency: true },
      { kind: 'familyName', termFrequency: true },
      { kind: 'dateOfBirth' },
      { kind: 'text', field: 'gender', levels: [{ type: 'exact' }] },
      { kind: 'text', field: 'region', levels: [{ type: 'exact' }] },
    ],
    blocking: [
      { parts: ['familyPhonetic', 'dateOfBirth'] },
      { parts: ['givenPhonetic', 'dateOfBirth'] },
      { parts: ['namePhoneticSorted', 'birthYearRange'] },
      { parts: ['dateOfBirth', 'region', 'gender'] },
      // Both names changed (a nickname and another family name) with the date of birth kept or
      // its day and month swapped, and a moved region or a gender left out.
      { parts: ['dateOfBirthUnordered', 'givenInitial'] },
      // No date of birth and no estimated age: the names' first letters in either order, within
      // a region and gender (measured with bench/linkage/million-blocking.ts).
      { parts: ['namePrefixSorted', 'region', 'gender'] },
    ],
    maxBlockSize: 2000,
  };
}

/** FEBRL-style person records: names, date of birth, address and an identifier. */
export function febrlConfig(): LinkageConfig {
  return {
    comparisons: [
      { kind: 'givenName', termFrequency: true },
      { kind: 'familyName', termFrequency: true },
      { kind: 'dateOfBirth' },
      {
        kind: 'text',
        field: 'socId',
        levels: [
          { type: 'exact' },
          { type: 'damerauLevenshtein', max: 1 },
          { type: 'damerauLevenshtein', max: 2 },
        ],
      },
      {
        kind: 'text',
        field: 'streetNumber',
        levels: [{ type: 'exact' }, { type: 'damerauLevenshtein', max: 1 }],
        group: 'address',
      },
      {
        kind: 'text',
        field: 'address1',
        levels: [{ type: 'exact' }, { type: 'jaroWinkler', min: 0.9 }, { type: 'jaroWinkler', min: 0.75 }],
        group: 'address',
        termFrequency: true,
      },
      {
        kind: 'text',
        field: 'address2',
        levels: [{ type: 'exact' }, { type: 'jaroWinkler', min: 0.9 }],
        group: 'address',
      },
      {
        kind: 'text',
        field: 'suburb',
        levels: [{ type: 'exact' }, { type: 'jaroWinkler', min: 0.9 }],
        group: 'address',
        termFrequency: true,
      },
      {
        kind: 'text',
        field: 'postcode',
        levels: [{ type: 'exact' }, { type: 'damerauLevenshtein', max: 1 }],
        group: 'address',
      },
      { kind: 'text', field: 'state', levels: [{ type: 'exact' }], group: 'address' },
    ],
    // Each rule catches what the others miss (measured per kind of difference with
    // bench/linkage/blocking-recall.ts): a day–month swap, names in the other order, a nickname
    // with an estimated year, a misspelt name without a date of birth.
    blocking: [
      { parts: ['socId'] },
      { parts: ['dateOfBirthUnordered'] },
      { parts: ['namePhoneticSorted'] },
      { parts: ['postcode', 'streetNumber'] },
      { parts: ['familyPhonetic', 'birthYearWide'] },
      { parts: ['givenPhonetic', 'suburb'] },
      { parts: ['givenForm', 'birthYearWide'] },
      { parts: ['namePrefixSorted'] },
      { parts: ['familyPhonetic', 'givenInitial'] },
      { parts: ['givenForm', 'familyPhonetic'] },
    ],
    maxBlockSize: 2000,
  };
}
