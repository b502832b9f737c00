import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ActionError } from '../../components/conflict.tsx';
import { Page } from '../../components/Page.tsx';
import { FilterChips, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { notificationsApi } from './api.ts';
import { REMINDERS_CHANGED } from './RemindersLink.tsx';

/** Only links within Tiaki are followed from a reminder. */
function internal(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}

/**
 * /notifications: reminders about deadlines and referrals, newest first, a page at a time (sorted
 * and filtered by the server, what is shown kept in the address).
 */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { list, query, change, hrefFor } = useListState();
  const load = useCallback(() => notificationsApi.list(query), [query]);
  const { state, reload, update } = useLoad(load);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const data = state.status === 'ready' ? state.data : null;

  const markRead = async (id: string) => {
    if (busy) return;
    setBusy(id);
    setError(null);
    try {
      await notificationsApi.markRead(id);
      const now = new Date().toISOString();
      update((page) => ({
        ...page,
        unread: Math.max(0, page.unread - 1),
        items: page.items.map((n) => (n.id === id ? { ...n, readAt: now } : n)),
      }));
      window.dispatchEvent(new Event(REMINDERS_CHANGED));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  // Hundreds of reminders are not read one click at a time.
  const markAllRead = async () => {
    if (busy) return;
    setBusy('all');
    setError(null);
    setDone(null);
    try {
      const { marked } = await notificationsApi.markAllRead();
      await reload();
      setDone(t('notifications.markedAll', { count: marked }));
      window.dispatchEvent(new Event(REMINDERS_CHANGED));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={t('notifications.title')} lead={t('notifications.lead')}>
      <div role="status" className="live-region">
        {done ? <div className="alert alert-success">{done}</div> : null}
      </div>
      <ActionError error={error} />
      {data ? <p className="meta">{t('notifications.unread', { count: data.unread })}</p> : null}
      {data && data.unread > 0 ? (
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={busy === 'all' || undefined}
            onClick={() => void markAllRead()}
          >
            {t('notifications.markAllRead')}
          </button>
        </div>
      ) : null}
      <FilterChips
        filters={['unread']}
        active={list.filters}
        onToggle={(filter, on) => {
          change({ filters: { [filter]: on ? 'true' : undefined } });
        }}
      />
      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="reminders"
        caption={t('notifications.caption', { count: data?.total ?? 0 })}
        list={list}
        defaultSort={{ sort: 'created', dir: 'desc' }}
        onSort={(sort, dir) => {
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        columns={[
          { label: t('notifications.columns.reminder') },
          { label: t('notifications.columns.created'), sortKey: 'created' },
          { label: t('notifications.columns.read'), sortKey: 'read' },
          { label: t('notifications.columns.actions') },
        ]}
        empty={t('notifications.empty')}
        renderRow={(item) => {
          const to = internal(item.link);
          return (
            <tr key={item.id} className={item.readAt ? undefined : 'row-unread'}>
              <td data-label={t('notifications.columns.reminder')}>
                <span id={`reminder-${item.id}`}>
                  {item.readAt ? null : <span className="tag tag-small">{t('notifications.new')}</span>}{' '}
                  {item.message}
                </span>
              </td>
              <td className="cell-nowrap" data-label={t('notifications.columns.created')}>
                {formatDateTime(item.createdAt)}
              </td>
              <td className="cell-nowrap" data-label={t('notifications.columns.read')}>
                {item.readAt ? formatDateTime(item.readAt) : t('notifications.notRead')}
              </td>
              <td data-label={t('notifications.columns.actions')}>
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
              </td>
            </tr>
          );
        }}
      />
    </Page>
  );
}
