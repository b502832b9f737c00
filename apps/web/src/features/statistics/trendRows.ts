import type { TrendsReport } from './api.ts';
import { lastDay } from './periods.ts';
import type { Cell } from './values.ts';

type Overlays = TrendsReport['overlays'];

/** One month of the trends screen: the numbers and what was happening then. */
export interface TrendRow {
  /** 'YYYY-MM' */
  month: string;
  referrals: Cell;
  /** The usual level: the mean of the same month in earlier years; null without two earlier years. */
  baseline: number | null;
  unusual: boolean;
  /** School holidays, cut to the days that fall in this month. */
  schoolHolidays: Overlays['schoolHolidays'];
  publicHolidays: Overlays['publicHolidays'];
  /** Named events on any day of this month. */
  events: Overlays['events'];
  /** Each imported series (in the order of `overlays.external`): its values dated in the month, added up; null when it has none. */
  external: (number | null)[];
}

/** The first and last day of a 'YYYY-MM' month. */
function monthBounds(month: string): { first: string; last: string } {
  return { first: `${month}-01`, last: lastDay(Number(month.slice(0, 4)), Number(month.slice(5, 7))) };
}

const overlaps = (range: { start: string; end: string }, first: string, last: string) =>
  range.start <= last && range.end >= first;

/** The report month by month, with each overlay placed in the months it touches. */
export function trendRows(report: TrendsReport): TrendRow[] {
  return report.points.map((point) => {
    const { first, last } = monthBounds(point.period);
    return {
      month: point.period,
      referrals: point.value,
      baseline: point.baseline,
      unusual: point.unusual,
      schoolHolidays: report.overlays.schoolHolidays
        .filter((h) => overlaps(h, first, last))
        .map((h) => ({ start: h.start < first ? first : h.start, end: h.end > last ? last : h.end })),
      publicHolidays: report.overlays.publicHolidays.filter((h) => h.date >= first && h.date <= last),
      events: report.overlays.events.filter((e) => overlaps(e, first, last)),
      external: report.overlays.external.map(({ points }) => {
        const inMonth = points.filter((p) => p.period >= first && p.period <= last);
        // A month with no value is a gap, never a zero.
        return inMonth.length ? inMonth.reduce((sum, p) => sum + p.value, 0) : null;
      }),
    };
  });
}
