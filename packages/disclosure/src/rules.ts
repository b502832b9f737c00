// The machine-readable note of the rules applied to a published output, and its plain-language text.
import type { Resolved, RoundingMethod } from './rounding.ts';

export const SUPPRESSION_MARKERS = { primary: '*', secondary: 'S' } as const;

export interface RulesNote {
  readonly method: RoundingMethod;
  /** Rounding base by raw value: `to` is inclusive, null means no upper limit. */
  readonly bases: readonly { readonly from: number; readonly to: number | null; readonly base: number }[];
  /** Raw counts from 1 to threshold − 1 are suppressed. */
  readonly threshold: number;
  readonly zeros: 'published' | 'suppressed';
  /** Totals are rounded from raw values on their own, never summed from rounded cells. */
  readonly totals: 'rounded independently';
  /** Secondary suppression keeps any suppressed cell from being worked out within the table. */
  readonly secondarySuppression: boolean;
  /** How each cell's rounding is seeded. */
  readonly seeding:
    | 'hmac-sha256(release secret, labels) v1'
    | 'cell key: hmac-sha256(release secret, sum of record keys mod 2^32) v2';
  /** Zeros are suppressed too in a table whose counts add to fewer than this (0: never). */
  readonly zerosProtectedBelow: number;
  readonly markers: typeof SUPPRESSION_MARKERS;
}

const GRR_BASES = [
  { from: 0, to: 18, base: 3 },
  { from: 19, to: 19, base: 2 },
  { from: 20, to: 99, base: 5 },
  { from: 100, to: 999, base: 10 },
  { from: 1000, to: null, base: 100 },
] as const;

export function rulesNote(o: Resolved, secondarySuppression: boolean, cellKeys = false): RulesNote {
  return {
    method: o.method,
    bases: o.method === 'rr3' ? [{ from: 0, to: null, base: 3 }] : GRR_BASES,
    threshold: o.threshold,
    zeros: o.publishZeros ? 'published' : 'suppressed',
    totals: 'rounded independently',
    secondarySuppression,
    seeding: cellKeys
      ? 'cell key: hmac-sha256(release secret, sum of record keys mod 2^32) v2'
      : 'hmac-sha256(release secret, labels) v1',
    zerosProtectedBelow: o.protectZerosBelow,
    markers: SUPPRESSION_MARKERS,
  };
}

/** Plain-language footnotes for a published table. */
export function describeRules(note: RulesNote): string[] {
  const rounding =
    note.method === 'rr3'
      ? 'Counts are randomly rounded to base 3 (RR3): multiples of 3 are unchanged, other counts are rounded up or down to a neighbouring multiple of 3.'
      : 'Counts are randomly rounded with graduated random rounding: under 19 to base 3, 19 to base 2, 20 to 99 to base 5, 100 to 999 to base 10, 1,000 and over to base 100.';
  const lines = [
    `Note: ${rounding} Figures may differ slightly from the exact count.`,
    'Note: Totals are rounded separately and may not equal the sum of their parts.',
    `Note: ${note.markers.primary} = suppressed because the count is fewer than ${note.threshold}${note.zeros === 'suppressed' ? ' (zeros are suppressed too)' : ''}.`,
  ];
  if (note.secondarySuppression) {
    lines.push(
      `Note: ${note.markers.secondary} = suppressed so that another suppressed figure cannot be worked out by subtraction.`,
    );
  }
  if (note.zeros === 'published')
    lines.push(
      note.zerosProtectedBelow > 0
        ? `Note: 0 is a true zero. In a table adding to fewer than ${note.zerosProtectedBelow}, zeros are shown as ${note.markers.primary} too.`
        : 'Note: 0 is a true zero.',
    );
  return lines;
}
