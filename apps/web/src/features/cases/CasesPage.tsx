import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { newZealandToday } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { FilterChips, nzToday, OverdueTag, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { manifestationNames, regionName } from '../referrals/labels.ts';
import { ChildSearch } from '../search/ChildSearch.tsx';
import { ageBandName } from '../triage/labels.ts';
import { casesApi } from './api.ts';

/**
 * /cases: the cases the person's organisation works on, a page at a time, sorted and filtered by
 * the server; what is shown is kept in the address. No names: open a case to see the child.
 */
export function CasesPage() {
  const { t } = useTranslation();
  const { list, query, change, hrefFor } = useListState();
  // Open cases unless the address says otherwise ("all" shows every status).
  const status = list.filters.status ?? 'open';
  const load = useCallback(
    () => casesApi.list({ ...query, status: status === 'all' ? undefined : status }),
    [query, status],
  );
  const { state, reload } = useLoad(load);
  const today = nzToday();
  const total = state.status === 'ready' ? state.data.total : 0;

  return (
    <Page title={t('cases.list.title')} lead={t('cases.list.lead')}>
      <ChildSearch />
      <div className="filter-fields">
        <SelectField
          label={t('cases.list.show')}
          name="status"
          options={[
            { value: 'open', label: t('cases.list.open') },
            { value: 'closed', label: t('cases.list.closed') },
            { value: 'all', label: t('cases.list.all') },
          ]}
          value={status}
          onChange={(value) => {
            change({ filters: { status: value === 'open' ? undefined : value } });
          }}
        />
      </div>
      <FilterChips
        filters={['mine', 'overdue', 'dueThisWeek']}
        active={list.filters}
        onToggle={(filter, on) => {
          change({ filters: { [filter]: on ? 'true' : undefined } });
        }}
      />
      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="cases"
        caption={t('cases.list.caption', { count: total })}
        list={list}
        defaultSort={{ sort: 'opened', dir: 'desc' }}
        onSort={(sort, dir) => {
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        columns={[
          { label: t('cases.list.columns.reference'), sortKey: 'reference' },
          { label: t('cases.list.columns.nextDeadline'), sortKey: 'due' },
          { label: t('cases.list.columns.identification') },
          { label: t('cases.list.columns.region'), sortKey: 'region' },
          { label: t('cases.list.columns.opened'), sortKey: 'opened' },
          { label: t('cases.list.columns.ageBand'), priority: 'low' },
          { label: t('cases.list.columns.manifestations'), priority: 'low' },
          { label: t('cases.list.columns.owner'), priority: 'low' },
        ]}
        empty={t('cases.list.empty')}
        renderRow={(item) => {
          const overdue = item.nextDeadline !== null && item.nextDeadline.dueOn < today;
          return (
            <tr key={item.id} className={overdue ? 'row-overdue' : undefined}>
              <td className="cell-name cell-nowrap" data-label={t('cases.list.columns.reference')}>
                <Link to={`/cases/${encodeURIComponent(item.id)}`} className="link">
                  {item.reference}
                </Link>
                {item.status === 'closed' ? (
                  <span className="cell-note">{t('cases.statuses.closed')}</span>
                ) : null}
              </td>
              <td className="cell-nowrap" data-label={t('cases.list.columns.nextDeadline')}>
                {item.nextDeadline ? (
                  <>
                    <time dateTime={item.nextDeadline.dueOn}>{formatDate(item.nextDeadline.dueOn)}</time>
                    {overdue ? (
                      <>
                        {' '}
                        <OverdueTag />
                      </>
                    ) : null}
                    <span className="cell-note">{t(`decisions.kinds.${item.nextDeadline.kind}`)}</span>
                  </>
                ) : (
                  t('cases.summary.noDeadline')
                )}
              </td>
              <td data-label={t('cases.list.columns.identification')}>
                {t(`cases.identification.${item.identification}`)}
              </td>
              <td data-label={t('cases.list.columns.region')}>{regionName(item.region)}</td>
              <td className="cell-nowrap" data-label={t('cases.list.columns.opened')}>
                <time dateTime={item.openedAt}>{formatDate(newZealandToday(new Date(item.openedAt)))}</time>
              </td>
              <td className="cell-nowrap col-low" data-label={t('cases.list.columns.ageBand')}>
                {ageBandName(item.ageBand) ?? t('triage.notKnown')}
              </td>
              <td className="col-low" data-label={t('cases.list.columns.manifestations')}>
                {manifestationNames(item.manifestations)}
              </td>
              <td className="col-low" data-label={t('cases.list.columns.owner')}>
                {item.owner.name}
              </td>
            </tr>
          );
        }}
      />
    </Page>
  );
}
