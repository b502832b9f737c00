import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingUserRequest, PrivilegedRequest } from '@tiaki/domain';
import type { TFunction } from 'i18next';
import { errorMessage } from '../../components/errors.ts';
import { DataTable } from '../../components/tables.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { usersApi } from './api.ts';
import { roleNames } from './status.ts';

/** A privileged change in words: "Give the roles: Caseworker", "Reset password". */
export function changeOf(t: TFunction, request: Pick<PendingUserRequest, 'kind' | 'roles'>): string {
  return request.kind === 'grant_roles'
    ? t('users.pending.kind.grant_roles', { roles: roleNames(t, request.roles) })
    : t(`users.pending.kind.${request.kind}`);
}

interface Props {
  requests: readonly PrivilegedRequest[];
  myId: string;
  /** After a decision: the message to announce, and a one-time password for the approver. */
  onDecided: (request: PrivilegedRequest, message: string, oneTimePassword?: string) => void;
}

/**
 * The two-person rule on the Users page: changes one administrator asked for, waiting for a
 * second. The administrator who asked (or the person the change is about) sees why they cannot
 * decide it.
 */
export function PrivilegedRequests({ requests, myId, onDecided }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = requests.filter((r) => r.status === 'pending');

  const decide = async (request: PrivilegedRequest, outcome: 'approve' | 'reject') => {
    setBusy(request.id);
    setError(null);
    try {
      const decided = await usersApi.decide(request.id, outcome);
      const words = { change: changeOf(t, request), name: request.targetUser.displayName };
      onDecided(
        decided.request,
        outcome === 'approve' ? t('users.pending.approved', words) : t('users.pending.rejected', words),
        decided.oneTimePassword,
      );
    } catch (failure) {
      setError(errorMessage(t, failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="privileged-requests-heading">
      <h2 id="privileged-requests-heading" className="panel-heading">
        {t('users.pending.heading')}
      </h2>
      <p className="meta">{t('users.pending.lead')}</p>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <DataTable
        id="privileged-requests"
        caption={t('users.pending.caption', { count: pending.length })}
        columns={[
          t('users.pending.columns.change'),
          t('users.pending.columns.person'),
          t('users.pending.columns.askedBy'),
          t('users.pending.columns.expires'),
        ]}
        actionsColumn={t('users.columns.actions')}
        rows={pending}
        empty={t('users.pending.empty')}
        renderRow={(request) => {
          const mine = request.requestedBy.id === myId;
          const aboutMe = request.targetUser.id === myId;
          return (
            <tr key={request.id}>
              <td id={`request-${request.id}`}>{changeOf(t, request)}</td>
              <td>
                {request.targetUser.displayName}
                <span className="cell-note">{request.targetUser.email}</span>
              </td>
              <td>{mine ? t('users.you') : request.requestedBy.displayName}</td>
              <td className="cell-nowrap">{formatDateTime(request.expiresAt)}</td>
              <td>
                {mine || aboutMe ? (
                  <span className="cell-note">
                    {mine ? t('users.pending.yours') : t('users.pending.aboutYou')}
                  </span>
                ) : (
                  <div className="actions">
                    <button
                      type="button"
                      className="button button-small"
                      aria-describedby={`request-${request.id}`}
                      aria-disabled={busy !== null || undefined}
                      onClick={() => {
                        if (busy === null) void decide(request, 'approve');
                      }}
                    >
                      {t('users.pending.approve')}
                    </button>
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      aria-describedby={`request-${request.id}`}
                      aria-disabled={busy !== null || undefined}
                      onClick={() => {
                        if (busy === null) void decide(request, 'reject');
                      }}
                    >
                      {t('users.pending.reject')}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
