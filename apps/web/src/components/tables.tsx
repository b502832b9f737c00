import type { ReactNode } from 'react';
import { LoadStatus } from './LoadStatus.tsx';
import type { Loadable } from './useLoad.ts';

interface DataTableProps<T> {
  /** Names the table's caption, which labels the scrolling region around it. */
  id: string;
  caption: string;
  columns: readonly ReactNode[];
  /** The visually hidden heading of a last column of buttons; no such column when absent. */
  actionsColumn?: string | false;
  rows: readonly T[];
  renderRow: (row: T) => ReactNode;
  /** What to say instead of an empty table. */
  empty: ReactNode;
  compact?: boolean;
  /**
   * On a phone, each row stacked with every cell under its column's name (cells carry
   * `data-label`) instead of a table that scrolls sideways.
   */
  stack?: boolean;
}

/** A table that scrolls sideways on narrow screens, with its caption and column headings. */
export function DataTable<T>({
  id,
  caption,
  columns,
  actionsColumn,
  rows,
  renderRow,
  empty,
  compact = false,
  stack = false,
}: DataTableProps<T>) {
  if (rows.length === 0) return <p>{empty}</p>;
  const captionId = `${id}-caption`;
  return (
    <ScrollingTable
      captionId={captionId}
      caption={caption}
      className={['table', compact ? 'table-compact' : '', stack ? 'table-stack' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={index} scope="col">
              {column}
            </th>
          ))}
          {actionsColumn ? (
            <th scope="col">
              <span className="visually-hidden">{actionsColumn}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>{rows.map(renderRow)}</tbody>
    </ScrollingTable>
  );
}

/** A table of loaded rows: "Loading…" until they arrive, and a way to try again if they do not. */
export function LoadedTable<T>({
  state,
  onRetry,
  ...table
}: DataTableProps<T> & { state: Loadable<unknown>; onRetry: () => void }) {
  return (
    <>
      <LoadStatus state={state} onRetry={onRetry} />
      {state.status === 'ready' ? <DataTable {...table} /> : null}
    </>
  );
}

/** A button in a table row; `describedBy` is the id of the cell naming the row ("Edit", which one?). */
export function RowButton({
  describedBy,
  onClick,
  children,
}: {
  describedBy: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="button button-small button-secondary"
      aria-describedby={describedBy}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** A small label after a name, such as "Demo" or "You". */
export function Tag({ children }: { children: ReactNode }) {
  return (
    <>
      {' '}
      <span className="tag tag-small">{children}</span>
    </>
  );
}

interface ListIntroProps {
  /** The latest change, announced politely. */
  success: string | null;
  /** The button that opens the form to add one; none when absent. */
  addLabel?: string | false;
  onAdd?: () => void;
}

/** The top of a list page: the message about the latest change, and the button to add one. */
export function ListIntro({ success, addLabel, onAdd }: ListIntroProps) {
  return (
    <>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
      {addLabel && onAdd ? (
        <div className="actions">
          <button type="button" className="button" onClick={onAdd}>
            {addLabel}
          </button>
        </div>
      ) : null}
    </>
  );
}

/** A table that scrolls sideways on narrow screens, its caption naming the scrolling region. */
export function ScrollingTable({
  captionId,
  caption,
  className,
  children,
}: {
  captionId: string;
  caption: ReactNode;
  className: string;
  /** The table's head and body. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className={className}>
        <caption id={captionId} className="caption">
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}
