import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from './Page.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/" className="link">
          {t('actions.goHome')}
        </Link>
      </p>
    </Page>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('forbidden.title')}>
      <p>{t('forbidden.text')}</p>
      <p>
        <Link to="/" className="link">
          {t('actions.goHome')}
        </Link>
      </p>
    </Page>
  );
}

export function ErrorPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('crash.title')}>
      <p>{t('crash.text')}</p>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            window.location.reload();
          }}
        >
          {t('crash.reload')}
        </button>
        <a href="/" className="button button-secondary">
          {t('actions.goHome')}
        </a>
      </div>
    </Page>
  );
}
