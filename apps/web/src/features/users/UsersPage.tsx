import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { usersApi } from './api.ts';
import { CreateUserForm } from './CreateUserForm.tsx';
import { ManageUserPanel } from './ManageUserPanel.tsx';
import { OneTimePassword } from './OneTimePassword.tsx';
import { roleNames, statusOf } from './status.ts';

async function loadUsers() {
  const { users } = await usersApi.list();
  return { users, loadedAt: Date.now() };
}

type Panel =
  | { mode: 'create' }
  | { mode: 'manage'; id: string; notice: string | null }
  | { mode: 'password'; heading: string; user: User; password: string }
  | null;

export function UsersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const canManage = can('users.manage');
  const { state, reload, update } = useLoad(loadUsers);
  const [panel, setPanel] = useState<Panel>(null);
  const [success, setSuccess] = useState<string | null>(null);

  const users = useMemo(() => (state.status === 'ready' ? state.data.users : []), [state]);
  const loadedAt = state.status === 'ready' ? state.data.loadedAt : 0;
  const sorted = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-NZ'));
  const knownOrganisations = useMemo(() => {
    const byId = new Map(
      users.map((u) => [u.organisationId, { id: u.organisationId, name: u.organisationName }]),
    );
    return [...byId.values()];
  }, [users]);
  const managed = panel?.mode === 'manage' ? users.find((u) => u.id === panel.id) : undefined;

  const replaceUser = (user: User) => {
    update((data) => ({ ...data, users: data.users.map((u) => (u.id === user.id ? user : u)) }));
  };

  const open = (next: Panel) => {
    setSuccess(null);
    setPanel(next);
  };

  return (
    <Page title={t('users.title')} lead={t('users.lead')}>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>

      {canManage && panel === null ? (
        <div className="actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              open({ mode: 'create' });
            }}
          >
            {t('users.add')}
          </button>
        </div>
      ) : null}

      {canManage && panel?.mode === 'create' ? (
        <CreateUserForm
          knownOrganisations={knownOrganisations}
          onCreated={(user, password) => {
            update((data) => ({ ...data, users: [...data.users, user] }));
            setPanel({ mode: 'password', heading: t('users.createdHeading'), user, password });
          }}
          onCancel={() => {
            setPanel(null);
          }}
        />
      ) : null}

      {panel?.mode === 'password' ? (
        <OneTimePassword
          heading={panel.heading}
          displayName={panel.user.displayName}
          email={panel.user.email}
          password={panel.password}
          onDone={() => {
            setPanel(null);
          }}
        />
      ) : null}

      {canManage && panel?.mode === 'manage' && managed ? (
        <ManageUserPanel
          key={`${managed.id}:${managed.version}`}
          user={managed}
          isSelf={managed.id === session.user.id}
          now={loadedAt}
          notice={panel.notice}
          onUpdated={(user, message) => {
            replaceUser(user);
            setPanel(null);
            setSuccess(message);
          }}
          onPasswordReset={(user, password) => {
            setPanel({ mode: 'password', heading: t('users.passwordResetHeading'), user, password });
            void reload();
          }}
          onConflict={async () => {
            await reload();
            setPanel({ mode: 'manage', id: managed.id, notice: t('users.conflict') });
          }}
          onClose={() => {
            setPanel(null);
          }}
        />
      ) : null}

      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        sorted.length === 0 ? (
          <p>{t('users.empty')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="users-caption" tabIndex={0}>
            <table className="table">
              <caption id="users-caption" className="caption">
                {t('users.caption', { count: sorted.length })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('users.columns.name')}</th>
                  <th scope="col">{t('users.columns.email')}</th>
                  <th scope="col">{t('users.columns.organisation')}</th>
                  <th scope="col">{t('users.columns.roles')}</th>
                  <th scope="col">{t('users.columns.status')}</th>
                  <th scope="col">{t('users.columns.mfa')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span className="visually-hidden">{t('users.columns.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {sorted.map((user) => {
                  const status = statusOf(user, loadedAt);
                  return (
                    <tr key={user.id}>
                      <td className="cell-name" id={`user-${user.id}`}>
                        {user.displayName}
                        {user.id === session.user.id ? (
                          <>
                            {' '}
                            <span className="tag tag-small">{t('users.you')}</span>
                          </>
                        ) : null}
                        {user.isDemo ? (
                          <>
                            {' '}
                            <span className="tag tag-small">{t('common.demo')}</span>
                          </>
                        ) : null}
                      </td>
                      <td className="cell-nowrap">{user.email}</td>
                      <td>{user.organisationName}</td>
                      <td className="cell-wide">{roleNames(t, user.roles)}</td>
                      <td>
                        <span className={`badge badge-${status}`}>{t(`users.status.${status}`)}</span>
                        {status === 'locked' && user.lockedUntil ? (
                          <span className="cell-note">
                            {t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) })}
                          </span>
                        ) : null}
                      </td>
                      <td>{user.mfaEnabled ? t('users.mfaOn') : t('users.mfaOff')}</td>
                      {canManage ? (
                        <td>
                          <button
                            type="button"
                            className="button button-small button-secondary"
                            aria-describedby={`user-${user.id}`}
                            onClick={() => {
                              open({ mode: 'manage', id: user.id, notice: null });
                            }}
                          >
                            {t('users.manage')}
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </Page>
  );
}
