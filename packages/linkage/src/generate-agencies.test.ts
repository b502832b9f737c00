import { describe, expect, it } from 'vitest';
import { generateAgencyFiles } from './generate-agencies.ts';

describe("several agencies' files (product-path benchmark data)", () => {
  it('makes the asked number of records, at most one per child and agency, with the overlap asked', () => {
    const { files, children, overlap } = generateAgencyFiles({
      count: 3000,
      seed: 4,
      agencies: 4,
      overlap: 0.5,
    });
    expect(files).toHaveLength(4);
    expect(files.flat()).toHaveLength(3000);
    expect(overlap).toBe(0.5);
    const agenciesOf = new Map<number, number[]>();
    for (const { agency, child, record } of files.flat()) {
      expect(record.id).toBe(`rec-${child}-a${agency}`);
      agenciesOf.set(child, [...(agenciesOf.get(child) ?? []), agency]);
    }
    expect(agenciesOf.size).toBe(children);
    for (const agencies of agenciesOf.values()) expect(new Set(agencies).size).toBe(agencies.length);
    const shared = [...agenciesOf.values()].filter((a) => a.length > 1).length / children;
    expect(shared).toBeGreaterThan(0.4);
    expect(shared).toBeLessThan(0.6);
    // Same seed, same files.
    const again = generateAgencyFiles({ count: 3000, seed: 4, agencies: 4, overlap: 0.5 });
    expect(again.files.flat().map((r) => r.record)).toEqual(files.flat().map((r) => r.record));
  });
});
