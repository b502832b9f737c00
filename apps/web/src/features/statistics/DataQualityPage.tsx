import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { newZealandToday, type DataQualityRow } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { ScrollingTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatNumber, formatPercent } from '../../i18n/format.ts';
import { statisticsApi } from './api.ts';
import { COMPLETENESS, dataQualityCsv, OTHER, type Share } from './dataQualityCsv.ts';
import { monthLongName } from './labels.ts';
import { StatisticsNav } from './StatisticsNav.tsx';
import './statistics.css';

const pad = (n: number) => String(n).padStart(2, '0');

/** Recent standard periods by name, latest first: the last 6 full months, 4 quarters and 2 years. */
export function recentPeriods(today = newZealandToday(new Date())): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const months: string[] = [];
  for (let i = 1; i <= 6; i += 1) {
    const index = year * 12 + (month - 1) - i;
    months.push(`${Math.floor(index / 12)}-${pad((index % 12) + 1)}`);
  }
  const quarter = Math.floor((month - 1) / 3) + 1;
  const quarters: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const index = year * 4 + (quarter - 1) - i;
    quarters.push(`${Math.floor(index / 4)}Q${(index % 4) + 1}`);
  }
  return [...months, ...quarters, String(year), String(year - 1)];
}

/** The last full month: what the page shows first. */
const lastMonth = () => recentPeriods()[0] ?? '';

/** "2 (67%)": how many, and their share of the organisation's referrals. */
const countAndShare = (n: number, of: number) => (of ? `${formatNumber(n)} (${formatPercent(n / of)})` : '—');

function QualityTable({
  caption,
  rows,
  columns,
  median = false,
}: {
  caption: string;
  rows: readonly DataQualityRow[];
  columns: readonly Share[];
  median?: boolean;
}) {
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
          <th scope="col">{t('statistics.quality.organisation')}</th>
          <th scope="col" className="cell-number">
            {t('statistics.quality.referrals')}
          </th>
          {median ? (
            <th scope="col" className="cell-number">
              {t('statistics.quality.medianDays')}
            </th>
          ) : null}
          {columns.map((key) => (
            <th key={key} scope="col" className="cell-number">
              {t(`statistics.quality.columns.${key}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.organisation}>
            <th scope="row" className="cell-plain">
              {row.organisation}
            </th>
            <td className="cell-number" data-label={t('statistics.quality.referrals')}>
              {formatNumber(row.referrals)}
            </td>
            {median ? (
              <td className="cell-number" data-label={t('statistics.quality.medianDays')}>
                {row.medianDaysToReferral === null ? '—' : formatNumber(row.medianDaysToReferral)}
              </td>
            ) : null}
            {columns.map((key) => (
              <td key={key} className="cell-number" data-label={t(`statistics.quality.columns.${key}`)}>
                {countAndShare(row[key], row.referrals)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}

/** Data stewards: the quality of each organisation's referrals in a month, quarter or year (exact). */
export function DataQualityPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('period');
  const load = useCallback(() => statisticsApi.dataQuality(chosen ?? lastMonth()), [chosen]);
  const recent = recentPeriods();
  // A period from a shared link stays choosable even when it is no longer recent.
  const periods = chosen && !recent.includes(chosen) ? [chosen, ...recent] : recent;
  const period = chosen ?? lastMonth();
  const { state, reload } = useLoad(load);

  const periodName = (name: string) =>
    /^\d{4}-\d{2}$/.test(name)
      ? monthLongName(name)
      : /Q/.test(name)
        ? t('statistics.quality.quarter', { quarter: name.slice(5), year: name.slice(0, 4) })
        : name;

  return (
    <Page
      title={t('statistics.quality.title')}
      heading={t('statistics.quality.title')}
      lead={t('statistics.quality.lead')}
    >
      <StatisticsNav />
      <p className="notice">{t('statistics.quality.exactNotice')}</p>
      <SelectField
        label={t('statistics.quality.period')}
        name="period"
        value={period}
        onChange={(value) => {
          setParams({ period: value }, { replace: true });
        }}
        options={periods.map((p) => ({ value: p, label: periodName(p) }))}
      />
      {state.status === 'ready' ? (
        state.data.organisations.length === 0 ? (
          <p>{t('statistics.quality.none', { period: periodName(period) })}</p>
        ) : (
          <>
            <QualityTable
              caption={t('statistics.quality.completenessCaption', { period: periodName(period) })}
              rows={state.data.organisations}
              columns={COMPLETENESS}
            />
            <QualityTable
              caption={t('statistics.quality.otherCaption', { period: periodName(period) })}
              rows={state.data.organisations}
              columns={OTHER}
              median
            />
            <p>
              <a
                className="button"
                download={`data-quality_${period}.csv`}
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(dataQualityCsv(state.data.organisations))}`}
              >
                {t('statistics.quality.download')}
              </a>
            </p>
            <h2 className="section-heading">{t('statistics.quality.howHeading')}</h2>
            <ul className="list">
              <li>{t('statistics.quality.how.completeness')}</li>
              <li>{t('statistics.quality.how.timeliness')}</li>
              <li>{t('statistics.quality.how.linked')}</li>
              <li>{t('statistics.quality.how.other')}</li>
            </ul>
          </>
        )
      ) : (
        <LoadStatus state={state} onRetry={() => void reload()} />
      )}
    </Page>
  );
}
