import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from './Page.tsx';

function Loading() {
  const { t } = useTranslation();
  return (
    <Page title={t('app.loadingTitle')} transient>
      <p role="status" className="loading">
        {t('app.loading')}
      </p>
    </Page>
  );
}

/** Shows "Loading…" while the code of a page loaded on demand arrives. */
export function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}
