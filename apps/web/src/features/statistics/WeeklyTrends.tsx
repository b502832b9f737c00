import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDayMonth, formatNumber } from '../../i18n/format.ts';
import { statisticsApi, type StatisticsFilter, type WeeklyTrendsReport } from './api.ts';
import { wholeWeeksWithin } from './periods.ts';
import { chartSummary } from './StatChart.tsx';
import { StatSection, ValueCell } from './StatSection.tsx';
import { cellNumber, isSuppressed } from './values.ts';

/** "Week 14 (30 Mar)": short enough for a chart's axis. */
const weekLabel = (week: string, start: string) => `${week.slice(5)} (${formatDayMonth(start)})`;

function WeeklyTable({ report, caption }: { report: WeeklyTrendsReport; caption: string }) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table table-compact stat-table">
        <caption id={captionId} className="caption">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('statistics.weekly.table.week')}</th>
            <th scope="col">{t('statistics.weekly.table.dates')}</th>
            <th scope="col" className="cell-number">
              {t('statistics.trends.table.referrals')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.points.map((p) => (
            <tr key={p.week}>
              <th scope="row" className="cell-plain">
                {p.week}
              </th>
              <td>
                {t('statistics.trends.range', { from: formatDayMonth(p.start), to: formatDayMonth(p.end) })}
              </td>
              <ValueCell cell={p.value} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Referrals by ISO week for the whole weeks inside the chosen months: a finer view for noticing
 * changes early, with its own, higher suppression threshold (stated on the screen).
 */
export function WeeklyTrends({ filter }: { filter: StatisticsFilter }) {
  const { t } = useTranslation();
  const weeks = wholeWeeksWithin(filter);
  const { region, exact = false } = filter;
  const from = weeks?.from ?? '';
  const to = weeks?.to ?? '';
  const key = [from, to, region ?? '', exact].join('|');
  const load = useCallback(async () => {
    if (!from) return { key: [from, to, region ?? '', exact].join('|'), report: null };
    const report = await statisticsApi.weeklyTrends({ from, to, region, exact });
    return { key: [from, to, region ?? '', exact].join('|'), report };
  }, [from, to, region, exact]);
  const { state, reload } = useLoad(load);
  const title = t('statistics.weekly.title');
  if (!weeks) return null;
  const report = state.status === 'ready' && state.data.key === key ? state.data.report : null;
  const labels = report?.points.map((p) => weekLabel(p.week, p.start)) ?? [];
  const values = report?.points.map((p) => cellNumber(p.value)) ?? [];
  const series = [{ label: t('statistics.trends.chart.referrals'), values }];
  return (
    <>
      <LoadStatus state={state} onRetry={() => void reload()} />
      {report ? (
        <StatSection
          id="trends-by-week"
          title={title}
          description={t('statistics.weekly.text', {
            threshold: formatNumber(report.threshold),
            from: formatDayMonth(report.points[0]?.start ?? from),
            to: formatDayMonth(report.points.at(-1)?.end ?? to),
          })}
          chart={{ kind: 'bar', labels, series, summary: chartSummary(t, title, labels, series) }}
          gaps={report.points.some((p) => isSuppressed(p.value))}
          table={<WeeklyTable report={report} caption={t('statistics.weekly.table.caption')} />}
        />
      ) : null}
    </>
  );
}
