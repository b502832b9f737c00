import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { LoadedTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { referralsApi } from './api.ts';
import { manifestationNames, regionName } from './labels.ts';

/** /referrals/mine: the referrals this person made, without names. */
export function MyReferralsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { state, reload } = useLoad(referralsApi.mine);
  const referrals = state.status === 'ready' ? state.data.referrals : [];

  return (
    <Page title={t('referrals.mine.title')} lead={t('referrals.mine.lead')}>
      {can('referrals.create') ? (
        <div className="actions">
          <Link to="/referrals/new" className="button">
            {t('referrals.mine.record')}
          </Link>
          <Link to="/referrals/drafts" className="button button-secondary">
            {t('referrals.drafts.title')}
          </Link>
        </div>
      ) : null}
      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="my-referrals"
        caption={t('referrals.mine.caption', { count: referrals.length })}
        columns={[
          t('referrals.mine.columns.reference'),
          t('referrals.mine.columns.submitted'),
          t('referrals.mine.columns.region'),
          t('referrals.mine.columns.manifestations'),
          t('referrals.mine.columns.status'),
          t('referrals.mine.columns.concernLevel'),
        ]}
        rows={referrals}
        empty={t('referrals.mine.empty')}
        renderRow={(referral) => (
          <tr key={referral.id}>
            <td className="cell-name cell-nowrap">
              {referral.reference}
              {referral.urgent ? (
                <>
                  {' '}
                  <span className="badge badge-urgent">{t('referrals.mine.urgent')}</span>
                </>
              ) : null}
            </td>
            <td className="cell-nowrap">
              <time dateTime={referral.submittedAt}>{formatDateTime(referral.submittedAt)}</time>
            </td>
            <td>{regionName(referral.region)}</td>
            <td className="cell-wide">{manifestationNames(referral.manifestations)}</td>
            <td>{t(`referrals.statuses.${referral.status}`)}</td>
            <td>
              <span className={`badge badge-concern-${referral.concernLevel}`}>
                {t(`referrals.screen.levels.${referral.concernLevel}`)}
              </span>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
