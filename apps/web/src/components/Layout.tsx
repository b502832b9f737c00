import { useState, type MouseEvent } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionTimer } from '../features/auth/SessionTimer.tsx';
import { RemindersLink } from '../features/notifications/RemindersLink.tsx';
import { useDemoMode, useSessionContext } from '../features/auth/session.tsx';
import { DESTINATIONS, mayReach } from './destinations.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { ErrorPage } from './StatusPages.tsx';

const navClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? 'nav-link nav-link-active' : 'nav-link';

function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  const main = document.getElementById('main');
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/** The frame of every page: skip link, header with navigation, demo banner and main content. */
export function Layout() {
  const { t } = useTranslation();
  const { state, signOut } = useSessionContext();
  const demoMode = useDemoMode();
  const location = useLocation();
  const [signingOut, setSigningOut] = useState(false);

  const session = state.status === 'signed_in' ? state.session : null;
  const active = session?.stage === 'active';
  const permissions = session?.user.permissions ?? [];

  const onSignOut = async () => {
    if (signingOut) return;
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <>
      <a href="#main" className="skip-link" onClick={skipToMain}>
        {t('layout.skipLink')}
      </a>
      <header className="site-header">
        {demoMode ? (
          <div className="demo-banner">
            <p>{t('demo.banner')}</p>
          </div>
        ) : null}
        <div className="header-inner">
          <Link to="/" className="brand">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </Link>
          {session ? (
            <div className="account">
              <p className="account-name">
                <span className="visually-hidden">{t('layout.signedInAs')} </span>
                {session.user.displayName}
                <span className="account-org">{session.user.organisation.name}</span>
              </p>
              {active ? <RemindersLink /> : null}
              <button
                type="button"
                className="button button-header"
                aria-disabled={signingOut || undefined}
                onClick={() => void onSignOut()}
              >
                {t('layout.signOut')}
              </button>
            </div>
          ) : null}
        </div>
        {active ? (
          <nav className="site-nav" aria-label={t('nav.label')}>
            <ul className="nav-list">
              <li>
                <NavLink to="/" end className={navClass}>
                  {t('nav.home')}
                </NavLink>
              </li>
              {DESTINATIONS.filter((item) => mayReach(permissions, item)).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className={navClass}>
                    {t(`nav.${item.key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary key={location.pathname} fallback={<ErrorPage />}>
          <Outlet />
        </ErrorBoundary>
      </main>
      <footer className="site-footer">
        <p>{t('layout.footer')}</p>
      </footer>
      {active ? <SessionTimer /> : null}
    </>
  );
}
