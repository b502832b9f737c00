import { describe, expect, it } from 'vitest';
import { areNicknames } from './nicknames.ts';
import { phoneticKey, soundex } from './phonetic.ts';
import { damerauLevenshtein, jaroWinkler, normalise } from './text.ts';

describe('text', () => {
  it('folds macrons and punctuation', () => {
    expect(normalise('Ngāire')).toBe('ngaire');
    expect(normalise('  Tāne-Mahuta ')).toBe('tane mahuta');
    expect(normalise("O'Brien")).toBe('obrien');
    expect(normalise(undefined)).toBe('');
  });

  it('computes Jaro–Winkler as published', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(damerauLevenshtein('aroha', 'arhoa')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('abcdef', 'zzzzzz', 2)).toBe(3);
  });

  it('keys wh and f alike, where Soundex does not', () => {
    expect(phoneticKey('whetu')).toBe(phoneticKey('fetu'));
    expect(soundex('whetu')).not.toBe(soundex('fetu'));
  });

  it('keeps vowel positions that carry Māori names', () => {
    expect(phoneticKey('mere')).not.toBe(phoneticKey('mr'));
    expect(phoneticKey('ngaire')).toBe(phoneticKey('ngaaire'));
    expect(phoneticKey('sarah')).toBe(phoneticKey('sara'));
  });

  it('knows common nicknames and te reo forms of names', () => {
    expect(areNicknames('william', 'bill')).toBe(true);
    expect(areNicknames('liam', 'wiremu')).toBe(true);
    expect(areNicknames('rawiri', 'david')).toBe(true);
    expect(areNicknames('hone', 'john')).toBe(true);
    expect(areNicknames('mere', 'mary')).toBe(true);
    expect(areNicknames('william', 'david')).toBe(false);
  });

  it('knows a form written with doubled vowels or one typing error, but never joins two names it knows', () => {
    // Double-vowel spelling of long vowels (Rāwiri → Raawiri), a macron typed twice.
    expect(areNicknames('raawiri', 'david')).toBe(true);
    expect(areNicknames('seemisi', 'james')).toBe(true);
    // One letter changed, swapped, added or left out, in a name of five letters or more.
    expect(areNicknames('goerge', 'siaosi')).toBe(true);
    expect(areNicknames('stepjen', 'tipene')).toBe(true);
    expect(areNicknames('dnaiel', 'danny')).toBe(true);
    expect(areNicknames('josebh', 'joe')).toBe(true);
    // Names the table holds are never matched fuzzily (Mark is not Mary; Mason is not Madison),
    // nor are short names (one letter is a large share of them).
    expect(areNicknames('mark', 'mary')).toBe(false);
    expect(areNicknames('mason', 'madison')).toBe(false);
    expect(areNicknames('jak', 'jake')).toBe(false);
    expect(areNicknames('goerge', 'david')).toBe(false);
  });

  it('joins forms of one name kept on two lines, and not two names each one typing error from the table', () => {
    // James's English forms and its Pacific forms are on separate lines with one first name.
    expect(areNicknames('jamie', 'semisi')).toBe(true);
    expect(areNicknames('jim', 'seemisi')).toBe(true);
    // Holly is one letter from Molly and Mania one from Maria, both forms of Mary: not each other.
    expect(areNicknames('holly', 'mania')).toBe(false);
    expect(areNicknames('holly', 'molly')).toBe(true);
  });
});
