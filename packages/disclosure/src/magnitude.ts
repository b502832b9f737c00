// Sums, means and medians (e.g. days to a decision): suppressed when computed from too few units.
import { DisclosureError, type PublishedValue } from './rounding.ts';

export const DEFAULT_MIN_UNITS = 20;

export interface MagnitudeOptions {
  /** Fewer contributing units than this and the figure is suppressed. Default 20. */
  minUnits?: number;
  /** Decimal places published. Default 1 for a mean, 0 for a sum. */
  decimals?: number;
}

function check(sum: number, units: number, options: MagnitudeOptions, decimals: number): number {
  if (!Number.isFinite(sum)) throw new DisclosureError(`sum must be a finite number, got ${sum}`);
  if (!Number.isSafeInteger(units) || units < 0) {
    throw new DisclosureError(`units must be a whole number 0 or more, got ${units}`);
  }
  const minUnits = options.minUnits ?? DEFAULT_MIN_UNITS;
  if (!Number.isSafeInteger(minUnits) || minUnits < 1) {
    throw new DisclosureError(`minUnits must be a whole number 1 or more, got ${minUnits}`);
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new DisclosureError(`decimals must be 0 to 6, got ${decimals}`);
  }
  return minUnits;
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** A mean of `units` values adding to `sum`; suppressed (primary) below `minUnits` units. */
export function protectMean(sum: number, units: number, options: MagnitudeOptions = {}): PublishedValue {
  const decimals = options.decimals ?? 1;
  const minUnits = check(sum, units, options, decimals);
  if (units < minUnits) return { suppressed: true, reason: 'primary' };
  return { suppressed: false, value: round(sum / units, decimals) };
}

/** A sum over `units` contributors; suppressed (primary) below `minUnits` units. */
export function protectSum(sum: number, units: number, options: MagnitudeOptions = {}): PublishedValue {
  const decimals = options.decimals ?? 0;
  const minUnits = check(sum, units, options, decimals);
  if (units < minUnits) return { suppressed: true, reason: 'primary' };
  return { suppressed: false, value: round(sum, decimals) };
}

/**
 * A median of `units` values (computed by the caller, e.g. in SQL); suppressed (primary) below
 * `minUnits` units, since a median of few values is one child's value. Published whole by default.
 */
export function protectMedian(median: number, units: number, options: MagnitudeOptions = {}): PublishedValue {
  const decimals = options.decimals ?? 0;
  const minUnits = check(median, units, options, decimals);
  if (units < minUnits) return { suppressed: true, reason: 'primary' };
  return { suppressed: false, value: round(median, decimals) };
}
