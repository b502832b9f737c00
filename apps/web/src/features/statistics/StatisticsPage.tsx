import { useCallback, useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { REGIONS, type StatisticsReportView } from '@tiaki/domain';
import { Choice, SelectField, TextField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { regionName } from '../referrals/labels.ts';
import { statisticsApi, type StatisticsFilter } from './api.ts';
import { categoryName, monthName } from './labels.ts';
import { isIsoDate, lastTwelveMonths, recentQuarters, type Period } from './periods.ts';
import type { Series } from './StatChart.tsx';
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
  { name: 'referrals_by_referrer', kind: 'single', horizontal: true },
  { name: 'decisions_by_kind_and_outcome', kind: 'grouped' },
  { name: 'service_referrals_by_need_and_status', kind: 'stacked', horizontal: true, tall: true },
  { name: 'unmet_needs_by_need_and_region', kind: 'rowTotals', horizontal: true, tall: true },
];

/** The chart's text alternative: what it shows and its largest values. */
function chartSummary(t: TFunction, title: string, labels: string[], series: Series[]): string {
  const parts = [t('statistics.chartOf', { title })];
  if (series.length === 1 && series[0]) {
    const values = series[0].values;
    const ranked = labels
      .map((label, i) => ({ label, value: values[i] ?? null }))
      .filter((x): x is { label: string; value: number } => x.value !== null && x.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, 3);
    parts.push(
      ranked.length
        ? t('statistics.chartLargest', {
            list: ranked.map((x) => `${x.label} ${formatNumber(x.value)}`).join(', '),
          })
        : t('statistics.chartNothing'),
    );
  } else {
    parts.push(t('statistics.chartGroups', { groups: series.map((s) => s.label).join(', ') }));
  }
  const gaps = series.reduce((n, s) => n + s.values.filter((v) => v === null).length, 0);
  if (gaps) parts.push(t('statistics.chartGaps', { count: gaps }));
  parts.push(t('statistics.chartTable'));
  return parts.join(' ');
}

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
  const labels = points.map((p) => monthName(p.month));
  const title = t('statistics.byMonth.title');
  const series = [{ label: t('statistics.byMonth.series'), values: points.map((p) => cellNumber(p.cell)) }];
  const table: StatTable = report.referralsByMonth;
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
      gaps={points.some((p) => isSuppressed(p.cell))}
      table={
        <StatTableView
          id="table-referrals_by_month"
          caption={title}
          table={table}
          categories={points.map((p) => ({ code: p.month, cells: [p.cell] }))}
        />
      }
    />
  );
}

function Headline({
  label,
  cell,
  note,
  percent = false,
}: {
  label: string;
  cell: Cell | null;
  note?: string | undefined;
  percent?: boolean;
}) {
  const { t } = useTranslation();
  const suppressed = isSuppressed(cell);
  return (
    <div className="headline-item">
      <dt className="headline-label">{label}</dt>
      <dd className="headline-value">
        {cell === null
          ? t('statistics.headline.none')
          : `${cellText(cell)}${percent && !suppressed ? '%' : ''}`}
        {suppressed ? <span className="visually-hidden"> ({t('statistics.markers.primary')})</span> : null}
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
          percent
        />
      </dl>
      <MonthlySection report={report} filter={filter} />
      {CHARTS.map((spec) => {
        const named = report.tables.find((x) => x.name === spec.name);
        return named ? <TableSection key={spec.name} spec={spec} named={named} filter={filter} /> : null;
      })}
    </>
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
  const can = useCan();
  const mayExact = can('statistics.exact');
  const [params, setParams] = useSearchParams();
  const fallback = lastTwelveMonths();
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const period: Period =
    isIsoDate(fromParam) && isIsoDate(toParam) && fromParam <= toParam
      ? { from: fromParam, to: toParam }
      : fallback;
  const regionParam = params.get('region') ?? '';
  const region = REGIONS.some((r) => r.code === regionParam) ? regionParam : '';
  const exact = mayExact && params.get('exact') === 'true';
  const filter: StatisticsFilter = { ...period, region: region || undefined, exact };

  const { state, reload } = useReport(period.from, period.to, region, exact);

  const [draft, setDraft] = useState({ from: period.from, to: period.to, region });
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});

  const go = (next: { from: string; to: string; region: string; exact: boolean }) => {
    const search = new URLSearchParams({ from: next.from, to: next.to });
    if (next.region) search.set('region', next.region);
    if (next.exact) search.set('exact', 'true');
    setDraft({ from: next.from, to: next.to, region: next.region });
    setErrors({});
    setParams(search);
  };

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const found: { from?: string; to?: string } = {};
    if (!isIsoDate(draft.from)) found.from = t('statistics.filter.dateInvalid');
    if (!isIsoDate(draft.to)) found.to = t('statistics.filter.dateInvalid');
    else if (isIsoDate(draft.from) && draft.to < draft.from) found.to = t('statistics.filter.toBeforeFrom');
    setErrors(found);
    if (found.from || found.to) return;
    go({ ...draft, exact });
  };

  const picks = [
    { key: 'last12', label: t('statistics.filter.last12'), ...fallback },
    ...recentQuarters().map((q) => ({ key: `${q.year}-q${q.quarter}`, label: quarterName(t, q), ...q })),
  ];
  const pickHref = (p: Period) => {
    const search = new URLSearchParams({ from: p.from, to: p.to });
    if (region) search.set('region', region);
    if (exact) search.set('exact', 'true');
    return `?${search.toString()}`;
  };

  const place = region ? regionName(region) : t('statistics.allRegions');

  return (
    <Page title={t('statistics.title')} lead={t('statistics.lead')}>
      <StatisticsNav />
      {exact ? (
        <div
          className="alert alert-error exact-banner"
          role="note"
          aria-label={t('statistics.exact.bannerTitle')}
        >
          <p className="alert-title">{t('statistics.exact.bannerTitle')}</p>
          <p>{t('statistics.exact.bannerText')}</p>
        </div>
      ) : null}

      <form
        className="form filter-form"
        onSubmit={onSubmit}
        noValidate
        aria-label={t('statistics.filter.label')}
      >
        <div className="filter-fields">
          <TextField
            label={t('statistics.filter.from')}
            name="from"
            type="date"
            value={draft.from}
            error={errors.from}
            onChange={(value) => {
              setDraft((d) => ({ ...d, from: value }));
            }}
          />
          <TextField
            label={t('statistics.filter.to')}
            name="to"
            type="date"
            value={draft.to}
            error={errors.to}
            onChange={(value) => {
              setDraft((d) => ({ ...d, to: value }));
            }}
          />
          <SelectField
            label={t('statistics.filter.region')}
            name="region"
            options={[
              { value: '', label: t('statistics.allRegions') },
              ...REGIONS.map((r) => ({ value: r.code, label: r.name })),
            ]}
            value={draft.region}
            onChange={(value) => {
              setDraft((d) => ({ ...d, region: value }));
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t('statistics.filter.show')}
          </button>
        </div>
      </form>

      <nav aria-label={t('statistics.filter.quickLabel')} className="quick-picks">
        <p className="quick-picks-label">{t('statistics.filter.quickLabel')}</p>
        <ul className="quick-pick-list">
          {picks.map((p) => {
            const current = p.from === period.from && p.to === period.to;
            return (
              <li key={p.key}>
                <Link
                  to={pickHref(p)}
                  className={current ? 'chip chip-current' : 'chip'}
                  aria-current={current ? 'true' : undefined}
                  onClick={() => {
                    setDraft((d) => ({ ...d, from: p.from, to: p.to }));
                    setErrors({});
                  }}
                >
                  {p.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      {mayExact ? (
        <div className="exact-toggle">
          <Choice
            id="statistics-exact"
            type="checkbox"
            name="exact"
            value="true"
            label={t('statistics.exact.toggle')}
            hint={t('statistics.exact.hint')}
            checked={exact}
            invalid={false}
            onChange={(checked) => {
              go({ from: period.from, to: period.to, region, exact: checked });
            }}
          />
        </div>
      ) : null}

      <p className="meta" role="status">
        {t('statistics.showing', { from: formatDate(period.from), to: formatDate(period.to), place })}
      </p>

      <div className="notice stat-method">
        <h2 className="subheading">{t('statistics.method.heading')}</h2>
        <p>{exact ? t('statistics.method.exact') : t('statistics.method.text')}</p>
        {exact ? null : (
          <dl className="stat-legend">
            <dt>*</dt>
            <dd>{t('statistics.markers.primary')}</dd>
            <dt>S</dt>
            <dd>{t('statistics.markers.secondary')}</dd>
          </dl>
        )}
      </div>

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
