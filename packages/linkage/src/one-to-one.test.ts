import { describe, expect, it } from 'vitest';
import { exclusiveOneToOne } from './one-to-one.ts';

const pair = (a: string, b: string, probability: number) => ({ a, b, probability });
const run = (pairs: ReturnType<typeof pair>[], threshold = 0.5) =>
  exclusiveOneToOne(pairs, threshold, (p, q) => ({ ...p, probability: q }));

describe('one partner per record', () => {
  it('keeps a pair without rivals at its own probability', () => {
    expect(run([pair('a1', 'b1', 0.8)])).toEqual([pair('a1', 'b1', 0.8)]);
    expect(run([pair('a1', 'b1', 0.4)])).toEqual([]);
  });

  it('gives a record one partner, the best, and drops a pair whose record has a surer one', () => {
    const out = run([pair('a1', 'b1', 0.999), pair('a1', 'b2', 0.9), pair('a2', 'b2', 0.6)]);
    expect(out.map((p) => `${p.a}-${p.b}`)).toEqual(['a1-b1']);
    // a2-b2 alone would be linked; b2 is as likely a1's (odds 9 against a2's 1.5).
    expect(out.find((p) => p.b === 'b2')).toBeUndefined();
  });

  it('links neither of two records that fit one record equally well (twins): a person decides', () => {
    expect(run([pair('a1', 'b1', 0.95), pair('a1', 'b2', 0.95)])).toEqual([]);
    // Clearly better one: linked.
    const out = run([pair('a1', 'b1', 0.999), pair('a1', 'b2', 0.6)]);
    expect(out.map((p) => p.b)).toEqual(['b1']);
    expect(out[0]?.probability).toBeGreaterThan(0.99);
  });

  it('lets a rival below the threshold lower a pair above it', () => {
    const alone = run([pair('a1', 'b1', 0.6)]);
    const rivalled = run([pair('a1', 'b1', 0.6), pair('a2', 'b1', 0.4)]);
    expect(alone).toHaveLength(1);
    expect(rivalled).toHaveLength(0);
  });
});
