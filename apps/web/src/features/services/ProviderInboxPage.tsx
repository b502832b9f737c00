import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SERVICE_REFERRAL_STATUSES, type ServiceReferralStatus } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { LoadedTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { ageBandName } from '../triage/labels.ts';
import { servicesApi } from './api.ts';

/** /service-referrals: a provider's inbox of referrals to its services. No child details in the list. */
export function ProviderInboxPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ServiceReferralStatus | ''>('');
  const load = useCallback(
    () => servicesApi.referrals({ view: 'provider', ...(status ? { status } : {}) }),
    [status],
  );
  const { state, reload } = useLoad(load);
  const rows = state.status === 'ready' ? state.data.serviceReferrals : [];

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
            setStatus(value as ServiceReferralStatus | '');
          }}
        />
      </div>
      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="provider-inbox"
        caption={t('serviceReferrals.inbox.caption', { count: rows.length })}
        columns={[
          t('serviceReferrals.columns.reference'),
          t('serviceReferrals.columns.received'),
          t('serviceReferrals.columns.service'),
          t('serviceReferrals.columns.need'),
          t('serviceReferrals.columns.child'),
          t('serviceReferrals.columns.status'),
          t('serviceReferrals.columns.respondBy'),
        ]}
        rows={rows}
        empty={t('serviceReferrals.inbox.empty')}
        renderRow={(sr) => (
          <tr key={sr.id}>
            <td className="cell-name cell-nowrap">
              <Link to={`/service-referrals/${encodeURIComponent(sr.id)}`} className="link">
                {sr.reference ?? t('serviceReferrals.open')}
              </Link>
              <span className="cell-note">
                {t('serviceReferrals.from', { organisation: sr.referrer.name })}
              </span>
            </td>
            <td className="cell-nowrap">{formatDateTime(sr.createdAt)}</td>
            <td>{sr.service.name}</td>
            <td>{t(`services.needTypes.${sr.needType}`)}</td>
            <td>
              {regionName(sr.region)}
              <span className="cell-note">{ageBandName(sr.ageBand) ?? t('triage.notKnown')}</span>
            </td>
            <td>
              <span className={`badge badge-sr-${sr.status}`}>
                {t(`serviceReferrals.statuses.${sr.status}`)}
              </span>
            </td>
            <td className="cell-nowrap">
              {formatDate(sr.respondBy)}
              {sr.overdue ? (
                <span className="cell-note cell-warning">{t('serviceReferrals.overdue')}</span>
              ) : null}
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
