import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SERVICE_REFERRAL_STATUSES } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { FilterChips, OverdueTag, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { ageBandName } from '../triage/labels.ts';
import { servicesApi } from './api.ts';

/**
 * /service-referrals: a provider's inbox of referrals to its services, a page at a time, sorted and
 * filtered by the server (waiting for an answer and urgent first, unless sorted otherwise), with
 * what is shown kept in the address. No child details in the list.
 */
export function ProviderInboxPage() {
  const { t } = useTranslation();
  const { list, query, change, hrefFor } = useListState();
  const status = list.filters.status ?? '';
  const load = useCallback(() => servicesApi.referrals({ ...query, view: 'provider' }), [query]);
  const { state, reload } = useLoad(load);
  const total = state.status === 'ready' ? state.data.total : 0;

  return (
    <Page title={t('serviceReferrals.inbox.title')} lead={t('serviceReferrals.inbox.lead')}>
      <div className="filter-fields">
        <SelectField
          label={t('serviceReferrals.inbox.show')}
          name="status"
          options={[
            { value: '', label: t('serviceReferrals.inbox.all') },
            ...SERVICE_REFERRAL_STATUSES.filter((s) => s !== 'proposed').map((value) => ({
              value,
              label: t(`serviceReferrals.statuses.${value}`),
            })),
          ]}
          value={status}
          onChange={(value) => {
            change({ filters: { status: value || undefined } });
          }}
        />
      </div>
      <FilterChips
        filters={['overdue', 'dueThisWeek']}
        active={list.filters}
        onToggle={(filter, on) => {
          change({ filters: { [filter]: on ? 'true' : undefined } });
        }}
      />
      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="provider-inbox"
        caption={t('serviceReferrals.inbox.caption', { count: total })}
        list={list}
        defaultSort={{ sort: 'urgency', dir: 'asc' }}
        onSort={(sort, dir) => {
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        columns={[
          { label: t('serviceReferrals.columns.reference') },
          { label: t('serviceReferrals.columns.respondBy'), sortKey: 'respondBy' },
          { label: t('serviceReferrals.columns.status'), sortKey: 'status' },
          { label: t('serviceReferrals.columns.received'), sortKey: 'sent' },
          { label: t('serviceReferrals.columns.service'), sortKey: 'service' },
          { label: t('serviceReferrals.columns.need'), priority: 'low' },
          { label: t('serviceReferrals.columns.child'), priority: 'low' },
        ]}
        empty={t('serviceReferrals.inbox.empty')}
        renderRow={(sr) => (
          <tr key={sr.id} className={sr.overdue ? 'row-overdue' : undefined}>
            <td className="cell-name" data-label={t('serviceReferrals.columns.reference')}>
              <Link to={`/service-referrals/${encodeURIComponent(sr.id)}`} className="link">
                {sr.reference ?? t('serviceReferrals.open')}
              </Link>
              <span className="cell-note">
                {t('serviceReferrals.from', { organisation: sr.referrer.name })}
              </span>
            </td>
            <td className="cell-nowrap" data-label={t('serviceReferrals.columns.respondBy')}>
              <time dateTime={sr.respondBy}>{formatDate(sr.respondBy)}</time>
              {sr.urgency !== 'routine' ? (
                <span className="cell-note">
                  <span className={`badge badge-urgency-${sr.urgency}`}>
                    {t(`serviceReferrals.urgencies.${sr.urgency}`)}
                  </span>
                </span>
              ) : null}
              {sr.overdue ? (
                <>
                  {' '}
                  <OverdueTag />
                </>
              ) : null}
            </td>
            <td data-label={t('serviceReferrals.columns.status')}>
              <span className={`badge badge-sr-${sr.status}`}>
                {t(`serviceReferrals.statuses.${sr.status}`)}
              </span>
            </td>
            <td className="cell-nowrap" data-label={t('serviceReferrals.columns.received')}>
              {formatDateTime(sr.createdAt)}
            </td>
            <td data-label={t('serviceReferrals.columns.service')}>{sr.service.name}</td>
            <td className="col-low" data-label={t('serviceReferrals.columns.need')}>
              {t(`services.needTypes.${sr.needType}`)}
            </td>
            <td className="col-low" data-label={t('serviceReferrals.columns.child')}>
              {regionName(sr.region)}
              <span className="cell-note">{ageBandName(sr.ageBand) ?? t('triage.notKnown')}</span>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
