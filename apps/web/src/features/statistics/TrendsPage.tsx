import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { SelectField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { ScrollingTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDayMonth, formatNumber } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { statisticsApi, type StatisticsFilter, type TrendsReport } from './api.ts';
import {
  ExactBanner,
  ExactToggle,
  FilterForm,
  MethodNotice,
  QuickPicks,
  ShowingLine,
  useStatisticsFilter,
} from './filters.tsx';
import { monthLongName, monthName } from './labels.ts';
import { lastFullMonths } from './periods.ts';
import { chartSummary } from './StatChart.tsx';
import { StatisticsNav } from './StatisticsNav.tsx';
import { StatSection, ValueCell } from './StatSection.tsx';
import { StewardTools } from './StewardTools.tsx';
import { TrendChart } from './TrendChart.tsx';
import { trendRows, type TrendRow } from './trendRows.ts';
import { WeeklyTrends } from './WeeklyTrends.tsx';
import { cellNumber, cellText, isSuppressed } from './values.ts';
import './statistics.css';
import './trends.css';

/** "4 July 2026 to 19 July 2026", or one date when it is a single day. */
function dateRange(t: TFunction, start: string, end: string, format = formatDate): string {
  return start === end
    ? format(start)
    : t('statistics.trends.range', { from: format(start), to: format(end) });
}

/** What was happening in a month, as short phrases for the table and the summary. */
function happenings(t: TFunction, row: TrendRow) {
  return {
    schoolHolidays: row.schoolHolidays.map((h) => dateRange(t, h.start, h.end, formatDayMonth)),
    publicHolidays: row.publicHolidays.map((h) =>
      t('statistics.trends.dated', { name: h.name, when: formatDayMonth(h.date) }),
    ),
    events: row.events.map((e) =>
      t('statistics.trends.dated', { name: e.name, when: dateRange(t, e.start, e.end) }),
    ),
  };
}

/** In words: the months well above their usual level, and what was happening then. */
function TrendsSummary({ rows }: { rows: TrendRow[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  const unusual = rows.filter((r) => r.unusual);
  return (
    <section className="stat-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('statistics.trends.summary.heading')}
      </h2>
      {unusual.length ? (
        <>
          <p>{t('statistics.trends.summary.intro', { count: unusual.length })}</p>
          <ul className="list trends-unusual-list">
            {unusual.map((row) => {
              const named = happenings(t, row);
              const parts = [
                t('statistics.trends.summary.month', {
                  count: cellNumber(row.referrals) ?? 0,
                  value: cellText(row.referrals),
                  baseline: formatNumber(row.baseline ?? 0),
                }),
                ...(named.schoolHolidays.length
                  ? [t('statistics.trends.summary.schoolHolidays', { list: named.schoolHolidays.join('; ') })]
                  : []),
                ...(named.events.length
                  ? [t('statistics.trends.summary.events', { list: named.events.join('; ') })]
                  : []),
                ...(named.publicHolidays.length
                  ? [t('statistics.trends.summary.publicHolidays', { list: named.publicHolidays.join('; ') })]
                  : []),
              ];
              if (parts.length === 1) parts.push(t('statistics.trends.summary.nothingNamed'));
              return (
                <li key={row.month}>
                  <strong>{monthLongName(row.month)}</strong>: {parts.join(' ')}
                </li>
              );
            })}
          </ul>
          <p className="hint">{t('statistics.trends.summary.caution')}</p>
        </>
      ) : (
        <p>
          {rows.some((r) => r.baseline !== null)
            ? t('statistics.trends.summary.none')
            : t('statistics.trends.summary.noBaseline')}
        </p>
      )}
    </section>
  );
}

/** A number that may be missing: a dash, and why for screen readers. */
function Maybe({ value, why, label }: { value: number | null; why: string; label?: string | undefined }) {
  return (
    <td className="cell-number" data-label={label}>
      {value === null ? (
        <>
          <span aria-hidden="true">–</span>
          <span className="visually-hidden">{why}</span>
        </>
      ) : (
        formatNumber(value)
      )}
    </td>
  );
}

/** Every number of the chart, month by month, with what was happening. */
function TrendTable({ rows, series, caption }: { rows: TrendRow[]; series: string[]; caption: string }) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <ScrollingTable
      captionId={captionId}
      caption={caption}
      className="table table-compact stat-table table-stack stat-stack"
    >
      <thead>
        <tr>
          <th scope="col">{t('statistics.trends.table.month')}</th>
          <th scope="col" className="cell-number">
            {t('statistics.trends.table.referrals')}
          </th>
          <th scope="col" className="cell-number">
            {t('statistics.trends.table.baseline')}
          </th>
          <th scope="col">{t('statistics.trends.table.unusual')}</th>
          <th scope="col">{t('statistics.trends.table.schoolHolidays')}</th>
          <th scope="col">{t('statistics.trends.table.publicHolidays')}</th>
          <th scope="col">{t('statistics.trends.table.events')}</th>
          {series.map((name) => (
            <th key={name} scope="col" className="cell-number">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const named = happenings(t, row);
          return (
            <tr key={row.month} className={row.unusual ? 'trend-row-unusual' : undefined}>
              <th scope="row" className="cell-plain">
                {monthName(row.month)}
              </th>
              <ValueCell cell={row.referrals} label={t('statistics.trends.table.referrals')} />
              <Maybe
                value={row.baseline}
                why={t('statistics.trends.table.noBaseline')}
                label={t('statistics.trends.table.baseline')}
              />
              <td data-label={t('statistics.trends.table.unusual')}>
                {row.unusual ? (
                  <strong>{t('statistics.trends.table.yes')}</strong>
                ) : (
                  t('statistics.trends.table.no')
                )}
              </td>
              <td data-label={t('statistics.trends.table.schoolHolidays')}>
                {named.schoolHolidays.join('; ')}
              </td>
              <td data-label={t('statistics.trends.table.publicHolidays')}>
                {named.publicHolidays.join('; ')}
              </td>
              <td data-label={t('statistics.trends.table.events')}>{named.events.join('; ')}</td>
              {row.external.map((value, i) => (
                <Maybe
                  key={series[i] ?? i}
                  value={value}
                  why={t('statistics.trends.table.noData')}
                  label={series[i]}
                />
              ))}
            </tr>
          );
        })}
      </tbody>
    </ScrollingTable>
  );
}

/** School holidays, events and public holidays of the period, as lists: the chart's shading in words. */
function Context({ report }: { report: TrendsReport }) {
  const { t } = useTranslation();
  const headingId = useId();
  const { schoolHolidays, events, publicHolidays } = report.overlays;
  return (
    <section className="stat-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('statistics.trends.context.heading')}
      </h2>
      <h3 className="subheading">{t('statistics.trends.context.schoolHolidays')}</h3>
      <p className="hint">{t('statistics.trends.context.schoolHolidaysNote')}</p>
      {schoolHolidays.length ? (
        <ul className="list" aria-label={t('statistics.trends.context.schoolHolidays')}>
          {schoolHolidays.map((h) => (
            <li key={h.start}>{dateRange(t, h.start, h.end)}</li>
          ))}
        </ul>
      ) : (
        <p>{t('statistics.trends.context.noSchoolHolidays')}</p>
      )}
      <h3 className="subheading">{t('statistics.trends.context.events')}</h3>
      {events.length ? (
        <ul className="list" aria-label={t('statistics.trends.context.events')}>
          {events.map((e) => (
            <li key={e.id}>
              {t('statistics.trends.dated', { name: e.name, when: dateRange(t, e.start, e.end) })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('statistics.trends.context.noEvents')}</p>
      )}
      {publicHolidays.length ? (
        <details className="stat-details">
          <summary className="stat-summary">
            {t('statistics.trends.context.publicHolidays', { count: publicHolidays.length })}
          </summary>
          <p className="hint">{t('statistics.trends.context.publicHolidaysNote')}</p>
          <ul className="list">
            {publicHolidays.map((h) => (
              <li key={`${h.date}-${h.name}`}>
                {t('statistics.trends.dated', { name: h.name, when: formatDate(h.date) })}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The chart's text alternative: the dashboard's summary, then what is marked and shaded. */
function trendSummary(
  t: TFunction,
  title: string,
  rows: TrendRow[],
  labels: string[],
  external: string | null,
) {
  const months = (pick: (row: TrendRow) => boolean) =>
    rows
      .filter(pick)
      .map((r) => monthName(r.month))
      .join(', ');
  const unusual = months((r) => r.unusual);
  const holidays = months((r) => r.schoolHolidays.length > 0);
  const events = months((r) => r.events.length > 0);
  return chartSummary(
    t,
    title,
    labels,
    [{ label: t('statistics.trends.chart.referrals'), values: rows.map((r) => cellNumber(r.referrals)) }],
    [
      unusual
        ? t('statistics.trends.chart.summaryUnusual', { list: unusual })
        : t('statistics.trends.chart.summaryNoUnusual'),
      ...(holidays ? [t('statistics.trends.chart.summaryHolidays', { list: holidays })] : []),
      ...(events ? [t('statistics.trends.chart.summaryEvents', { list: events })] : []),
      ...(external ? [t('statistics.trends.chart.summaryExternal', { series: external })] : []),
    ],
  );
}

function Trends({
  report,
  compared,
  onCompare,
}: {
  report: TrendsReport;
  /** The imported series drawn beside referrals; '' for none. */
  compared: string;
  onCompare: (series: string) => void;
}) {
  const { t } = useTranslation();
  const rows = trendRows(report);
  const labels = rows.map((r) => monthName(r.month));
  const series = report.overlays.external.map((s) => s.series);
  const shown = series.indexOf(compared);
  const external =
    shown >= 0 ? { label: compared, values: rows.map((r) => r.external[shown] ?? null) } : undefined;
  const title = t('statistics.trends.chart.title');
  const caption = t('statistics.trends.table.caption');
  return (
    <>
      <TrendsSummary rows={rows} />
      <StatSection
        id="trends-by-month"
        title={title}
        description={t('statistics.trends.chart.text')}
        controls={
          series.length ? (
            <div className="trends-compare">
              <SelectField
                label={t('statistics.trends.compare.label')}
                hint={t('statistics.trends.compare.hint')}
                name="compare"
                options={[
                  { value: '', label: t('statistics.trends.compare.none') },
                  ...series.map((name) => ({ value: name, label: name })),
                ]}
                value={shown >= 0 ? compared : ''}
                onChange={onCompare}
              />
            </div>
          ) : (
            <p className="hint">{t('statistics.trends.compare.noSeries')}</p>
          )
        }
        figure={
          <TrendChart
            labels={labels}
            referrals={{
              label: t('statistics.trends.chart.referrals'),
              values: rows.map((r) => cellNumber(r.referrals)),
            }}
            baseline={{ label: t('statistics.trends.chart.baseline'), values: rows.map((r) => r.baseline) }}
            unusual={{ label: t('statistics.trends.chart.unusual'), flags: rows.map((r) => r.unusual) }}
            holidays={{
              label: t('statistics.trends.chart.holidays'),
              flags: rows.map((r) => r.schoolHolidays.length > 0),
            }}
            events={{
              label: t('statistics.trends.chart.events'),
              names: rows.map((r) => r.events.map((e) => e.name)),
            }}
            external={external}
            axis={t('statistics.trends.chart.referrals')}
            summary={trendSummary(t, title, rows, labels, external ? compared : null)}
          />
        }
        gaps={rows.some((r) => isSuppressed(r.referrals))}
        table={<TrendTable rows={rows} series={series} caption={caption} />}
      />
      <Context report={report} />
    </>
  );
}

/** Loads the trends for the filter, tagged with it so an answer for an earlier filter is never shown as this one's. */
function useTrends(filter: StatisticsFilter) {
  const { from, to, region, exact = false } = filter;
  const load = useCallback(async () => {
    const report = await statisticsApi.trends({ from, to, region, exact });
    return { key: [from, to, region ?? '', exact].join('|'), report };
  }, [from, to, region, exact]);
  return { ...useLoad(load), key: [from, to, region ?? '', exact].join('|') };
}

/** /statistics/trends: referrals by month against their usual level, beside holidays, events and other series. */
export function TrendsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const control = useStatisticsFilter(lastFullMonths(24));
  const { exact, filter } = control;
  const { state, reload, key } = useTrends(filter);
  const [compared, setCompared] = useState('');

  const picks = [
    { key: 'last24', label: t('statistics.trends.picks.last24'), ...lastFullMonths(24) },
    { key: 'last12', label: t('statistics.filter.last12'), ...lastFullMonths(12) },
    { key: 'last60', label: t('statistics.trends.picks.last60'), ...lastFullMonths(60) },
  ];

  return (
    <Page title={t('statistics.trends.title')} lead={t('statistics.trends.lead')}>
      <StatisticsNav />
      <ExactBanner exact={exact} />
      <FilterForm control={control} submitLabel={t('statistics.trends.show')} periods="months" />
      <QuickPicks control={control} picks={picks} />
      <ExactToggle control={control} />
      <ShowingLine control={control} />
      <MethodNotice exact={exact}>
        <p className="trends-method">{t('statistics.trends.method')}</p>
      </MethodNotice>

      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        state.data.key === key ? (
          <>
            <Trends report={state.data.report} compared={compared} onCompare={setCompared} />
            <WeeklyTrends filter={filter} />
          </>
        ) : (
          <p role="status" className="loading">
            {t('app.loading')}
          </p>
        )
      ) : null}

      {can('statistics.manage') ? (
        <StewardTools
          onEventSaved={async () => {
            await reload();
          }}
          onSeriesImported={async (series) => {
            await reload();
            // Show what was just imported, so the steward can check it.
            setCompared(series);
          }}
        />
      ) : null}
    </Page>
  );
}
