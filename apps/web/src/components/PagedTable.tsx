import { useCallback, useMemo, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { DEFAULT_PAGE_SIZE, newZealandToday } from '@tiaki/domain';
import { getServerClockOffset } from '../api/client.ts';
import { LoadStatus } from './LoadStatus.tsx';
import type { Loadable } from './useLoad.ts';

/** The work filters every list offers, as chips. */
export const WORK_FILTERS = ['mine', 'overdue', 'dueThisWeek'] as const;
/** A chip's filter: the work filters, "unread" (reminders) or "waiting" (for my approval). */
export type WorkFilter = (typeof WORK_FILTERS)[number] | 'unread' | 'waiting';

/** What a list shows, as kept in the address (so Back, a bookmark or a shared link restore it). */
export interface ListState {
  page: number;
  pageSize: number;
  sort: string | undefined;
  dir: 'asc' | 'desc' | undefined;
  /** Every other parameter: the work filters ("true" when on), free text and the list's own filters. */
  filters: Readonly<Record<string, string>>;
}

const PAGING = new Set(['page', 'pageSize', 'sort', 'dir']);
/** Parameters of the page that are not the list's (the child search box keeps its words in `find`). */
const NOT_THE_LIST = new Set(['find']);

/**
 * The list's state from the query string, and a way to change it: each change is a new history
 * entry, so Back shows the previous page, sort or filter. Changing a filter or the sort goes back
 * to the first page.
 */
export function useListState(): {
  list: ListState;
  /** The query for the server: paging, sort and every filter. */
  query: Record<string, string | number | undefined>;
  change: (
    patch: Partial<Omit<ListState, 'filters'>> & { filters?: Record<string, string | undefined> },
  ) => void;
  hrefFor: (patch: Partial<Pick<ListState, 'page'>>) => string;
} {
  const [params, setParams] = useSearchParams();
  const list = useMemo<ListState>(() => {
    const whole = (key: string, fallback: number) => {
      const value = Number(params.get(key));
      return Number.isInteger(value) && value > 0 ? value : fallback;
    };
    const dir = params.get('dir');
    const filters: Record<string, string> = {};
    for (const [key, value] of params) if (!PAGING.has(key) && value) filters[key] = value;
    return {
      page: whole('page', 1),
      pageSize: whole('pageSize', DEFAULT_PAGE_SIZE),
      sort: params.get('sort') ?? undefined,
      dir: dir === 'asc' || dir === 'desc' ? dir : undefined,
      filters,
    };
  }, [params]);

  const searchOf = useCallback((next: ListState) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next.filters)) if (value) search.set(key, value);
    if (next.sort) search.set('sort', next.sort);
    if (next.dir) search.set('dir', next.dir);
    if (next.pageSize !== DEFAULT_PAGE_SIZE) search.set('pageSize', String(next.pageSize));
    if (next.page > 1) search.set('page', String(next.page));
    return search;
  }, []);

  const change = useCallback<ReturnType<typeof useListState>['change']>(
    (patch) => {
      const patched = { ...list.filters, ...patch.filters };
      const filters = Object.fromEntries(
        Object.entries(patched).filter((entry): entry is [string, string] => Boolean(entry[1])),
      );
      const resets = patch.filters !== undefined || patch.sort !== undefined || patch.dir !== undefined;
      setParams(
        searchOf({
          page: patch.page ?? (resets ? 1 : list.page),
          pageSize: patch.pageSize ?? list.pageSize,
          sort: patch.sort ?? list.sort,
          dir: patch.dir ?? list.dir,
          filters,
        }),
      );
    },
    [list, searchOf, setParams],
  );

  const hrefFor = useCallback(
    (patch: Partial<Pick<ListState, 'page'>>) => `?${searchOf({ ...list, ...patch }).toString()}`,
    [list, searchOf],
  );

  const query = useMemo(
    () => ({
      ...Object.fromEntries(Object.entries(list.filters).filter(([key]) => !NOT_THE_LIST.has(key))),
      page: list.page,
      pageSize: list.pageSize,
      sort: list.sort,
      dir: list.dir,
    }),
    [list],
  );
  return { list, query, change, hrefFor };
}

/** "Mine", "Overdue", "Due this week": buttons that stay pressed while their filter is on. */
export function FilterChips({
  filters,
  active,
  onToggle,
}: {
  filters: readonly WorkFilter[];
  active: Readonly<Record<string, string>>;
  onToggle: (filter: WorkFilter, on: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="chips" role="group" aria-label={t('lists.filterChips')}>
      {filters.map((filter) => {
        const on = active[filter] === 'true';
        return (
          <button
            key={filter}
            type="button"
            className={on ? 'chip chip-on' : 'chip'}
            aria-pressed={on}
            onClick={() => {
              onToggle(filter, !on);
            }}
          >
            {on ? <span aria-hidden="true">✓ </span> : null}
            {t(`lists.filters.${filter}`)}
          </button>
        );
      })}
    </div>
  );
}

/** A search box for a list's own text filter (a reference), applied when submitted. */
export function ListSearch({
  id,
  label,
  hint,
  value,
  buttonLabel,
  onSearch,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  buttonLabel?: string;
  onSearch: (text: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="list-search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const text = new FormData(event.currentTarget).get('q');
        onSearch(typeof text === 'string' ? text.trim() : '');
      }}
    >
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <div className="list-search-row">
        <input
          id={id}
          name="q"
          type="search"
          className="input"
          defaultValue={value}
          key={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          maxLength={100}
        />
        <button type="submit" className="button button-secondary">
          {buttonLabel ?? t('lists.search')}
        </button>
      </div>
    </form>
  );
}

export interface Column {
  label: ReactNode;
  /** The server's sort key for this column; a column without one cannot be sorted. */
  sortKey?: string;
  /** Shown on wide screens only (hidden on a phone's stacked rows and below 1680 px when `low`). */
  priority?: 'low';
}

interface PagedTableProps<T> {
  id: string;
  caption: string;
  columns: readonly Column[];
  /** A leading column (such as check boxes) that is neither sorted nor labelled by text. */
  leading?: ReactNode;
  state: Loadable<{ items: T[]; total: number; totalCapped?: boolean; page: number; pageSize: number }>;
  onRetry: () => void;
  renderRow: (row: T) => ReactNode;
  empty: ReactNode;
  list: ListState;
  /** The sort the server applies when none is asked for, so its column shows as sorted. */
  defaultSort: { sort: string; dir: 'asc' | 'desc' };
  onSort: (sort: string, dir: 'asc' | 'desc') => void;
  hrefFor: (patch: { page: number }) => string;
}

/**
 * One page of a long list, sorted and filtered by the server: sortable column headings (with
 * aria-sort), how many rows there are, and links to the other pages. On a phone each row is
 * stacked, every cell under its column's name (cells carry `data-label`).
 */
export function PagedTable<T>({
  id,
  caption,
  columns,
  leading,
  state,
  onRetry,
  renderRow,
  empty,
  list,
  defaultSort,
  onSort,
  hrefFor,
}: PagedTableProps<T>) {
  const sort = list.sort ?? defaultSort.sort;
  const dir = list.dir ?? (list.sort ? 'asc' : defaultSort.dir);
  const captionId = `${id}-caption`;
  const data = state.status === 'ready' ? state.data : null;
  return (
    <>
      <LoadStatus state={state} onRetry={onRetry} />
      {data === null ? null : data.total === 0 ? (
        <p>{empty}</p>
      ) : (
        <>
          <PhoneSort id={id} columns={columns} sort={sort} dir={dir} onSort={onSort} />
          <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="table table-stack">
              <caption id={captionId} className="caption">
                {caption}
              </caption>
              <thead>
                <tr>
                  {leading !== undefined ? <th scope="col">{leading}</th> : null}
                  {columns.map((column, index) => {
                    const sorted = column.sortKey !== undefined && column.sortKey === sort;
                    return (
                      <th
                        key={index}
                        scope="col"
                        className={column.priority === 'low' ? 'col-low' : undefined}
                        aria-sort={
                          column.sortKey === undefined
                            ? undefined
                            : sorted
                              ? dir === 'asc'
                                ? 'ascending'
                                : 'descending'
                              : 'none'
                        }
                      >
                        {column.sortKey === undefined ? (
                          column.label
                        ) : (
                          <button
                            type="button"
                            className="sort-button"
                            onClick={() => {
                              onSort(column.sortKey ?? '', sorted && dir === 'asc' ? 'desc' : 'asc');
                            }}
                          >
                            {column.label}
                            <span aria-hidden="true" className="sort-arrow">
                              {sorted ? (dir === 'asc' ? ' ▲' : ' ▼') : ' ⇅'}
                            </span>
                          </button>
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>{data.items.map(renderRow)}</tbody>
            </table>
          </div>
          <Pagination
            id={id}
            total={data.total}
            capped={data.totalCapped === true}
            rows={data.items.length}
            page={data.page}
            pageSize={data.pageSize}
            hrefFor={hrefFor}
          />
        </>
      )}
    </>
  );
}

/**
 * On a phone the column headings are hidden (each row is stacked), so the sort is a choice of its
 * own above the list; wider screens sort from the headings and do not show it.
 */
function PhoneSort({
  id,
  columns,
  sort,
  dir,
  onSort,
}: {
  id: string;
  columns: readonly Column[];
  sort: string;
  dir: 'asc' | 'desc';
  onSort: (sort: string, dir: 'asc' | 'desc') => void;
}) {
  const { t } = useTranslation();
  const sortable = columns.filter(
    (column): column is Column & { sortKey: string } => column.sortKey !== undefined,
  );
  if (sortable.length === 0) return null;
  const name = (column: Column) => (typeof column.label === 'string' ? column.label : column.sortKey);
  return (
    <div className="phone-sort">
      <label htmlFor={`${id}-sort`} className="label">
        {t('lists.sortBy')}
      </label>
      <select
        id={`${id}-sort`}
        className="select"
        value={`${sort}:${dir}`}
        onChange={(event) => {
          const [key = '', direction] = event.target.value.split(':');
          onSort(key, direction === 'desc' ? 'desc' : 'asc');
        }}
      >
        {sortable.flatMap((column) =>
          (['asc', 'desc'] as const).map((direction) => (
            <option key={`${column.sortKey}:${direction}`} value={`${column.sortKey}:${direction}`}>
              {t(`lists.sortOption.${direction}`, { column: name(column) })}
            </option>
          )),
        )}
      </select>
    </div>
  );
}

/**
 * "Showing 26 to 50 of 10,000", with links to the previous and next pages. A list that stopped
 * counting (`capped`: more than 10,000 rows) says "of more than 10,000", offers the next page while
 * this one is full, and has no last page to jump to.
 */
export function Pagination({
  id,
  total: counted,
  capped: stoppedCounting = false,
  rows,
  page,
  pageSize,
  hrefFor,
}: {
  id: string;
  total: number;
  capped?: boolean;
  /** Rows on this page (a capped list has a next page while this one is full). */
  rows?: number;
  page: number;
  pageSize: number;
  hrefFor: (patch: { page: number }) => string;
}) {
  const { t } = useTranslation();
  // On a capped list's last page (not full), the whole count is known after all.
  const lastOfCapped = stoppedCounting && rows !== undefined && rows > 0 && rows < pageSize;
  const total = lastOfCapped ? (page - 1) * pageSize + rows : counted;
  const capped = stoppedCounting && !lastOfCapped;
  const countedPages = Math.max(1, Math.ceil(total / pageSize));
  const hasNext = capped ? (rows ?? pageSize) >= pageSize : page < countedPages;
  const pages = capped ? Math.max(countedPages, hasNext ? page + 1 : page) : countedPages;
  const first = (page - 1) * pageSize + 1;
  const last = capped ? first + (rows ?? pageSize) - 1 : Math.min(total, page * pageSize);
  const number = (n: number) => n.toLocaleString('en-NZ');
  return (
    <nav className="pagination" aria-label={t('lists.pages')}>
      <p className="pagination-count" id={`${id}-count`}>
        {capped
          ? t('lists.showingMore', { first: number(first), last: number(last), total: number(total) })
          : t('lists.showing', {
              first: number(Math.min(total, first)),
              last: number(last),
              total: number(total),
            })}
        {pages > 1
          ? ` · ${capped ? t('lists.page', { page: number(page) }) : t('lists.pageOf', { page: number(page), pages: number(pages) })}`
          : null}
      </p>
      {pages > 1 ? (
        <ul className="pagination-links">
          {page > 1 ? (
            <li>
              <Link to={hrefFor({ page: 1 })} className="link">
                {t('lists.firstPage')}
              </Link>
            </li>
          ) : null}
          {page > 1 ? (
            <li>
              <Link to={hrefFor({ page: page - 1 })} className="link" rel="prev">
                {t('lists.previousPage')}
              </Link>
            </li>
          ) : null}
          {hasNext ? (
            <li>
              <Link to={hrefFor({ page: page + 1 })} className="link" rel="next">
                {t('lists.nextPage')}
              </Link>
            </li>
          ) : null}
          {hasNext && !capped ? (
            <li>
              <Link to={hrefFor({ page: pages })} className="link">
                {t('lists.lastPage')}
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
    </nav>
  );
}

/** Marks overdue work in words as well as colour. */
export function OverdueTag() {
  const { t } = useTranslation();
  return <span className="badge badge-overdue">{t('lists.overdue')}</span>;
}

/** Today's date in New Zealand by the server's clock: what "overdue" is measured against. */
export function nzToday(): string {
  return newZealandToday(new Date(Date.now() + getServerClockOffset()));
}
