import { describe, expect, it } from 'vitest';
import { generateRecords, generateLinkPair } from './generate.ts';
import { evaluateClusters, evaluateLinks } from './evaluate.ts';
import { deduplicate, link, scorePairs } from './linkage.ts';
import { LinkageInputError } from './prepare.ts';

describe('deduplicate and link', () => {
  const records = [...generateRecords({ count: 3000, seed: 3 })];

  it('scores the same in worker threads as in this thread', async () => {
    const here = await deduplicate(records, { workers: 0, randomPairs: 30_000 });
    const threads = await deduplicate(records, { workers: 2, randomPairs: 30_000 });
    expect(threads.stats.candidatePairs).toBe(here.stats.candidatePairs);
    expect(threads.pairs.length).toBe(here.pairs.length);
    expect(threads.model.lambda).toBeCloseTo(here.model.lambda, 12);
    const q = evaluateClusters(
      records.map((r) => r.id),
      here.clusters,
    );
    expect(q.precision).toBeGreaterThan(0.9);
    expect(q.recall).toBeGreaterThan(0.6);
  });

  it('links two generated files one-to-one', async () => {
    const both = [...generateLinkPair({ count: 3000, seed: 4 })];
    const left = both.filter((x) => x.side === 0).map((x) => x.record);
    const right = both.filter((x) => x.side === 1).map((x) => x.record);
    const res = await link(left, right, { workers: 0, randomPairs: 30_000, oneToOne: true });
    const q = evaluateLinks(
      left.map((r) => r.id),
      right.map((r) => r.id),
      res.pairs,
    );
    expect(q.precision).toBeGreaterThan(0.95);
    // Calibrated one-to-one: the threshold is the expected-F1 rule's, near one half.
    const threshold = res.stats.calibration?.threshold ?? 0.5;
    expect(threshold).toBeGreaterThan(0.3);
    expect(res.pairs.every((p) => p.probability >= threshold)).toBe(true);
    expect(new Set(res.pairs.map((p) => p.a)).size).toBe(res.pairs.length);
  });

  it('refuses a malformed date of birth, naming the record', async () => {
    await expect(
      deduplicate([{ id: 'x1', givenNames: ['Mere'], familyNames: ['Ngata'], dateOfBirth: '9/4/2011' }], {
        workers: 0,
      }),
    ).rejects.toThrow(LinkageInputError);
    await expect(
      deduplicate([{ id: 'x1', givenNames: ['Mere'], familyNames: ['Ngata'], dateOfBirth: '9/4/2011' }], {
        workers: 0,
      }),
    ).rejects.toThrow(/x1/);
  });

  it('throws for a pair naming an unknown record', async () => {
    const { model } = await deduplicate(records.slice(0, 500), { workers: 0, randomPairs: 5_000 });
    expect(() => scorePairs(records.slice(0, 2), [[records[0]!.id, 'nobody']], model)).toThrow(/nobody/);
  });
});
