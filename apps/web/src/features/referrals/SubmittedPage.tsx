import { useCallback } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { referralAcknowledgement, type ReferralAcknowledgement } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { referralsApi } from './api.ts';
import { ConcernLevel } from './ConcernLevel.tsx';
import { UrgentActions } from './UrgentActions.tsx';

/** /referrals/:id/submitted: the acknowledgement, from the submission or read again after a reload. */
export function SubmittedPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const passed = referralAcknowledgement.safeParse(
    (location.state as { acknowledgement?: unknown } | null)?.acknowledgement,
  );
  const acknowledgement = passed.success && passed.data.id === id ? passed.data : null;
  return acknowledgement ? (
    <Acknowledgement acknowledgement={acknowledgement} />
  ) : (
    <LoadAcknowledgement id={id} />
  );
}

function LoadAcknowledgement({ id }: { id: string }) {
  const { t } = useTranslation();
  const load = useCallback(() => referralsApi.acknowledgement(id), [id]);
  const { state, reload } = useLoad(load);
  if (state.status === 'ready') return <Acknowledgement acknowledgement={state.data} />;
  return (
    <Page title={t('referrals.submitted.title')} transient={state.status === 'loading'}>
      <LoadStatus state={state} onRetry={() => void reload()} />
    </Page>
  );
}

function Acknowledgement({ acknowledgement: ack }: { acknowledgement: ReferralAcknowledgement }) {
  const { t } = useTranslation();
  return (
    <Page
      title={t('referrals.submitted.title')}
      heading={t('referrals.submitted.heading', { reference: ack.reference })}
    >
      <div className="alert alert-success">
        <p>{t('referrals.submitted.lead')}</p>
      </div>
      {ack.urgent ? <UrgentActions actions={ack.urgentActions} submitted /> : null}
      <dl className="summary">
        <div>
          <dt>{t('referrals.submitted.reference')}</dt>
          <dd className="reference">{ack.reference}</dd>
        </div>
        <div>
          <dt>{t('referrals.submitted.submittedAt')}</dt>
          <dd>{formatDateTime(ack.submittedAt)}</dd>
        </div>
        <div>
          <dt>{t('referrals.submitted.status')}</dt>
          <dd>{t(`referrals.statuses.${ack.status}`)}</dd>
        </div>
      </dl>
      <ConcernLevel screen={ack.screen} />
      <h2 className="section-heading">{t('referrals.submitted.whatNext')}</h2>
      <p>{t('referrals.submitted.whatNextText')}</p>
      <div className="actions">
        <Link to="/referrals/mine" className="button">
          {t('referrals.submitted.myReferrals')}
        </Link>
        <Link to="/referrals/new" className="button button-secondary">
          {t('referrals.submitted.another')}
        </Link>
      </div>
    </Page>
  );
}
