import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, USER_STATES, type User } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { ListSearch, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { ListIntro, RowButton, Tag } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { usersApi } from './api.ts';
import { CreateUserForm } from './CreateUserForm.tsx';
import { ManageUserPanel } from './ManageUserPanel.tsx';
import { OneTimePassword } from './OneTimePassword.tsx';
import { changeOf, PrivilegedRequests } from './PrivilegedRequests.tsx';
import { roleNames, statusOf } from './status.ts';

/** A page of accounts (as the address asks) and the privileged requests waiting. */
async function loadUsers(query: Record<string, string | number | undefined>) {
  const [page, { requests }] = await Promise.all([usersApi.list(query), usersApi.requests()]);
  return { ...page, users: page.items, requests, loadedAt: Date.now() };
}

type Panel =
  | { mode: 'create' }
  | { mode: 'manage'; id: string; notice: string | null }
  | {
      mode: 'password';
      heading: string;
      user: Pick<User, 'displayName' | 'email'>;
      password: string;
      notice?: string;
    }
  | null;

export function UsersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const canManage = can('users.manage');
  const { list, query, change, hrefFor } = useListState();
  const load = useCallback(() => loadUsers(query), [query]);
  const { state, reload, update } = useLoad(load);
  const [panel, setPanel] = useState<Panel>(null);
  const [success, setSuccess] = useState<string | null>(null);

  const users = useMemo(() => (state.status === 'ready' ? state.data.users : []), [state]);
  const requests = state.status === 'ready' ? state.data.requests : [];
  const loadedAt = state.status === 'ready' ? state.data.loadedAt : 0;
  const total = state.status === 'ready' ? state.data.total : 0;
  const knownOrganisations = useMemo(() => {
    const byId = new Map(
      users.map((u) => [u.organisationId, { id: u.organisationId, name: u.organisationName }]),
    );
    return [...byId.values()];
  }, [users]);
  const managed = panel?.mode === 'manage' ? users.find((u) => u.id === panel.id) : undefined;

  const replaceUser = (user: User) => {
    update((data) => {
      const users = data.users.map((u) => (u.id === user.id ? user : u));
      return { ...data, users, items: users };
    });
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
            const waiting = user.pendingRequests.find((r) => r.kind === 'grant_roles');
            setPanel({
              mode: 'password',
              heading: t('users.createdHeading'),
              user,
              password,
              ...(waiting
                ? { notice: t('users.createdWaiting', { roles: roleNames(t, waiting.roles) }) }
                : {}),
            });
            void reload();
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
          {...(panel.notice ? { notice: panel.notice } : {})}
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
          onRequested={(message) => {
            setPanel(null);
            setSuccess(message);
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

      {canManage && state.status === 'ready' ? (
        <PrivilegedRequests
          requests={requests}
          myId={session.user.id}
          onDecided={(request, message, oneTimePassword) => {
            // The request names the person: they need not be on the page of accounts shown.
            if (oneTimePassword) {
              setPanel({
                mode: 'password',
                heading: t('users.passwordResetHeading'),
                user: request.targetUser,
                password: oneTimePassword,
              });
            } else {
              setPanel(null);
            }
            setSuccess(message);
            void reload();
          }}
        />
      ) : null}

      <ListSearch
        id="users-q"
        label={t('users.search')}
        value={list.filters.q ?? ''}
        onSearch={(text) => {
          change({ filters: { q: text || undefined } });
        }}
      />
      <div className="filter-fields">
        <SelectField
          label={t('users.filterRole')}
          name="role"
          options={[
            { value: '', label: t('users.anyRole') },
            ...ROLES.map((role) => ({ value: role, label: t(`roles.${role}.name`) })),
          ]}
          value={list.filters.role ?? ''}
          onChange={(value) => {
            change({ filters: { role: value || undefined } });
          }}
        />
        <SelectField
          label={t('users.filterState')}
          name="state"
          options={[
            { value: '', label: t('users.anyState') },
            ...USER_STATES.map((value) => ({ value, label: t(`users.states.${value}`) })),
          ]}
          value={list.filters.state ?? ''}
          onChange={(value) => {
            change({ filters: { state: value || undefined } });
          }}
        />
      </div>
      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="users"
        caption={t('users.caption', { count: total })}
        list={list}
        defaultSort={{ sort: 'name', dir: 'asc' }}
        onSort={(sort, dir) => {
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        columns={[
          { label: t('users.columns.name'), sortKey: 'name' },
          { label: t('users.columns.email'), sortKey: 'email', priority: 'low' },
          { label: t('users.columns.organisation'), sortKey: 'organisation' },
          { label: t('users.columns.roles') },
          { label: t('users.columns.status') },
          { label: t('users.columns.mfa'), priority: 'low' },
          ...(canManage ? [{ label: t('users.columns.actions') }] : []),
        ]}
        empty={Object.keys(list.filters).length > 0 ? t('users.noneMatch') : t('users.empty')}
        renderRow={(user) => {
          const status = statusOf(user, loadedAt);
          return (
            <tr key={user.id}>
              <td className="cell-name" id={`user-${user.id}`} data-label={t('users.columns.name')}>
                {user.displayName}
                {user.id === session.user.id ? <Tag>{t('users.you')}</Tag> : null}
                {user.isDemo ? <Tag>{t('common.demo')}</Tag> : null}
              </td>
              <td className="cell-nowrap col-low" data-label={t('users.columns.email')}>
                {user.email}
              </td>
              <td data-label={t('users.columns.organisation')}>{user.organisationName}</td>
              <td className="cell-wide" data-label={t('users.columns.roles')}>
                {roleNames(t, user.roles)}
                {user.pendingRequests.length > 0 ? (
                  <span className="cell-note">
                    <strong>{t('users.waitingTag')}:</strong>{' '}
                    {user.pendingRequests.map((r) => changeOf(t, r)).join('; ')}
                  </span>
                ) : null}
              </td>
              <td data-label={t('users.columns.status')}>
                <span className={`badge badge-${status}`}>{t(`users.status.${status}`)}</span>
                {status === 'locked' && user.lockedUntil ? (
                  <span className="cell-note">
                    {t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) })}
                  </span>
                ) : null}
              </td>
              <td className="col-low" data-label={t('users.columns.mfa')}>
                {user.mfaEnabled ? t('users.mfaOn') : t('users.mfaOff')}
              </td>
              {canManage ? (
                <td data-label={t('users.columns.actions')}>
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
