import { useCallback, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, type CaseDetail } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { labelsOf, manifestationNames, regionName } from '../referrals/labels.ts';
import { Facts } from '../triage/ReferralFacts.tsx';
import { ageBandName, genderName } from '../triage/labels.ts';
import { casesApi } from './api.ts';
import { BreakGlassForm } from './BreakGlassForm.tsx';
import { CloseSection } from './CloseSection.tsx';
import { ConferencesSection } from './ConferencesSection.tsx';
import { DecisionsSection } from './DecisionsSection.tsx';
import { JusticeSection } from './JusticeSection.tsx';
import { MergeSection, mergedInto } from './MergeSection.tsx';
import { PlanSection } from './PlanSection.tsx';
import { ReferralsSection } from './ReferralsSection.tsx';
import { ServicesSection } from './ServicesSection.tsx';
import type { SectionProps } from './section.ts';
import { TeamSection } from './TeamSection.tsx';
import { TimelineSection } from './TimelineSection.tsx';

/** /cases/:id: the whole case. Every read of it is recorded in the audit log. */
export function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const load = useCallback(() => casesApi.read(id), [id]);
  const { state, reload } = useLoad(load);
  if (state.status === 'ready') return <CaseView detail={state.data} reload={reload} />;
  const hidden =
    state.status === 'error' && state.error instanceof ApiRequestError && state.error.code === 'not_found';
  return (
    <Page title={t('cases.case.title')} transient={state.status === 'loading'}>
      {hidden ? (
        <>
          <p>{t('cases.case.notFound')}</p>
          {can('cases.break_glass') ? (
            <BreakGlassForm caseId={id} onGranted={() => void reload()} />
          ) : (
            <p>
              <Link to="/cases" className="link">
                {t('cases.case.backToList')}
              </Link>
            </p>
          )}
        </>
      ) : (
        <LoadStatus state={state} onRetry={() => void reload()} />
      )}
    </Page>
  );
}

const SECTIONS = [
  'summary',
  'child',
  'referrals',
  'decisions',
  'team',
  'plan',
  'conferences',
  'services',
  'justice',
  'merges',
  'timeline',
  'closure',
] as const;

function CaseView({ detail, reload }: { detail: CaseDetail; reload: () => Promise<CaseDetail | null> }) {
  const { t } = useTranslation();
  const location = useLocation();
  const passed = (location.state as { message?: unknown } | null)?.message;
  const [success, setSuccess] = useState<string | null>(typeof passed === 'string' ? passed : null);
  const child = detail.child;
  const name = [child.givenNames, child.familyName].filter(Boolean).join(' ');
  const merged = mergedInto(detail);
  // The referrals are read once when the page opens (each read is audited), not after every change.
  const caseId = detail.id;
  const loadReferrals = useCallback(() => casesApi.referrals(caseId).then((r) => r.referrals), [caseId]);
  const { state: referrals, reload: reloadReferrals } = useLoad(loadReferrals);

  const sectionProps: SectionProps = {
    detail,
    onChanged: async (message: string) => {
      setSuccess(null);
      await reload();
      setSuccess(message);
    },
    onReload: () => {
      setSuccess(null);
      void reload();
    },
  };

  return (
    <Page
      title={t('cases.case.heading', { reference: detail.reference })}
      lead={t('cases.case.lead', { owner: detail.owner.name })}
    >
      <p className="print-only confidential-mark">{t('cases.print.confidential')}</p>
      <div className="actions no-print">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            window.print();
          }}
        >
          {t('cases.print.button')}
        </button>
      </div>
      <p className="print-only">
        {t('cases.print.printed', { time: formatDateTime(new Date().toISOString()) })}
      </p>
      {detail.access.via === 'break_glass' ? (
        <div className="notice notice-warning">
          <p>
            <strong>{t('cases.case.breakGlassTitle')}</strong>{' '}
            {detail.access.expiresAt
              ? t('cases.case.breakGlassUntil', {
                  time: formatDateTime(detail.access.expiresAt, detail.region),
                })
              : null}{' '}
            {t('cases.case.breakGlassText')}
          </p>
        </div>
      ) : null}
      {detail.access.via === 'oversight' ? (
        <div className="notice">
          <p>
            <strong>{t('cases.case.oversightTitle')}</strong> {t('cases.case.oversightText')}
          </p>
        </div>
      ) : null}
      {merged ? (
        <div className="notice notice-warning merged-banner">
          <p>
            <strong>
              {t('cases.merge.banner', {
                reference: merged.keptCase.reference,
                date: formatDate(merged.mergedAt),
              })}
            </strong>{' '}
            {t('cases.merge.bannerText')}
          </p>
          <p>
            <Link to={`/cases/${encodeURIComponent(merged.keptCase.id)}`} className="link">
              {t('cases.merge.goToKept', { reference: merged.keptCase.reference })}
            </Link>
          </p>
        </div>
      ) : detail.status === 'closed' ? (
        <div className="notice">
          <p>
            {t('cases.case.closedNotice', {
              date: detail.closedAt ? formatDateTime(detail.closedAt, detail.region) : '',
              reason: detail.closureReason ? t(`cases.closure.reasons.${detail.closureReason}`) : '',
            })}
          </p>
        </div>
      ) : null}
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>

      <nav className="on-this-page" aria-label={t('cases.case.onThisPage')}>
        <h2 className="on-this-page-title">{t('cases.case.onThisPage')}</h2>
        <ul className="on-this-page-list">
          {SECTIONS.map((key) => (
            <li key={key}>
              <a href={`#case-${key}`} className="link">
                {t(`cases.sections.${key}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <section className="case-section" aria-labelledby="case-summary">
        <h2 id="case-summary" tabIndex={-1} className="section-heading">
          {t('cases.sections.summary')}
        </h2>
        <Facts
          rows={[
            [t('cases.summary.reference'), <span className="reference">{detail.reference}</span>],
            [t('cases.summary.status'), t(`cases.statuses.${detail.status}`)],
            [t('cases.summary.identification'), t(`cases.identification.${detail.identification}`)],
            [
              t('cases.summary.nextDeadline'),
              detail.nextDeadline
                ? t('cases.summary.deadline', {
                    kind: t(`decisions.kinds.${detail.nextDeadline.kind}`),
                    date: formatDate(detail.nextDeadline.dueOn),
                  })
                : t('cases.summary.noDeadline'),
            ],
            [t('cases.summary.region'), regionName(detail.region)],
            [t('cases.summary.manifestations'), manifestationNames(detail.manifestations)],
            [t('cases.summary.opened'), formatDateTime(detail.openedAt, detail.region)],
            [t('cases.summary.owner'), detail.owner.name],
          ]}
        />
      </section>

      <section className="case-section" aria-labelledby="case-child">
        <h2 id="case-child" tabIndex={-1} className="section-heading">
          {t('cases.sections.child')}
        </h2>
        {child.identified ? null : <p className="notice">{t('cases.child.notIdentified')}</p>}
        <Facts
          rows={[
            [t('cases.child.name'), name],
            [t('referrals.fields.aliases'), child.aliases.join('; ')],
            [t('referrals.fields.dateOfBirth'), child.dateOfBirth ? formatDate(child.dateOfBirth) : ''],
            [t('referrals.fields.ageBandSelect'), ageBandName(child.ageBand) ?? ''],
            [t('referrals.fields.gender'), genderName(child.gender) ?? ''],
            [
              t('referrals.fields.ethnicities'),
              child.ethnicities.length ? labelsOf(CURRENT_TAXONOMY.ethnicities, child.ethnicities) : '',
            ],
            [t('referrals.fields.iwi'), child.iwi.length ? labelsOf(CURRENT_TAXONOMY.iwi, child.iwi) : ''],
            [t('referrals.fields.languages'), child.languages.join('; ')],
            [t('referrals.fields.currentLocation'), child.currentLocation ?? ''],
          ]}
        />
      </section>

      <ReferralsSection detail={detail} referrals={referrals} onRetry={() => void reloadReferrals()} />

      <DecisionsSection {...sectionProps} referrals={referrals.status === 'ready' ? referrals.data : null} />
      <TeamSection {...sectionProps} />
      <PlanSection {...sectionProps} />
      <ConferencesSection {...sectionProps} />
      <ServicesSection {...sectionProps} />
      <JusticeSection {...sectionProps} />
      <MergeSection {...sectionProps} />
      <TimelineSection {...sectionProps} />
      <CloseSection {...sectionProps} />
    </Page>
  );
}
