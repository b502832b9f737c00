import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { errorMessage } from '../../components/errors.ts';
import { isSignInPath, safeReturnPath, SIGN_IN_PATH, STAGE_PATHS } from './paths.ts';
import { useSessionContext, type SessionState } from './session.tsx';

interface ReturnState {
  from?: unknown;
}

/** Where the person has to be instead of `pathname`, or null when they may stay. */
export function requiredPath(state: SessionState, pathname: string, from: string | null): string | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (state.status === 'signed_out') return path === SIGN_IN_PATH ? null : SIGN_IN_PATH;
  if (state.status !== 'signed_in') return null;
  const stage = state.session.stage;
  if (stage !== 'active') return path === STAGE_PATHS[stage] ? null : STAGE_PATHS[stage];
  return isSignInPath(path) ? (from ?? '/') : null;
}

/**
 * Sends every page to the step the session is at: the sign-in page when signed out, the next
 * sign-in step while signing in, and away from the sign-in pages once fully signed in. The page
 * asked for is remembered and opened once signing in is finished.
 */
export function SessionGate() {
  const { t } = useTranslation();
  const { state, retry } = useSessionContext();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <Page title={t('app.loadingTitle')} transient>
        <p role="status">{t('app.loading')}</p>
      </Page>
    );
  }
  if (state.status === 'unavailable') {
    return (
      <Page title={t('app.unavailableTitle')} transient>
        <p role="alert">{errorMessage(t, state.error)}</p>
        <button type="button" className="button" onClick={retry}>
          {t('actions.tryAgain')}
        </button>
      </Page>
    );
  }

  const from =
    safeReturnPath((location.state as ReturnState | null)?.from) ??
    (isSignInPath(location.pathname) ? null : safeReturnPath(location.pathname + location.search));
  const target = requiredPath(state, location.pathname, from);
  if (target !== null && target !== location.pathname) {
    // Signing out forgets where the person was: the next person to sign in starts at home.
    const keepFrom = !(state.status === 'signed_out' && state.reason === 'signed_out');
    return <Navigate to={target} replace state={keepFrom && from !== target ? { from } : null} />;
  }
  return <Outlet />;
}
