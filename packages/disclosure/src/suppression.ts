// Secondary suppression: no suppressed cell may be worked out from the rest of its table.
//
// A table with totals is a set of additive lines (each row and column, margins included). A
// suppressed cell can be recovered when it is the only hidden cell of a line (plain subtraction)
// or when a combination of lines determines it (a chain joining two closed groups). Both are
// handled by linked suppression over the table's lines (linked.ts), which also serves a release
// of many tables tied together.

import { linkedSuppression, type LinkedCell, type LinkedLine } from './linked.ts';
import { gridLines } from './table.ts';

export type TableKind = 'one-way' | 'two-way';

export interface SuppressionGrid {
  /** Raw values, row-major; the last row and (two-way) last column are the margins. */
  readonly raw: readonly (readonly number[])[];
  readonly margin: readonly (readonly boolean[])[];
  /** Primary suppressions; not modified. */
  readonly suppressed: readonly (readonly boolean[])[];
}

type Position = readonly [number, number];

/**
 * Returns the cells to suppress as well, in the order they were chosen: the table's rows and
 * columns (margins included) as lines of linked suppression (see linked.ts), cheapest cells first.
 * In a two-way table a margin whose every part is hidden is hidden too (a group of hidden cells).
 */
export function secondarySuppression(grid: SuppressionGrid, kind: TableKind): Position[] {
  const rows = grid.suppressed.length;
  const cols = grid.suppressed[0]?.length ?? 0;
  const id = (i: number, j: number) => `${i},${j}`;
  const cells = new Map<string, LinkedCell>();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      cells.set(id(i, j), {
        raw: grid.raw[i]?.[j] ?? 0,
        margin: grid.margin[i]?.[j] === true,
        suppressed: grid.suppressed[i]?.[j] === true,
      });
    }
  }
  const lines: LinkedLine[] = gridLines(rows, cols, kind === 'two-way').map((positions) => {
    const ids = positions.map(([i, j]) => id(i, j));
    return { parts: ids.slice(0, -1), total: ids[ids.length - 1] ?? '', group: kind === 'two-way' };
  });
  const { secondary } = linkedSuppression(cells, lines);
  return secondary.map((s) => {
    const [i = 0, j = 0] = s.split(',').map(Number);
    return [i, j] as const;
  });
}
