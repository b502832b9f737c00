import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@tiaki/domain';
import { Page } from '../../components/Page.tsx';
import { ListIntro, LoadedTable, RowButton, Tag } from '../../components/tables.tsx';
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
      <ListIntro
        success={success}
        addLabel={canManage && panel === null && t('users.add')}
        onAdd={() => {
          open({ mode: 'create' });
        }}
      />

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

      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="users"
        caption={t('users.caption', { count: sorted.length })}
        columns={[
          t('users.columns.name'),
          t('users.columns.email'),
          t('users.columns.organisation'),
          t('users.columns.roles'),
          t('users.columns.status'),
          t('users.columns.mfa'),
        ]}
        actionsColumn={canManage && t('users.columns.actions')}
        rows={sorted}
        empty={t('users.empty')}
        renderRow={(user) => {
          const status = statusOf(user, loadedAt);
          return (
            <tr key={user.id}>
              <td className="cell-name" id={`user-${user.id}`}>
                {user.displayName}
                {user.id === session.user.id ? <Tag>{t('users.you')}</Tag> : null}
                {user.isDemo ? <Tag>{t('common.demo')}</Tag> : null}
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
                  <RowButton
                    describedBy={`user-${user.id}`}
                    onClick={() => {
                      open({ mode: 'manage', id: user.id, notice: null });
                    }}
                  >
                    {t('users.manage')}
                  </RowButton>
                </td>
              ) : null}
            </tr>
          );
        }}
      />
    </Page>
  );
}
