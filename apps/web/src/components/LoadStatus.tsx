import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../api/client.ts';
import { errorMessage } from './errors.ts';
import type { Loadable } from './useLoad.ts';

/** What to show while a list loads, or when it could not be loaded. */
export function LoadStatus<T>({ state, onRetry }: { state: Loadable<T>; onRetry: () => void }) {
  const { t } = useTranslation();
  if (state.status === 'loading') {
    return (
      <p role="status" className="loading">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'error') {
    const forbidden = state.error instanceof ApiRequestError && state.error.code === 'forbidden';
    return (
      <div className="alert alert-error" role="alert">
        <p>{forbidden ? t('forbidden.text') : errorMessage(t, state.error)}</p>
        {forbidden ? null : (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            {t('actions.tryAgain')}
          </button>
        )}
      </div>
    );
  }
  return null;
}
