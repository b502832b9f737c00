import { describe, expect, it } from 'vitest';
import { areNicknames, normalise, phoneticKey } from '@tiaki/linkage/names';
import { blockingKeys, normaliseName, soundKey } from './names.ts';

describe('the one name matcher, as the product uses it', () => {
  it('writes a name the way the engine compares it: okina, apostrophes and macrons folded the same', () => {
    for (const spelling of ['Maʻafu', "Ma'afu", 'Ma’afu', 'Maafu', 'MAʼAFU']) {
      expect(normaliseName(spelling)).toBe('maafu');
    }
    expect(normaliseName('Tāne  O’Neil-Smith')).toBe('tane oneil smith');
    for (const name of ['Ngāire', "Tu'ipulotu", 'Sēmisi-Tēvita', 'Nguyễn', '王 Wei']) {
      expect(normaliseName(name)).toBe(normalise(name));
    }
    expect(normaliseName('王 Wei')).toBe('王 wei');
  });

  it('finds Sālote and Salote, ʻOfa and Ofa under the same sound key, as the engine does', () => {
    expect(soundKey('Sālote')).toBe(soundKey('Salote'));
    expect(soundKey('ʻOfa')).toBe(soundKey('Ofa'));
    expect(soundKey('Whetu')).toBe(phoneticKey('fetu'));
    expect(soundKey('Smith')).not.toBe(soundKey('Jones'));
  });

  it('puts other forms of a name in one block: Sione and John, Bill and Wiremu, Sēmisi and James', () => {
    const shared = (a: string, b: string) => {
      const ka = new Set(blockingKeys({ givenNames: a }));
      return blockingKeys({ givenNames: b }).some((k) => ka.has(k));
    };
    expect(shared('Sione', 'John')).toBe(true);
    expect(shared('Bill', 'Wiremu')).toBe(true);
    expect(shared('Sēmisi', 'James')).toBe(true);
    expect(shared('Losa', 'Rose')).toBe(true);
    expect(shared('Mohammed', 'Muhammad')).toBe(true);
    expect(shared('Aroha', 'Mele')).toBe(false);
  });

  it('knows Pacific and Māori forms as the same given name, and keeps unrelated names apart', () => {
    expect(areNicknames('siaosi', 'george')).toBe(true);
    expect(areNicknames('tevita', 'rawiri')).toBe(true);
    expect(areNicknames('mosese', 'moses')).toBe(true);
    expect(areNicknames('litia', 'lydia')).toBe(true);
    expect(areNicknames('salote', 'charlotte')).toBe(true);
    expect(areNicknames('sione', 'mele')).toBe(false);
  });

  it('skips two-letter words and keeps birth-date keys', () => {
    const keys = blockingKeys({ givenNames: 'Te Rangi', familyName: 'Ah Chong', dateOfBirth: '2012-04-09' });
    expect(keys).not.toContain(`s:${phoneticKey('te')}`);
    expect(keys).toContain('d:2012-04-09');
    expect(keys).toContain('y:2012:a');
    expect(blockingKeys({})).toEqual([]);
  });
});
