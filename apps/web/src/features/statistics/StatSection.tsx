import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ScrollingTable } from '../../components/tables.tsx';
import { categoryName } from './labels.ts';
import { StatChart, type StatChartProps } from './StatChart.tsx';
import { cellDescription, cellText, type Cell, type StatTable } from './values.ts';

/** A number in a table cell: "*" or "S" with what it means, for screen readers. */
export function ValueCell({
  cell,
  header = false,
  label,
}: {
  cell: Cell | null | undefined;
  header?: boolean;
  /** The column's name, shown above the number when a phone stacks the table. */
  label?: string | undefined;
}) {
  const { t } = useTranslation();
  const description = cellDescription(t, cell);
  const content = (
    <>
      {cellText(cell)}
      {description ? <span className="visually-hidden"> ({description})</span> : null}
    </>
  );
  return header ? (
    <th className="cell-number">{content}</th>
  ) : (
    <td className="cell-number" data-label={label}>
      {content}
    </td>
  );
}

const dimensionName = (t: TFunction, name: string) =>
  t(`statistics.dimensions.${name.replace(/ /g, '_')}`, { defaultValue: name });

/** The numbers behind a chart, as an HTML table with the same markers. */
export function StatTableView({
  id,
  caption,
  table,
  categories,
}: {
  id: string;
  caption: string;
  table: StatTable;
  /** The row categories to show, in order, with their cells (defaults to the table's own). */
  categories?: { code: string; cells: (Cell | null | undefined)[]; total?: Cell | null | undefined }[];
}) {
  const { t } = useTranslation();
  const columns = table.columns;
  const rows =
    categories ??
    table.rows.categories.map((code, i) => ({
      code,
      cells: table.body[i] ?? [],
      total: table.rowTotals?.[i],
    }));
  const captionId = `${id}-caption`;
  const showRowTotals = Boolean(columns && table.rowTotals);
  // A phone stacks a two-way table: each row under its category, every figure under its column's
  // name (a table by form × provision was wider than the screen).
  const columnName = (code: string) => (columns ? categoryName(t, columns.name, code) : undefined);
  const totalName = columns ? t('statistics.total') : undefined;
  return (
    <ScrollingTable
      captionId={captionId}
      caption={caption}
      className={`table table-compact stat-table${columns ? ' table-stack stat-stack' : ''}`}
    >
      <thead>
        <tr>
          <th scope="col">{dimensionName(t, table.rows.name)}</th>
          {columns ? (
            columns.categories.map((code) => (
              <th key={code} scope="col" className="cell-number">
                {categoryName(t, columns.name, code)}
              </th>
            ))
          ) : (
            <th scope="col" className="cell-number">
              {t('statistics.count')}
            </th>
          )}
          {showRowTotals ? (
            <th scope="col" className="cell-number">
              {t('statistics.total')}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.code}>
            <th scope="row" className="cell-plain">
              {categoryName(t, table.rows.name, row.code)}
            </th>
            {(columns ? columns.categories.map((_, j) => row.cells[j]) : [row.cells[0]]).map((cell, j) => (
              <ValueCell key={j} cell={cell} label={columnName(columns?.categories[j] ?? '')} />
            ))}
            {showRowTotals ? <ValueCell cell={row.total} label={totalName} /> : null}
          </tr>
        ))}
      </tbody>
      {table.total !== null || table.columnTotals ? (
        <tfoot>
          <tr>
            <th scope="row">{t('statistics.total')}</th>
            {columns
              ? columns.categories.map((code, j) => (
                  <ValueCell key={code} cell={table.columnTotals?.[j]} label={columnName(code)} />
                ))
              : null}
            {!columns || showRowTotals ? <ValueCell cell={table.total} label={totalName} /> : null}
          </tr>
        </tfoot>
      ) : null}
    </ScrollingTable>
  );
}

interface StatSectionProps {
  id: string;
  title: string;
  description?: ReactNode;
  /** Controls for the chart (such as what to compare with), between the description and the chart. */
  controls?: ReactNode;
  /** A standard chart; `figure` instead draws one of its own. */
  chart?: StatChartProps;
  figure?: ReactNode;
  /** Whether a value in the chart is suppressed (left as a gap). */
  gaps: boolean;
  table: ReactNode;
  /** The server's CSV download of the published table; none when absent. */
  csvUrl?: string | undefined;
}

/** One chart: its heading, the chart, a note on gaps, the table view and the CSV download. */
export function StatSection({
  id,
  title,
  description,
  controls,
  chart,
  figure,
  gaps,
  table,
  csvUrl,
}: StatSectionProps) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="stat-section" aria-labelledby={headingId} id={id}>
      <h2 id={headingId} className="section-heading">
        {title}
      </h2>
      {description ? <p className="hint">{description}</p> : null}
      {controls}
      {figure ?? (chart ? <StatChart {...chart} /> : null)}
      {gaps ? <p className="stat-note">{t('statistics.gapsNote')}</p> : null}
      <details className="stat-details">
        <summary className="stat-summary">
          {t('statistics.showTable')}
          <span className="visually-hidden">: {title}</span>
        </summary>
        {table}
      </details>
      {csvUrl ? (
        <p>
          <a href={csvUrl} download className="link">
            {t('statistics.downloadCsv')}
            <span className="visually-hidden">: {title}</span>
          </a>
        </p>
      ) : null}
    </section>
  );
}
