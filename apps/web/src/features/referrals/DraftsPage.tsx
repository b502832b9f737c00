import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Draft } from '@tiaki/domain';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { errorMessage } from '../../components/errors.ts';
import { Page } from '../../components/Page.tsx';
import { ListIntro, LoadedTable, RowButton } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { referralsApi } from './api.ts';
import { STEPS } from './form.ts';

/** Who a draft is about, as its author wrote it (drafts are only ever shown to their author). */
function childOf(draft: Draft): string | null {
  const child = draft.content.child;
  if (typeof child !== 'object' || child === null) return null;
  const { identified, givenNames, familyName } = child as Record<string, unknown>;
  if (identified === 'no') return null;
  const name = [givenNames, familyName].filter((part) => typeof part === 'string' && part.trim()).join(' ');
  return name || null;
}

/** /referrals/drafts: referrals started and not yet submitted, to resume or discard. */
export function DraftsPage() {
  const { t } = useTranslation();
  const { state, reload, update } = useLoad(referralsApi.drafts);
  const [discarding, setDiscarding] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [success, setSuccess] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const drafts = state.status === 'ready' ? state.data.drafts : [];

  const discard = async (id: string) => {
    setBusy(true);
    setFailure(null);
    try {
      await referralsApi.deleteDraft(id);
      update((data) => ({ drafts: data.drafts.filter((d) => d.id !== id) }));
      setSuccess(t('referrals.drafts.discarded'));
      setDiscarding(null);
      document.getElementById('main')?.focus();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('referrals.drafts.title')} lead={t('referrals.drafts.lead')}>
      <ListIntro success={success} />
      <div className="actions">
        <Link to="/referrals/new" className="button">
          {t('referrals.drafts.startNew')}
        </Link>
      </div>
      {failure ? (
        <div className="alert alert-error" role="alert">
          <p>{errorMessage(t, failure)}</p>
        </div>
      ) : null}
      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="drafts"
        caption={t('referrals.drafts.caption', { count: drafts.length })}
        columns={[
          t('referrals.drafts.columns.saved'),
          t('referrals.drafts.columns.child'),
          t('referrals.drafts.columns.step'),
        ]}
        actionsColumn={t('referrals.drafts.columns.actions')}
        rows={drafts}
        empty={t('referrals.drafts.empty')}
        renderRow={(draft) => {
          const rowId = `draft-${draft.id}`;
          const step = STEPS[Math.min(Math.max(draft.step, 0), STEPS.length - 1)] ?? 'about';
          return (
            <tr key={draft.id}>
              <td className="cell-nowrap" id={rowId}>
                <time dateTime={draft.updatedAt}>{formatDateTime(draft.updatedAt)}</time>
              </td>
              <td>{childOf(draft) ?? t('referrals.drafts.unnamedChild')}</td>
              <td>{t(`referrals.steps.${step}`)}</td>
              <td className="cell-actions">
                {discarding === draft.id ? (
                  <ConfirmStep
                    question={t('referrals.drafts.confirmDiscard')}
                    detail={t('referrals.drafts.confirmDiscardDetail')}
                    danger
                    busy={busy}
                    onConfirm={() => void discard(draft.id)}
                    onCancel={() => {
                      setDiscarding(null);
                    }}
                  />
                ) : (
                  <div className="row-actions">
                    <Link
                      to={`/referrals/new?draft=${encodeURIComponent(draft.id)}`}
                      className="button button-small"
                      aria-describedby={rowId}
                    >
                      {t('referrals.drafts.resume')}
                    </Link>
                    <RowButton
                      describedBy={rowId}
                      onClick={() => {
                        setSuccess(null);
                        setDiscarding(draft.id);
                      }}
                    >
                      {t('referrals.drafts.discard')}
                    </RowButton>
                  </div>
                )}
              </td>
            </tr>
          );
        }}
      />
    </Page>
  );
}
