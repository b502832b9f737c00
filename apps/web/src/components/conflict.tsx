import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../api/client.ts';
import { errorMessage } from './errors.ts';

/** Someone else acted first (409): the page should offer to load what they did. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 409;
}

/** The button that loads the latest, after someone else acted first. */
export function ReloadOffer({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="button button-secondary" onClick={onReload}>
        {t('workflow.reloadLatest')}
      </button>
    </div>
  );
}

/**
 * A failed action's message, announced at once; when someone else acted first (409), with a
 * button to load what they did. Renders the live region even when there is nothing to say.
 */
export function ActionError({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="live-region">
      {error ? (
        <div className="alert alert-error">
          <p>{typeof error === 'string' ? error : errorMessage(t, error)}</p>
          {onReload && isConflict(error) ? <ReloadOffer onReload={onReload} /> : null}
        </div>
      ) : null}
    </div>
  );
}
