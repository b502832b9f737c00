import { z } from 'zod';
import { addCalendarDays, toUtc, type IsoDate } from '../workflow/dates.ts';

/**
 * Lists that hold at national volume: every list answers one page at a time, sorted and filtered
 * by the server. One shape for every list, so one table component serves them all:
 *
 * - ask `?page=2&pageSize=25&sort=due&dir=asc` plus the list's own filters;
 * - get `{ items, total, page, pageSize }`.
 */

/** Rows on one page unless asked otherwise, and the most anyone may ask for. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/**
 * Rows a list counts at most: past this it answers "10,000+" (`totalCapped`). Counting every one
 * of a national list's rows costs more than finding the page, and nobody pages through more.
 */
export const COUNT_LIMIT = 10_000;

/** A query-string flag: `?overdue=true` (or 1) turns a filter on; anything else but false/0 is refused. */
export const queryFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'Use true or false' })
  .transform((value) => value === 'true' || value === '1')
  .optional();

/** Paging and sorting fields of a list's query string, sorted by one of `sortKeys`. */
export function pageQueryFields<const K extends readonly [string, ...string[]]>(sortKeys: K) {
  return {
    page: z.coerce
      .number({ error: 'The page is a whole number from 1' })
      .int('The page is a whole number from 1')
      .min(1, 'The page is a whole number from 1')
      .max(1_000_000, 'The page is a whole number from 1')
      .default(1),
    pageSize: z.coerce
      .number({ error: `Ask for 1 to ${MAX_PAGE_SIZE} rows a page` })
      .int(`Ask for 1 to ${MAX_PAGE_SIZE} rows a page`)
      .min(1, `Ask for 1 to ${MAX_PAGE_SIZE} rows a page`)
      .max(MAX_PAGE_SIZE, `Ask for 1 to ${MAX_PAGE_SIZE} rows a page`)
      .default(DEFAULT_PAGE_SIZE),
    sort: z.enum(sortKeys, { error: `Sort by one of: ${sortKeys.join(', ')}` }).optional(),
    dir: z.enum(['asc', 'desc'], { error: 'Sort direction is asc or desc' }).optional(),
  };
}

/** The filters most work lists share: my work, past its due date, due by the end of this week. */
export const workFilterFields = {
  mine: queryFlag.describe('Only work assigned to me (or cases I am on)'),
  overdue: queryFlag.describe('Only work past its due date (New Zealand date)'),
  dueThisWeek: queryFlag.describe('Only work due from today to Sunday of this week (New Zealand date)'),
};

/** Free text to narrow a list; what counts as a match is each list's own (never a child's name). */
export const listText = z
  .string()
  .trim()
  .max(100, 'At most 100 characters')
  .optional()
  .describe('Text to narrow the list by (a reference)');

/** One page of a list, with how many rows match altogether. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('Rows matching the filters, on every page (at most COUNT_LIMIT)'),
    totalCapped: z
      .boolean()
      .optional()
      .describe('More rows match than `total` says: counting stopped at 10,000 ("10,000+")'),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Counting stopped at COUNT_LIMIT: more rows match than `total`. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

/** The sort and paging a list query asked for, with the list's default sort filled in. */
export interface PageRequest<K extends string> {
  page: number;
  pageSize: number;
  sort: K;
  dir: 'asc' | 'desc';
}

/** Fills in a list's default sort (and its natural direction) where the query named none. */
export function pageRequest<K extends string>(
  query: { page: number; pageSize: number; sort?: K | undefined; dir?: 'asc' | 'desc' | undefined },
  defaults: { sort: K; dir: 'asc' | 'desc' },
): PageRequest<K> {
  return {
    page: query.page,
    pageSize: query.pageSize,
    sort: query.sort ?? defaults.sort,
    dir: query.dir ?? (query.sort ? 'asc' : defaults.dir),
  };
}

/** What a search matched on: never the words searched for. */
export const SEARCH_MATCHES = ['reference', 'name', 'sounds_like', 'date_of_birth'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

export const searchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(2, 'Type at least 2 characters')
    .max(100, 'At most 100 characters')
    .describe("A case or referral reference, a child's name, or a date of birth (YYYY-MM-DD or DD/MM/YYYY)"),
});

/** A record found by search: what it is and where it stands; no names (one audited click away). */
export const searchResult = z.object({
  kind: z.enum(['case', 'referral']),
  id: z.uuid(),
  reference: z.string(),
  status: z.string(),
  region: z.string(),
  ageBand: z.string().nullable(),
  date: z.iso.date().describe('When the case opened, or when the referral was received'),
  matchedOn: z.enum(SEARCH_MATCHES),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchResults = z.object({
  results: z.array(searchResult),
  truncated: z.boolean().describe('More matched than are shown: search more precisely'),
});

/** The Sunday ending the week of `today` (weeks run Monday to Sunday): "due this week" ends there. */
export function endOfWeek(today: IsoDate): IsoDate {
  const weekday = toUtc(today).getUTCDay(); // 0 is Sunday
  return addCalendarDays(today, weekday === 0 ? 0 : 7 - weekday);
}
