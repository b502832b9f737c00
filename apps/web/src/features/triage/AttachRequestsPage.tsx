import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { AttachRequestItem } from '@tiaki/domain';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { errorMessage } from '../../components/errors.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { ScrollingTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { triageApi } from './api.ts';

type Decision = 'approve' | 'reject';

/**
 * /attach-requests: the case's lead (a decision maker of the lead agency, or the case's lead
 * caseworker) decides the requests of triage officers not on the case to add a referral to it.
 * References only: the child is compared on the referral's triage page.
 */
export function AttachRequestsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { state, reload } = useLoad(triageApi.attachRequests);
  const [asking, setAsking] = useState<{ id: string; decision: Decision } | null>(null);
  const [busy, setBusy] = useState(false);
  const [success, setSuccess] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = state.status === 'ready' ? state.data.items : [];
  const columns = [
    t('attachRequests.columns.referral'),
    t('attachRequests.columns.asked'),
    t('attachRequests.columns.askedBy'),
    t('attachRequests.columns.case'),
    t('attachRequests.columns.compare'),
  ];

  const decide = async (item: AttachRequestItem, decision: Decision) => {
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await triageApi.decideAttachRequest(item.id, decision);
      const words = { referral: item.referralReference, case: item.caseReference };
      setSuccess(
        decision === 'approve' ? t('attachRequests.approved', words) : t('attachRequests.rejected', words),
      );
      setAsking(null);
    } catch (failure) {
      setError(errorMessage(t, failure));
      setAsking(null);
    } finally {
      setBusy(false);
      await reload();
    }
  };

  return (
    <Page title={t('attachRequests.title')} lead={t('attachRequests.lead')}>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' && items.length === 0 ? <p>{t('attachRequests.empty')}</p> : null}
      {items.length > 0 ? (
        <ScrollingTable
          captionId="attach-requests-caption"
          caption={t('attachRequests.caption', { count: items.length })}
          className="table table-stack"
        >
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('attachRequests.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const rowId = `attach-request-${item.id}`;
              const open = asking?.id === item.id ? asking.decision : null;
              const words = { referral: item.referralReference, case: item.caseReference };
              return (
                <Fragment key={item.id}>
                  <tr>
                    <td id={rowId} data-label={columns[0]}>
                      {t('attachRequests.row', words)}
                    </td>
                    <td data-label={columns[1]} className="cell-nowrap">
                      {formatDateTime(item.requestedAt)}
                    </td>
                    <td data-label={columns[2]}>
                      {item.requestedBy}
                      <span className="cell-note">{item.requestedByOrganisation}</span>
                    </td>
                    <td data-label={columns[3]}>
                      <Link to={`/cases/${encodeURIComponent(item.caseId)}`} className="link">
                        {item.caseReference}
                      </Link>
                    </td>
                    <td data-label={columns[4]}>
                      {can('referrals.triage') ? (
                        <Link to={`/triage/${encodeURIComponent(item.referralId)}`} className="link">
                          {t('attachRequests.compare', words)}
                        </Link>
                      ) : (
                        <span className="cell-note">{t('attachRequests.compareElsewhere')}</span>
                      )}
                    </td>
                    <td>
                      <div className="actions">
                        {(['approve', 'reject'] as const).map((decision) => (
                          <button
                            key={decision}
                            type="button"
                            className={
                              decision === 'approve'
                                ? 'button button-small'
                                : 'button button-small button-secondary'
                            }
                            aria-describedby={rowId}
                            aria-expanded={open === decision}
                            aria-disabled={busy || undefined}
                            onClick={() => {
                              if (busy) return;
                              setSuccess(null);
                              setError(null);
                              setAsking(open === decision ? null : { id: item.id, decision });
                            }}
                          >
                            {t(`attachRequests.${decision}`)}
                          </button>
                        ))}
                      </div>
                    </td>
                  </tr>
                  {open ? (
                    <tr>
                      <td colSpan={columns.length + 1}>
                        <ConfirmStep
                          question={t(`attachRequests.confirm.${open}`, words)}
                          detail={t(`attachRequests.confirm.${open}Detail`)}
                          busy={busy}
                          onConfirm={() => void decide(item, open)}
                          onCancel={() => {
                            setAsking(null);
                          }}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </ScrollingTable>
      ) : null}
    </Page>
  );
}
