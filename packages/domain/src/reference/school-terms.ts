import terms from '../../reference/school-terms.json' with { type: 'json' };
import { addCalendarDays, type IsoDate } from '../workflow/dates.ts';

/**
 * NZ state school terms from 2015 (Ministry of Education tables; see docs/statistics.md for the
 * yearly update). Term 1 starts on the latest permitted opening day and Term 4 ends on the latest
 * permitted closing day, so holidays are the days every school is closed.
 */
export interface SchoolTerm {
  year: number;
  term: number;
  start: IsoDate;
  end: IsoDate;
}

export const SCHOOL_TERMS: readonly SchoolTerm[] = terms;

/** School holidays overlapping [from, to]: the gaps between consecutive terms, clipped to the range. */
export function schoolHolidays(from: IsoDate, to: IsoDate): { start: IsoDate; end: IsoDate }[] {
  const sorted = [...SCHOOL_TERMS].sort((a, b) => a.start.localeCompare(b.start));
  const holidays: { start: IsoDate; end: IsoDate }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const current = sorted[i];
    const next = sorted[i + 1];
    if (!current || !next) continue;
    const start = addCalendarDays(current.end, 1);
    const end = addCalendarDays(next.start, -1);
    if (end < from || start > to || start > end) continue;
    holidays.push({ start: start < from ? from : start, end: end > to ? to : end });
  }
  return holidays;
}
