import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageHierarchy, dateHierarchy, kAnonymise, regionHierarchy } from './kanon.ts';

const REGIONS = ['01', '02', '03', '04', '09', '13', '14', '99'];
const rowArb = fc.record({
  id: fc.uuid(),
  age: fc.integer({ min: 8, max: 17 }),
  region: fc.constantFrom(...REGIONS),
  identified: fc
    .date({ min: new Date('2022-01-01'), max: new Date('2025-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  outcome: fc.constantFrom('positive', 'negative', 'pending'),
});
const hierarchies = { age: ageHierarchy(), region: regionHierarchy, identified: dateHierarchy };
const qis = ['age', 'region', 'identified'] as const;

describe('k-anonymity', () => {
  it('leaves every equivalence class with at least k rows, or nothing', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 400 }),
        fc.integer({ min: 2, max: 15 }),
        fc.constantFrom(0, 0.05, 0.2),
        (rows, k, maxSuppressed) => {
          const { rows: out, report } = kAnonymise(rows, qis, { k, hierarchies, maxSuppressed });
          const classes = new Map<string, number>();
          for (const r of out) {
            const key = JSON.stringify(qis.map((q) => r[q]));
            classes.set(key, (classes.get(key) ?? 0) + 1);
          }
          for (const size of classes.values()) expect(size).toBeGreaterThanOrEqual(k);
          expect(report.rowsOut + report.rowsSuppressed).toBe(rows.length);
          expect(report.classes).toBe(classes.size);
          expect(report.smallestClass).toBe(out.length === 0 ? null : Math.min(...classes.values()));
          // Every hierarchy ends in "any", so at most the allowed share is dropped when k rows exist.
          if (rows.length >= k)
            expect(report.rowsSuppressed).toBeLessThanOrEqual(Math.floor(maxSuppressed * rows.length));
          // Other fields untouched; each quasi-identifier generalised exactly to the reported level.
          const byId = new Map(rows.map((r) => [r.id, r]));
          for (const r of out) {
            const original = byId.get(r.id)!;
            expect(r.outcome).toBe(original.outcome);
            for (const q of qis) {
              const { level } = report.levels[q];
              expect(r[q]).toBe(
                level === 0 ? String(original[q]) : hierarchies[q][level - 1]!.generalise(original[q]),
              );
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('generalises the quasi-identifier that helps most, no further than needed, and reports the levels', () => {
    // 48 children aged 14, six in each of eight regions, on 28 different days of March 2025.
    const codes = ['01', '02', '03', '04', '09', '12', '13', '14'];
    const rows = Array.from({ length: 48 }, (_, i) => ({
      id: i,
      age: 14,
      region: codes[i % 8]!,
      identified: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`,
    }));
    const { rows: out, report } = kAnonymise(rows, ['age', 'region', 'identified'], { hierarchies });
    // Nothing helps alone: the date (most distinct values) goes to month first, then region to
    // island (30 North, 18 South), which leaves no class under 11; age stays exact.
    expect(report).toEqual({
      k: 11,
      levels: {
        age: { level: 0, name: 'exact' },
        region: { level: 1, name: 'island' },
        identified: { level: 1, name: 'month' },
      },
      rowsIn: 48,
      rowsOut: 48,
      rowsSuppressed: 0,
      classes: 2,
      smallestClass: 18,
    });
    expect(out[0]).toEqual({ id: 0, age: '14', region: 'North Island', identified: '2025-03' });
  });

  it('keeps exact values when they are already safe', () => {
    const rows = Array.from({ length: 33 }, (_, i) => ({ sex: ['female', 'male', 'another'][i % 3]!, n: i }));
    const { rows: out, report } = kAnonymise(rows, ['sex'], { hierarchies: {} });
    expect(report.levels).toEqual({ sex: { level: 0, name: 'exact' } });
    expect(out).toEqual(rows);
  });

  it('returns nothing when there are fewer than k rows', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ age: 14, i }));
    expect(kAnonymise(rows, ['age'], { hierarchies: { age: ageHierarchy() } }).report).toMatchObject({
      rowsOut: 0,
      rowsSuppressed: 10,
      classes: 0,
      smallestClass: null,
    });
  });

  it('generalises dates, ages and regions', () => {
    expect(dateHierarchy.map((l) => l.generalise('2025-08-14'))).toEqual([
      '2025-08',
      '2025-Q3',
      '2025',
      'any',
    ]);
    expect(dateHierarchy[1]!.generalise(null)).toBe('unknown');
    expect([5, 12, 13, 15, 16, 17, 18, 40].map((a) => ageHierarchy()[0]!.generalise(a))).toEqual([
      '0–12',
      '0–12',
      '13–15',
      '13–15',
      '16–17',
      '16–17',
      '18+',
      '18+',
    ]);
    expect(ageHierarchy([10, 14, 15])[0]!.generalise(4)).toBe('under 10');
    expect(ageHierarchy([10, 14, 15])[0]!.generalise(14)).toBe('14');
    expect(['02', '13', '99', 9].map((r) => regionHierarchy[0]!.generalise(r))).toEqual([
      'North Island',
      'South Island',
      'Chatham Islands',
      'North Island',
    ]);
    expect(regionHierarchy[1]!.generalise('02')).toBe('NZ');
  });

  it('refuses bad input clearly', () => {
    expect(() => kAnonymise([], ['a'], { k: 0 })).toThrow(/k must be/);
    expect(() => kAnonymise([], ['a'], { maxSuppressed: 2 })).toThrow(/maxSuppressed/);
    expect(() => kAnonymise([], ['a', 'a'])).toThrow(/twice/);
    expect(() => kAnonymise([{ a: {} as unknown as string }], ['a'])).toThrow(/string, number or null/);
    expect(() => dateHierarchy[0]!.generalise('14/08/2025')).toThrow(/not a date/);
    expect(() => regionHierarchy[0]!.generalise('42')).toThrow(/not a regional council code/);
    expect(() => ageHierarchy()[0]!.generalise(-3)).toThrow(/not an age/);
    expect(() => ageHierarchy([5, 5])).toThrow(/increasing/);
  });
});
