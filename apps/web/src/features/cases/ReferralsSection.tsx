import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, ReferralDetail } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { DataTable } from '../../components/tables.tsx';
import type { Loadable } from '../../components/useLoad.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { manifestationNames } from '../referrals/labels.ts';
import { ReferralFacts } from '../triage/ReferralFacts.tsx';

export const referralPath = (caseId: string, referralId: string) =>
  `/cases/${encodeURIComponent(caseId)}/referrals/${encodeURIComponent(referralId)}`;

/**
 * Every referral on the case: a list with a link to each, then each in full (what the referrer
 * saw, the child's views, the referrer and how to reach them). Reading them is audited by the
 * server, one entry per referral.
 */
export function ReferralsSection({
  detail,
  referrals,
  onRetry,
}: {
  detail: CaseDetail;
  referrals: Loadable<ReferralDetail[]>;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="case-section" aria-labelledby="case-referrals">
      <h2 id="case-referrals" tabIndex={-1} className="section-heading">
        {t('cases.sections.referrals')}
      </h2>
      <DataTable
        id="case-referral-list"
        stack
        caption={t('cases.referrals.caption', { count: detail.referrals.length })}
        columns={[
          t('cases.referrals.reference'),
          t('cases.referrals.organisation'),
          t('cases.referrals.received'),
          t('cases.referrals.manifestations'),
        ]}
        rows={detail.referrals}
        empty={t('cases.referrals.empty')}
        renderRow={(referral) => (
          <tr key={referral.id}>
            <td className="cell-name cell-nowrap">
              <Link
                to={referralPath(detail.id, referral.id)}
                className="link"
                aria-label={t('cases.referrals.open', { reference: referral.reference })}
              >
                {referral.reference}
              </Link>
              {referral.urgent ? (
                <>
                  {' '}
                  <span className="badge badge-urgent">{t('triage.urgent')}</span>
                </>
              ) : null}
            </td>
            <td data-label={t('cases.referrals.organisation')}>{referral.organisation.name}</td>
            <td data-label={t('cases.referrals.received')} className="cell-nowrap">
              {formatDate(referral.receivedOn)}
            </td>
            <td data-label={t('cases.referrals.manifestations')} className="cell-wide">
              {manifestationNames(referral.manifestations)}
            </td>
          </tr>
        )}
      />
      {referrals.status === 'ready' ? (
        referrals.data.map((referral) => (
          <CaseReferral key={referral.id} caseId={detail.id} referral={referral} />
        ))
      ) : (
        <LoadStatus state={referrals} onRetry={onRetry} />
      )}
    </section>
  );
}

/** One referral on the case page, in full. */
function CaseReferral({ caseId, referral }: { caseId: string; referral: ReferralDetail }) {
  const { t } = useTranslation();
  const headingId = `referral-${referral.id}`;
  return (
    <article className="case-referral" aria-labelledby={headingId} id={`case-referral-${referral.id}`}>
      <h3 id={headingId} className="case-referral-title">
        {t('cases.referrals.fullHeading', {
          reference: referral.reference,
          organisation: referral.referringOrganisation.name,
        })}
      </h3>
      <p className="cell-note">
        {t('cases.referrals.sent', { time: formatDateTime(referral.submittedAt, referral.region) })}{' '}
        {t('cases.referrals.taxonomy', { version: referral.taxonomyVersion })}{' '}
        <Link to={referralPath(caseId, referral.id)} className="link no-print">
          {t('cases.referrals.openAlone', { reference: referral.reference })}
        </Link>
      </p>
      <ReferralFacts referral={referral} level={4} />
    </article>
  );
}
