import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { DecisionKind, MyWorkItem, NeedType } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { OverdueTag } from '../../components/PagedTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { triageApi } from '../triage/api.ts';
import { homeApi } from './api.ts';

/** Only links within Tiaki are followed. */
function internal(link: string): string | null {
  return link.startsWith('/') && !link.startsWith('//') ? link : null;
}

/** What the item asks, in words: references only, never a child's name. */
function useItemWords() {
  const { t } = useTranslation();
  return (item: MyWorkItem): string => {
    const what =
      item.kind === 'decision_due' || item.kind === 'panel_view_due'
        ? t(`decisions.kinds.${(item.detail ?? 'reasonable_grounds') as DecisionKind}`)
        : item.kind === 'service_referral_awaiting' || item.kind === 'service_referral_to_answer'
          ? t(`services.needTypes.${(item.detail ?? 'other') as NeedType}`)
          : '';
    return t(`home.work.kinds.${item.kind}`, { reference: item.reference, what });
  };
}

/** The home page's work queue: the signed-in person's own work, overdue first. */
export function MyWork() {
  const { t } = useTranslation();
  const { state, reload } = useLoad(homeApi.myWork);
  const words = useItemWords();
  const can = useCan();
  const mayLead = can('cases.read');
  // Requests from triage officers to add a referral to a case I lead (none for everyone else).
  const loadAsked = useCallback(
    () => (mayLead ? triageApi.attachRequests() : Promise.resolve({ items: [] })),
    [mayLead],
  );
  const asked = useLoad(loadAsked).state;
  const askedCount = asked.status === 'ready' ? asked.data.items.length : 0;

  return (
    <section aria-labelledby="my-work-heading" className="my-work">
      <h2 id="my-work-heading" className="section-heading">
        {t('home.work.heading')}
      </h2>
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        <>
          {state.data.items.length === 0 && askedCount === 0 && !state.data.unassignedReferrals?.total ? (
            <p className="notice">{t('home.work.empty')}</p>
          ) : null}
          <ul className="item-list" aria-label={t('home.work.heading')}>
            {state.data.items.map((item) => {
              const to = internal(item.link);
              const text = words(item);
              return (
                <li key={`${item.kind}:${item.id}`} className={item.overdue ? 'item item-overdue' : 'item'}>
                  <p className="item-text">{to ? <Link to={to}>{text}</Link> : text}</p>
                  <p className="meta">
                    {item.dueOn ? t('home.work.due', { date: formatDate(item.dueOn) }) : null}
                    {item.overdue ? (
                      <>
                        {' '}
                        <OverdueTag />
                      </>
                    ) : null}
                    {item.urgent ? (
                      <>
                        {' '}
                        <span className="badge badge-urgency-urgent">{t('home.work.urgent')}</span>
                      </>
                    ) : null}
                  </p>
                </li>
              );
            })}
          </ul>
          {state.data.truncated ? <p className="meta">{t('home.work.truncated')}</p> : null}
          {state.data.unassignedReferrals?.total ? (
            <p>
              <Link to="/triage?assignee=unassigned">
                {t('home.work.unassignedReferrals', { count: state.data.unassignedReferrals.total })}
              </Link>
              {state.data.unassignedReferrals.urgent ? (
                <>
                  {' '}
                  <span className="badge badge-urgency-urgent">
                    {t('home.work.unassignedUrgent', { count: state.data.unassignedReferrals.urgent })}
                  </span>
                </>
              ) : null}
            </p>
          ) : null}
          {state.data.unassignedDecisions ? (
            <p>
              <Link to="/decisions">
                {t('home.work.unassignedDecisions', { count: state.data.unassignedDecisions })}
              </Link>
            </p>
          ) : null}
          {askedCount ? (
            <p>
              <Link to="/attach-requests">{t('home.work.attachRequests', { count: askedCount })}</Link>
            </p>
          ) : null}
          {state.data.unreadReminders ? (
            <p>
              <Link to="/notifications">
                {t('home.work.unreadReminders', { count: state.data.unreadReminders })}
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
