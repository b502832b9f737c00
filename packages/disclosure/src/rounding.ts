// Random rounding of counts (Stats NZ RR3 and graduated random rounding), seeded per cell.
import { createHmac } from 'node:crypto';

export class DisclosureError extends Error {
  override name = 'DisclosureError';
}

/** A cell's labels: dimension name → category, e.g. `{ measure: 'children identified', region: '02' }`. */
export type Labels = Readonly<Record<string, string>>;

export type RoundingMethod = 'rr3' | 'grr';

export type SuppressionReason = 'primary' | 'secondary';

/** What may leave the system for one number: a protected value, or a suppression with its reason. */
export type PublishedValue =
  | { readonly suppressed: false; readonly value: number }
  | { readonly suppressed: true; readonly reason: SuppressionReason };

export interface DisclosureOptions {
  /** The publication series' release secret: at least 16 bytes; use 32 random bytes. */
  secret: string | Uint8Array;
  /** `rr3` (base 3 throughout) or `grr` (graduated); one per release, never both. */
  method: RoundingMethod;
  /** Counts whose raw value is 1 to threshold − 1 are suppressed. Default 6. */
  threshold?: number;
  /** Publish a raw zero as 0 (Stats NZ publishes true zeros). Default true; false suppresses zeros too. */
  publishZeros?: boolean;
  /**
   * In a table (or series) whose counts add to fewer than this, zeros are suppressed too, so an
   * all-zero row cannot single out the few children in the others. Default 0 (off).
   */
  protectZerosBelow?: number;
}

/** Validated options with the secret as bytes. */
export interface Resolved {
  readonly key: Buffer;
  readonly method: RoundingMethod;
  readonly threshold: number;
  readonly publishZeros: boolean;
  readonly protectZerosBelow: number;
}

export const MIN_SECRET_BYTES = 16;
export const DEFAULT_THRESHOLD = 6;

// Versioned domain separation, so a future change of scheme cannot silently reuse old draws.
const SEED_CONTEXT = 'tiaki-disclosure/rounding/v1\n';
const DRAW_BITS = 40;
const DRAW_RANGE = 2 ** DRAW_BITS;

export function resolveOptions(options: DisclosureOptions): Resolved {
  const {
    secret,
    method,
    threshold = DEFAULT_THRESHOLD,
    publishZeros = true,
    protectZerosBelow = 0,
  } = options;
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length === 0)
    throw new DisclosureError('the release secret is empty: set one per publication series');
  if (key.length < MIN_SECRET_BYTES) {
    throw new DisclosureError(
      `the release secret is ${key.length} bytes; it must be at least ${MIN_SECRET_BYTES} (use 32 random bytes)`,
    );
  }
  const m: unknown = method;
  if (m !== 'rr3' && m !== 'grr')
    throw new DisclosureError(`rounding method must be 'rr3' or 'grr', got ${String(m)}`);
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new DisclosureError(`threshold must be a whole number 1 or more, got ${threshold}`);
  }
  if (!Number.isSafeInteger(protectZerosBelow) || protectZerosBelow < 0) {
    throw new DisclosureError(`protectZerosBelow must be a whole number 0 or more, got ${protectZerosBelow}`);
  }
  return { key, method, threshold, publishZeros, protectZerosBelow };
}

/** Canonical text of a label set: keys sorted, so `{a, b}` and `{b, a}` are the same cell. */
export function cellKey(labels: Labels): string {
  const keys = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(
    keys.map((k) => {
      const value: unknown = labels[k];
      if (typeof value !== 'string') throw new DisclosureError(`label "${k}" must be a string`);
      return [k, value];
    }),
  );
}

/** Cell keys are sums of record keys modulo 2^32 (each record key a 32-bit number). */
export const CELL_KEY_MODULUS = 2 ** 32;
const CELL_KEY_CONTEXT = 'tiaki-disclosure/cell-key/v2\n';
const RECORD_KEY_CONTEXT = 'tiaki-disclosure/record-key/v2\n';

/**
 * The salt from which each record's fixed key is made (record key = first 32 bits of
 * md5(salt ‖ record id), computed where the records are counted). Derived from the release
 * secret, so record keys are unknowable without it, and fixed for the life of the series.
 */
export function recordKeySalt(secret: string | Uint8Array): string {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  return createHmac('sha256', key).update(RECORD_KEY_CONTEXT).digest('hex');
}

/** A cell key: a sum of record keys, reduced modulo 2^32. Refuses anything but a whole number. */
export function normaliseCellKey(key: number): number {
  if (!Number.isSafeInteger(key) || key < 0)
    throw new DisclosureError(`a cell key must be a whole number 0 or more, got ${String(key)}`);
  return key % CELL_KEY_MODULUS;
}

/**
 * The draw of a cell under the cell-key method: a function of the records in the cell only (the sum
 * of their keys), never of how the cell was asked for. Two queries that count the same records get
 * the same draw, whatever their labels; averaging overlapping queries gets no fresh samples.
 */
export function cellKeyDraw(key: Buffer, cellKeyValue: number): number {
  return createHmac('sha256', key)
    .update(CELL_KEY_CONTEXT + String(normaliseCellKey(cellKeyValue)))
    .digest()
    .readUIntBE(0, DRAW_BITS / 8);
}

/**
 * The cell's random draw in [0, 2^40): HMAC-SHA256(secret, labels). The raw count is left out on
 * purpose, so a cell rounds the same way in every release and in every table that contains it.
 */
export function cellDraw(key: Buffer, labels: Labels): number {
  return createHmac('sha256', key)
    .update(SEED_CONTEXT + cellKey(labels))
    .digest()
    .readUIntBE(0, DRAW_BITS / 8);
}

/** The rounding base for a raw count: 3 for RR3; graduated for GRR (Stats NZ bands). */
export function baseFor(raw: number, method: RoundingMethod): number {
  if (method === 'rr3' || raw < 19) return 3;
  if (raw === 19) return 2;
  if (raw < 100) return 5;
  if (raw < 1000) return 10;
  return 100;
}

/** Unbiased random rounding: up with probability (raw mod base) / base, so E[result] = raw. */
export function randomRound(raw: number, base: number, draw: number): number {
  const remainder = raw % base;
  if (remainder === 0) return raw;
  // Integer comparison (draw · base < remainder · 2^40) is exact: both sides stay below 2^53.
  return draw * base < remainder * DRAW_RANGE ? raw - remainder + base : raw - remainder;
}

export function describeLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '(no labels)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function checkCount(raw: number, labels: Labels): void {
  if (!Number.isSafeInteger(raw) || raw < 0) {
    throw new DisclosureError(
      `count for ${describeLabels(labels)} must be a whole number 0 or more, got ${String(raw)}`,
    );
  }
}

/**
 * Primary protection of one count: suppress small values, otherwise round with the cell's draw —
 * from its cell key (sum of its records' keys) when given, else from its labels.
 */
export function protectCountWith(
  raw: number,
  labels: Labels,
  o: Resolved,
  cellKeyValue?: number,
): PublishedValue {
  checkCount(raw, labels);
  if (raw === 0)
    return o.publishZeros ? { suppressed: false, value: 0 } : { suppressed: true, reason: 'primary' };
  if (raw < o.threshold) return { suppressed: true, reason: 'primary' };
  const draw = cellKeyValue === undefined ? cellDraw(o.key, labels) : cellKeyDraw(o.key, cellKeyValue);
  const value = randomRound(raw, baseFor(raw, o.method), draw);
  // Only reachable with a threshold that is not a multiple of the base: nothing below it is shown.
  if (value > 0 && value < o.threshold) return { suppressed: true, reason: 'primary' };
  return { suppressed: false, value };
}

/**
 * Protects a single count: raw 1 to threshold − 1 is suppressed, anything else randomly rounded.
 * Put what is counted in the labels (`measure`) so different measures draw independently. With a
 * cell key (the sum of the keys of the records counted), the draw follows the records instead.
 */
export function roundCount(
  raw: number,
  labels: Labels,
  options: DisclosureOptions,
  cellKeyValue?: number,
): PublishedValue {
  return protectCountWith(raw, labels, resolveOptions(options), cellKeyValue);
}
