import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { triageApi } from '../triage/api.ts';
import { Facts, ReferralFacts } from '../triage/ReferralFacts.tsx';

/**
 * /cases/:id/referrals/:referralId: one referral of a case, in full, for whoever may see the case
 * (the caseworker, the decision maker), without the triage queue's tools. The read is audited.
 */
export function CaseReferralPage() {
  const { t } = useTranslation();
  const { id = '', referralId = '' } = useParams();
  const load = useCallback(() => triageApi.referral(referralId), [referralId]);
  const { state, reload } = useLoad(load);
  const back = (
    <p>
      <Link to={`/cases/${encodeURIComponent(id)}`} className="link">
        {t('cases.referralPage.backToCase')}
      </Link>
    </p>
  );
  if (state.status !== 'ready') {
    const hidden =
      state.status === 'error' && state.error instanceof ApiRequestError && state.error.code === 'not_found';
    return (
      <Page title={t('cases.referralPage.title')} transient={state.status === 'loading'}>
        {hidden ? (
          <>
            <p>{t('cases.referralPage.notFound')}</p>
            {back}
          </>
        ) : (
          <LoadStatus state={state} onRetry={() => void reload()} />
        )}
      </Page>
    );
  }
  const referral = state.data;
  return (
    <Page
      title={t('cases.referralPage.heading', { reference: referral.reference })}
      lead={t('cases.referralPage.lead')}
    >
      {back}
      <Facts
        rows={[
          [t('triage.referral.received'), formatDateTime(referral.submittedAt, referral.region)],
          [t('triage.referral.referringOrganisation'), referral.referringOrganisation.name],
          [t('triage.referral.concernLevel'), t(`referrals.screen.levels.${referral.concernLevel}`)],
          [t('cases.referralPage.status'), t(`referrals.statuses.${referral.status}`)],
          [t('cases.referralPage.taxonomy'), referral.taxonomyVersion],
        ]}
      />
      <ReferralFacts referral={referral} />
    </Page>
  );
}
