import type { StatisticsReportView } from '@tiaki/domain';
import type { TFunction } from 'i18next';
import { formatNumber } from '../../i18n/format.ts';

export type Cell = StatisticsReportView['headline']['referrals'];
export type StatTable = StatisticsReportView['referralsByMonth'];

/** The number to draw: null (a gap, not zero) when the value is suppressed or missing. */
export function cellNumber(cell: Cell | null | undefined): number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return cell;
  return cell.suppressed ? null : cell.value;
}

/** The number as text: "*" for primary suppression, "S" for secondary. */
export function cellText(cell: Cell | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  if (cell.suppressed) return cell.reason === 'primary' ? '*' : 'S';
  return formatNumber(cell.value);
}

export function isSuppressed(cell: Cell | null | undefined): boolean {
  return typeof cell === 'object' && cell !== null && cell.suppressed;
}

/** What a marker means, for screen readers beside "*" or "S". */
export function cellDescription(t: TFunction, cell: Cell | null | undefined): string | null {
  if (typeof cell !== 'object' || cell === null || !cell.suppressed) return null;
  return t(`statistics.markers.${cell.reason}`);
}

/** Every 'YYYY-MM' month from the start of the period to its end. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (let guard = 0; guard < 240; guard += 1) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) break;
    months.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * The monthly series over the whole period: months with no referral are not in the answer, and
 * count as zero (a true zero is not disclosive).
 */
export function monthlySeries(
  table: StatTable,
  from: string,
  to: string,
  exact: boolean,
): { month: string; cell: Cell }[] {
  const byMonth = new Map(table.rows.categories.map((month, i) => [month, table.body[i]?.[0]]));
  const months = [...new Set([...monthsOf(from, to), ...table.rows.categories])].sort();
  return months.map((month) => ({
    month,
    cell: byMonth.get(month) ?? (exact ? 0 : { suppressed: false, value: 0 }),
  }));
}
