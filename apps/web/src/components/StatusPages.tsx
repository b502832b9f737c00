import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from './Page.tsx';

/** A page that only explains something, with a way home. */
function MessagePage({ page }: { page: 'notFound' | 'forbidden' }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`${page}.title`)}>
      <p>{t(`${page}.text`)}</p>
      <p>
        <Link to="/" className="link">
          {t('actions.goHome')}
        </Link>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return <MessagePage page="notFound" />;
}

export function ForbiddenPage() {
  return <MessagePage page="forbidden" />;
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
