import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { notificationsApi } from './api.ts';

/** Said by the reminders page when something was marked read, so the count in the header follows. */
export const REMINDERS_CHANGED = 'tiaki:reminders-changed';

/** "Reminders (2)" in the header: the count of unread reminders, checked on every page change. */
export function RemindersLink() {
  const { t } = useTranslation();
  const location = useLocation();
  const [unread, setUnread] = useState<number | null>(null);
  const [changed, setChanged] = useState(0);

  useEffect(() => {
    const onChange = () => {
      setChanged((n) => n + 1);
    };
    window.addEventListener(REMINDERS_CHANGED, onChange);
    return () => {
      window.removeEventListener(REMINDERS_CHANGED, onChange);
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    notificationsApi.list({ pageSize: 1 }).then(
      (page) => {
        if (!cancelled) setUnread(page.unread);
      },
      () => {
        // The header count is a convenience: the reminders page shows any failure.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [location.pathname, changed]);

  return (
    <Link to="/notifications" className="reminders-link">
      {t('notifications.link')}
      {unread ? (
        <>
          {' '}
          <span className="reminders-count">{unread}</span>
          <span className="visually-hidden"> {t('notifications.unread', { count: unread })}</span>
        </>
      ) : null}
    </Link>
  );
}
