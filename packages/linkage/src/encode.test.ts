import { describe, expect, it } from 'vitest';
import { bigrams, childEncoding, Encoder } from './encode.ts';
import { decoyThreshold, deduplicateEncoded, EncodingError, fitMixture, linkEncoded } from './encoded.ts';
import { generateLinkPair } from './generate.ts';
import { evaluateLinks } from './evaluate.ts';
import type { LinkRecord } from './types.ts';

const mere: LinkRecord = { id: 'a', givenNames: ['Mere'], familyNames: ['Ngata'], dateOfBirth: '2011-04-09' };

function bitsSet(b64: string): number {
  let n = 0;
  for (const byte of Buffer.from(b64, 'base64')) for (let k = 0; k < 8; k++) n += (byte >> k) & 1;
  return n;
}

describe('privacy-preserving encodings', () => {
  const encoder = new Encoder({ secret: 'agency-shared-secret' });

  it('sends 1024 bits as base64 and nothing readable', () => {
    const e = encoder.encode(mere);
    expect(Buffer.from(e.clks[0] ?? '', 'base64')).toHaveLength(128);
    expect(JSON.stringify(e).toLowerCase()).not.toMatch(/mere|ngata|2011/);
  });

  it('sets exactly half the bits when balanced, whatever the name length', () => {
    const long = encoder.encode({
      ...mere,
      givenNames: ['Wairimu-Kahurangi'],
      familyNames: ['Tautahi-Whakaruru'],
    });
    expect(bitsSet(encoder.encode(mere).clks[0] ?? '')).toBe(512);
    expect(bitsSet(long.clks[0] ?? '')).toBe(512);
  });

  it('depends on the secret', () => {
    const other = new Encoder({ secret: 'another secret' }).encode(mere);
    expect(other.clks[0]).not.toBe(encoder.encode(mere).clks[0]);
    expect(other.blocks[0]).not.toBe(encoder.encode(mere).blocks[0]);
  });

  it('carries an encoding per alias', () => {
    const plain = new Encoder(
      { secret: 'agency-shared-secret' },
      { ...childEncoding(), nameForms: false, swappedNames: false },
    );
    expect(plain.encode({ ...mere, aliases: [{ family: 'Walker' }] }).clks).toHaveLength(2);
  });

  it('meets other forms of a given name and names in the other order in one encoding', () => {
    const shared = (a: LinkRecord, b: LinkRecord, e = encoder) => {
      const ca = new Set(e.encode(a).clks);
      return e.encode(b).clks.some((c) => ca.has(c));
    };
    const william = { id: 'w', givenNames: ['William'], familyNames: ['Tupou'], dateOfBirth: '2012-03-04' };
    expect(shared(william, { ...william, id: 'b', givenNames: ['Bill'] })).toBe(true);
    expect(shared(william, { ...william, id: 'v', givenNames: ['Viliami'] })).toBe(true);
    expect(shared({ ...mere, givenNames: ['Mele'] }, mere)).toBe(true);
    expect(shared(william, { ...william, id: 's', givenNames: ['Tupou'], familyNames: ['William'] })).toBe(
      true,
    );
    // Names in the other order and another form of the given name at once.
    expect(shared(william, { ...william, id: 't', givenNames: ['Tupou'], familyNames: ['Bill'] })).toBe(true);
    // Different children do not: another given name, or another date of birth.
    expect(shared(william, { ...william, id: 'x', givenNames: ['Sione'] })).toBe(false);
    expect(shared(william, { ...william, id: 'y', givenNames: ['Bill'], dateOfBirth: '2013-03-04' })).toBe(
      false,
    );
    const plain = new Encoder(
      { secret: 'agency-shared-secret' },
      { ...childEncoding(), nameForms: false, swappedNames: false },
    );
    expect(shared(william, { ...william, id: 'b', givenNames: ['Bill'] }, plain)).toBe(false);
  });

  it('pads bigrams so first and last letters count', () => {
    expect(bigrams('ana')).toEqual(['_a', 'an', 'na', 'a_']);
  });

  it('links generated files without seeing a name', () => {
    const both = [...generateLinkPair({ count: 2000, seed: 9 })];
    const left = both.filter((x) => x.side === 0).map((x) => x.record);
    const right = both.filter((x) => x.side === 1).map((x) => x.record);
    const res = linkEncoded(
      left.map((r) => encoder.encode(r)),
      right.map((r) => encoder.encode(r)),
      { oneToOne: true },
    );
    const q = evaluateLinks(
      left.map((r) => r.id),
      right.map((r) => r.id),
      res.pairs,
    );
    expect(q.precision).toBeGreaterThan(0.8);
    expect(q.recall).toBeGreaterThan(0.3);
    const mixture = res.mixture;
    if (!mixture) throw new Error('Record-level encodings are linked by a Dice mixture.');
    expect(mixture.diceThreshold).toBeGreaterThan(mixture.nonMatch.mean);
    expect(mixture.diceThreshold).toBeLessThan(mixture.match.mean);
  });

  it('groups encoded duplicates', () => {
    const records = [
      mere,
      { ...mere, id: 'b', givenNames: ['Meri'] },
      { ...mere, id: 'c', givenNames: ['Hemi'], familyNames: ['Walker'], dateOfBirth: '2014-01-30' },
    ];
    const res = deduplicateEncoded(
      records.map((r) => encoder.encode(r)),
      { bands: 64, bandBits: 8 },
    );
    expect(res.clusters.some((c) => c.includes('a') && c.includes('b') && !c.includes('c'))).toBe(true);
  });

  it('rejects encodings of different lengths', () => {
    const short = new Encoder({ secret: 's' }, { ...childEncoding(), bits: 512 }).encode({
      ...mere,
      id: 'z',
    });
    expect(() => linkEncoded([encoder.encode(mere)], [short])).toThrow(EncodingError);
  });

  it('learns a threshold between two clearly separate groups of scores', () => {
    const scores = Float64Array.from([
      ...Array.from({ length: 900 }, (_, k) => 0.5 + (k % 10) * 0.01),
      ...Array.from({ length: 100 }, (_, k) => 0.9 + (k % 10) * 0.005),
    ]);
    const m = fitMixture(scores);
    expect(m.diceThreshold).toBeGreaterThan(0.6);
    expect(m.diceThreshold).toBeLessThan(0.9);
  });

  it('places the linking threshold from second-best scores where matches and non-matches overlap', () => {
    // 600 records whose best score is their partner (spread out: moves, nicknames), 400 whose
    // best is a different child; every record's second-best is a different child.
    const spread = (k: number, n: number, lo: number, hi: number) => lo + ((hi - lo) * (k + 0.5)) / n;
    const best = Float64Array.from([
      ...Array.from({ length: 600 }, (_, k) => spread(k, 600, 0.8, 1)),
      ...Array.from({ length: 400 }, (_, k) => spread(k, 400, 0.7, 0.8)),
    ]);
    const second = Float64Array.from(Array.from({ length: 1000 }, (_, k) => spread(k, 1000, 0.68, 0.8)));
    const t = decoyThreshold(best, second);
    expect(t).toBeGreaterThanOrEqual(0.78);
    expect(t).toBeLessThanOrEqual(0.83);
    // Too few records to say anything: no threshold.
    expect(decoyThreshold(best.slice(0, 10), second.slice(0, 10))).toBeUndefined();
  });
});
