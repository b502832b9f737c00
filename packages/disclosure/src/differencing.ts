// Differencing between overlapping tables: two tables whose populations nest (all children, and
// children under 16) give away the difference (children aged 16–17) by subtraction.
import { DisclosureError, describeLabels, type Labels } from './rounding.ts';
import { entries, tabulate, type ExactTable, type TableInput } from './table.ts';

export interface SmallDifference {
  /** The cell's dimension labels (measure and fixed labels left out). */
  readonly labels: Labels;
  readonly difference: number;
}

function byPosition(t: ExactTable): Map<string, { labels: Labels; raw: number }> {
  const out = new Map<string, { labels: Labels; raw: number }>();
  for (const e of entries(t)) {
    const labels = Object.fromEntries(
      Object.entries(e.labels).filter(([k]) => k !== 'measure' && !(k in t.fixed)),
    );
    out.set(JSON.stringify(Object.entries(labels).sort()), { labels, raw: e.value });
  }
  return out;
}

/**
 * Cells (totals included) present in both tables whose raw counts differ by 1 to threshold − 1:
 * publishing both would disclose that small difference. Compare nested populations only.
 */
export function smallDifferences(
  a: TableInput | ExactTable,
  b: TableInput | ExactTable,
  options: { threshold?: number } = {},
): SmallDifference[] {
  const threshold = options.threshold ?? 6;
  const left = byPosition('exact' in a ? a : tabulate(a));
  const right = byPosition('exact' in b ? b : tabulate(b));
  const out: SmallDifference[] = [];
  for (const [key, x] of left) {
    const y = right.get(key);
    if (!y) continue;
    const difference = Math.abs(x.raw - y.raw);
    if (difference > 0 && difference < threshold) out.push({ labels: x.labels, difference });
  }
  return out;
}

/** Throws when publishing both tables would disclose a small difference. */
export function assertNoSmallDifferences(
  a: TableInput | ExactTable,
  b: TableInput | ExactTable,
  options: { threshold?: number } = {},
): void {
  const found = smallDifferences(a, b, options);
  if (found.length === 0) return;
  const shown = found.slice(0, 5).map((d) => describeLabels(d.labels));
  throw new DisclosureError(
    `${found.length} cell(s) differ by fewer than ${options.threshold ?? 6} between the two tables (${shown.join('; ')}${found.length > 5 ? '; …' : ''}); suppress or combine them before publishing`,
  );
}
