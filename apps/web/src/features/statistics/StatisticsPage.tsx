import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { StatisticsReportView } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { statisticsApi, type StatisticsFilter } from './api.ts';
import {
  ExactBanner,
  ExactToggle,
  FilterForm,
  MethodNotice,
  QuickPicks,
  ShowingLine,
  useStatisticsFilter,
} from './filters.tsx';
import { categoryName, monthName } from './labels.ts';
import { lastCompleteQuarter, wholeQuarter } from './periods.ts';
import { chartSummary, type Series } from './StatChart.tsx';
import { StatisticsNav } from './StatisticsNav.tsx';
import { StatSection, StatTableView } from './StatSection.tsx';
import './statistics.css';
import { cellNumber, cellText, isSuppressed, monthlySeries, type Cell, type StatTable } from './values.ts';

type NamedTable = StatisticsReportView['tables'][number];

/** How each server table is drawn. Tables not listed here are not shown. */
const CHARTS: readonly {
  name: string;
  kind: 'single' | 'grouped' | 'stacked' | 'rowTotals';
  horizontal?: boolean;
  tall?: boolean;
}[] = [
  { name: 'referrals_by_manifestation', kind: 'single', horizontal: true },
  { name: 'children_by_age_and_gender', kind: 'grouped' },
  { name: 'referrals_by_region', kind: 'single', horizontal: true, tall: true },
  { name: 'children_by_ethnicity', kind: 'single', horizontal: true },
  { name: 'children_by_prioritised_ethnicity', kind: 'single', horizontal: true },
  { name: 'referrals_by_context', kind: 'single', horizontal: true, tall: true },
  { name: 'referrals_by_police_district', kind: 'single', horizontal: true, tall: true },
  { name: 'referrals_by_referrer', kind: 'single', horizontal: true },
  { name: 'decisions_by_kind_and_outcome', kind: 'grouped' },
  { name: 'service_referrals_by_need_and_status', kind: 'stacked', horizontal: true, tall: true },
  { name: 'unmet_needs_by_need_and_region', kind: 'rowTotals', horizontal: true, tall: true },
  // Prosecutions and equity (issue 15).
  { name: 'charges_by_provision_and_form', kind: 'stacked', horizontal: true, tall: true },
  { name: 'charges_by_provision_and_outcome', kind: 'stacked', horizontal: true, tall: true },
  { name: 'equity_referrals_by_group', kind: 'single', horizontal: true },
  { name: 'equity_identification_by_group', kind: 'grouped' },
  { name: 'equity_service_referrals_by_group', kind: 'stacked', horizontal: true },
  { name: 'equity_unmet_needs_by_group', kind: 'single', horizontal: true },
];

function TableSection({
  spec,
  named,
  filter,
}: {
  spec: (typeof CHARTS)[number];
  named: NamedTable;
  filter: StatisticsFilter;
}) {
  const { t } = useTranslation();
  const { table } = named;
  const rowLabels = table.rows.categories.map((code) => categoryName(t, table.rows.name, code));
  const title = t(`statistics.tables.${named.name}.title`, { defaultValue: named.title });
  const columns = table.columns;
  let series: Series[];
  let cells: (Cell | null | undefined)[];
  if (spec.kind === 'rowTotals' || !columns) {
    cells = spec.kind === 'rowTotals' ? (table.rowTotals ?? []) : table.body.map((row) => row[0]);
    series = [{ label: title, values: table.rows.categories.map((_, i) => cellNumber(cells[i])) }];
  } else {
    cells = table.body.flat();
    series = columns.categories.map((code, j) => ({
      label: categoryName(t, columns.name, code),
      values: table.rows.categories.map((_, i) => cellNumber(table.body[i]?.[j])),
    }));
  }
  return (
    <StatSection
      id={`stat-${named.name}`}
      title={title}
      description={t(`statistics.tables.${named.name}.text`, { defaultValue: named.title })}
      chart={{
        kind: 'bar',
        labels: rowLabels,
        series,
        summary: chartSummary(t, title, rowLabels, series),
        horizontal: spec.horizontal ?? false,
        stacked: spec.kind === 'stacked',
        tall: spec.tall ?? false,
      }}
      gaps={cells.some(isSuppressed)}
      table={<StatTableView id={`table-${named.name}`} caption={title} table={table} />}
      csvUrl={statisticsApi.csvUrl(named.name, filter)}
    />
  );
}

function MonthlySection({ report, filter }: { report: StatisticsReportView; filter: StatisticsFilter }) {
  const { t } = useTranslation();
  const points = monthlySeries(report.referralsByMonth, filter.from, filter.to, report.exact);
  const children = new Map(
    monthlySeries(report.childrenByMonth, filter.from, filter.to, report.exact).map((p) => [p.month, p.cell]),
  );
  const labels = points.map((p) => monthName(p.month));
  const title = t('statistics.byMonth.title');
  const series = [
    { label: t('statistics.byMonth.series'), values: points.map((p) => cellNumber(p.cell)) },
    {
      label: t('statistics.byMonth.children'),
      values: points.map((p) => cellNumber(children.get(p.month))),
    },
  ];
  // One table of both series: a row per month, a column for referrals and one for children.
  const table: StatTable = {
    ...report.referralsByMonth,
    columns: { name: 'measure', categories: ['referrals', 'children'] },
    rowTotals: null,
    columnTotals: null,
    total: null,
  };
  return (
    <StatSection
      id="stat-referrals_by_month"
      title={title}
      description={t('statistics.byMonth.text')}
      chart={{
        kind: points.length > 1 ? 'line' : 'bar',
        labels,
        series,
        summary: chartSummary(t, title, labels, series),
      }}
      gaps={points.some((p) => isSuppressed(p.cell) || isSuppressed(children.get(p.month)))}
      table={
        <StatTableView
          id="table-referrals_by_month"
          caption={title}
          table={table}
          categories={points.map((p) => ({ code: p.month, cells: [p.cell, children.get(p.month)] }))}
        />
      }
    />
  );
}

function Headline({
  label,
  cell,
  note,
  unit = 'count',
  reason,
}: {
  label: string;
  cell: Cell | null;
  note?: string | undefined;
  unit?: 'count' | 'percent' | 'days';
  /** The rule that suppresses this figure, when not "fewer than 6" (e.g. fewer than 20 decisions). */
  reason?: string;
}) {
  const { t } = useTranslation();
  const suppressed = isSuppressed(cell);
  const value = cellNumber(cell);
  const shown =
    value === null || suppressed || unit === 'count'
      ? cellText(cell)
      : unit === 'percent'
        ? `${cellText(cell)}%`
        : t('statistics.headline.days', { count: value });
  return (
    <div className="headline-item">
      <dt className="headline-label">{label}</dt>
      <dd className="headline-value">
        {cell === null ? t('statistics.headline.none') : shown}
        {suppressed ? (
          <span className="visually-hidden"> ({reason ?? t('statistics.markers.primary')})</span>
        ) : null}
      </dd>
      {note ? <dd className="headline-note">{note}</dd> : null}
    </div>
  );
}

function Report({ report, filter }: { report: StatisticsReportView; filter: StatisticsFilter }) {
  const { t } = useTranslation();
  const { headline } = report;
  return (
    <>
      <h2 className="section-heading">{t('statistics.headline.heading')}</h2>
      <dl className="headline">
        <Headline label={t('statistics.headline.referrals')} cell={headline.referrals} />
        <Headline
          label={t('statistics.headline.children')}
          cell={headline.distinctChildren}
          note={t('statistics.headline.childrenNote')}
        />
        <Headline
          label={t('statistics.headline.onTime')}
          cell={headline.reasonableGroundsOnTime}
          note={t('statistics.headline.onTimeNote')}
          unit="percent"
          reason={t('statistics.markers.fewDecisions')}
        />
        <Headline
          label={t('statistics.headline.rgMedian')}
          cell={headline.reasonableGroundsMedianDays}
          note={t('statistics.headline.rgMedianNote')}
          unit="days"
          reason={t('statistics.markers.fewDecisions')}
        />
        <Headline
          label={t('statistics.headline.waitMedian')}
          cell={headline.serviceWaitMedianDays}
          note={t('statistics.headline.waitMedianNote')}
          unit="days"
          reason={t('statistics.markers.fewAccepted')}
        />
      </dl>
      <MonthlySection report={report} filter={filter} />
      {CHARTS.map((spec) => {
        const named = report.tables.find((x) => x.name === spec.name);
        return named ? <TableSection key={spec.name} spec={spec} named={named} filter={filter} /> : null;
      })}
      <EquityMedians report={report} />
    </>
  );
}

/** Medians for tamariki Māori beside Pacific and other children, suppressed under 20. */
function EquityMedians({ report }: { report: StatisticsReportView }) {
  const { t } = useTranslation();
  const show = (cell: Cell | null) =>
    cell === null
      ? t('statistics.equity.noneInPeriod')
      : isSuppressed(cell)
        ? t('statistics.equity.suppressed')
        : cellText(cell);
  return (
    <section className="stat-section" aria-labelledby="stat-equity-medians">
      <h3 id="stat-equity-medians">{t('statistics.equity.mediansTitle')}</h3>
      <p className="hint">{t('statistics.equity.mediansText')}</p>
      <div className="table-wrap">
        <table className="table table-compact stat-table table-stack stat-stack" id="table-equity-medians">
          <thead>
            <tr>
              <th scope="col">{t('statistics.equity.group')}</th>
              <th scope="col">{t('statistics.equity.rgMedian')}</th>
              <th scope="col">{t('statistics.equity.waitMedian')}</th>
            </tr>
          </thead>
          <tbody>
            {report.equity.map((m) => (
              <tr key={m.group}>
                <th scope="row">{categoryName(t, 'equity group', m.group)}</th>
                <td data-label={t('statistics.equity.rgMedian')}>{show(m.reasonableGroundsMedianDays)}</td>
                <td data-label={t('statistics.equity.waitMedian')}>{show(m.serviceWaitMedianDays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Whether the loaded report is the one asked for (not the last one, still shown while the next loads). */
function sameAsShown(report: StatisticsReportView, filter: StatisticsFilter): boolean {
  return (
    report.period.from === filter.from &&
    report.period.to === filter.to &&
    (report.period.region ?? '') === (filter.region ?? '') &&
    report.exact === Boolean(filter.exact)
  );
}

function quarterName(t: TFunction, quarter: { year: number; quarter: number }): string {
  const key = (['q1', 'q2', 'q3', 'q4'] as const)[quarter.quarter - 1] ?? 'q1';
  return t(`statistics.filter.quarters.${key}`, { year: quarter.year });
}

/** Loads the report for the period, region and kind of numbers asked for. */
function useReport(from: string, to: string, region: string, exact: boolean) {
  const load = useCallback(
    () => statisticsApi.report({ from, to, region: region || undefined, exact }),
    [from, to, region, exact],
  );
  return useLoad(load);
}

/** /statistics: de-identified statistics for a period and region, published (rounded) or exact. */
export function StatisticsPage() {
  const { t } = useTranslation();
  const control = useStatisticsFilter(lastCompleteQuarter());
  const { period, region, exact, filter } = control;

  const { state, reload } = useReport(period.from, period.to, region, exact);

  // Standard periods only: published numbers are for a whole month, quarter or year.
  const lastYear =
    Number(lastCompleteQuarter().from.slice(0, 4)) - (lastCompleteQuarter().quarter === 4 ? 0 : 1);
  const picks = [
    ...[0, 1, 2, 3, 4]
      .map((back) => wholeQuarter(back))
      .map((q) => ({
        key: `${q.year}-q${q.quarter}`,
        label: quarterName(t, q),
        ...q,
      })),
    {
      key: `year-${lastYear}`,
      label: t('statistics.filter.wholeYear', { year: lastYear }),
      from: `${lastYear}-01-01`,
      to: `${lastYear}-12-31`,
    },
  ];

  return (
    <Page title={t('statistics.title')} lead={t('statistics.lead')}>
      <StatisticsNav />
      <ExactBanner exact={exact} />
      <FilterForm control={control} submitLabel={t('statistics.filter.show')} />
      <QuickPicks control={control} picks={picks} />
      <ExactToggle control={control} />
      <ShowingLine control={control} />
      <MethodNotice exact={exact} />

      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        sameAsShown(state.data, filter) ? (
          <Report report={state.data} filter={filter} />
        ) : (
          <p role="status" className="loading">
            {t('app.loading')}
          </p>
        )
      ) : null}
    </Page>
  );
}
