import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ActionError } from '../../components/conflict.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { notificationsApi } from './api.ts';
import { REMINDERS_CHANGED } from './RemindersLink.tsx';

/** Only links within Tiaki are followed from a reminder. */
function internal(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}

/** /notifications: reminders about deadlines and referrals, newest first. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { state, reload, update } = useLoad(notificationsApi.list);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = state.status === 'ready' ? state.data.notifications : [];
  const unread = items.filter((n) => n.readAt === null).length;

  const markRead = async (id: string) => {
    if (busy) return;
    setBusy(id);
    setError(null);
    try {
      await notificationsApi.markRead(id);
      const now = new Date().toISOString();
      update((data) => ({
        notifications: data.notifications.map((n) => (n.id === id ? { ...n, readAt: now } : n)),
      }));
      window.dispatchEvent(new Event(REMINDERS_CHANGED));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={t('notifications.title')} lead={t('notifications.lead')}>
      <LoadStatus state={state} onRetry={() => void reload()} />
      <ActionError error={error} />
      {state.status === 'ready' ? (
        <>
          <p className="meta">{t('notifications.unread', { count: unread })}</p>
          {items.length === 0 ? <p>{t('notifications.empty')}</p> : null}
          <ul className="item-list">
            {items.map((item) => {
              const to = internal(item.link);
              return (
                <li key={item.id} className={item.readAt ? 'item' : 'item item-unread'}>
                  <p id={`reminder-${item.id}`} className="item-text">
                    {item.readAt ? null : <span className="tag tag-small">{t('notifications.new')}</span>}{' '}
                    {item.message}
                  </p>
                  <p className="meta">{formatDateTime(item.createdAt)}</p>
                  <div className="row-actions">
                    {to ? (
                      <Link to={to} className="button button-small" aria-describedby={`reminder-${item.id}`}>
                        {t('notifications.open')}
                      </Link>
                    ) : null}
                    {item.readAt ? null : (
                      <button
                        type="button"
                        className="button button-small button-secondary"
                        aria-describedby={`reminder-${item.id}`}
                        aria-disabled={busy === item.id || undefined}
                        onClick={() => void markRead(item.id)}
                      >
                        {t('notifications.markRead')}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </Page>
  );
}
