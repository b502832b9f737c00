import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organisation } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { Page } from '../../components/Page.tsx';
import { describeRegions } from '../../components/regions.tsx';
import { ListIntro, LoadedTable, RowButton, Tag } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useCan } from '../auth/session.tsx';
import { organisationsApi } from './api.ts';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { OrganisationForm } from './OrganisationForm.tsx';

type Editing =
  | { mode: 'create' }
  | { mode: 'edit'; id: string; notice: string | null }
  | { mode: 'keys'; id: string }
  | null;

export function OrganisationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('organisations.manage');
  const canManageKeys = can('api_keys.manage');
  const { state, reload, update } = useLoad(organisationsApi.list);
  const [editing, setEditing] = useState<Editing>(null);
  const [success, setSuccess] = useState<string | null>(null);

  const organisations = state.status === 'ready' ? state.data.organisations : [];
  const sorted = [...organisations].sort((a, b) => a.name.localeCompare(b.name, 'en-NZ'));
  const editingOrganisation =
    editing?.mode === 'edit'
      ? organisations.find((organisation) => organisation.id === editing.id)
      : undefined;
  const keysOrganisation =
    editing?.mode === 'keys'
      ? organisations.find((organisation) => organisation.id === editing.id)
      : undefined;

  const onCreated = (organisation: Organisation) => {
    update((data) => ({ organisations: [...data.organisations, organisation] }));
    setEditing(null);
    setSuccess(t('organisations.created', { name: organisation.name }));
  };

  const onUpdated = (organisation: Organisation) => {
    update((data) => ({
      organisations: data.organisations.map((o) => (o.id === organisation.id ? organisation : o)),
    }));
    setEditing(null);
    setSuccess(t('organisations.updated', { name: organisation.name }));
  };

  const onFailed = async (error: unknown, id: string) => {
    if (error instanceof ApiRequestError && error.code === 'version_conflict') {
      await reload();
      setEditing({ mode: 'edit', id, notice: t('organisations.conflict') });
    }
  };

  return (
    <Page title={t('organisations.title')} lead={t('organisations.lead')}>
      <ListIntro
        success={success}
        addLabel={canManage && editing === null && t('organisations.add')}
        onAdd={() => {
          setSuccess(null);
          setEditing({ mode: 'create' });
        }}
      />

      {canManage && editing?.mode === 'create' ? (
        <OrganisationForm
          onSaved={onCreated}
          onCancel={() => {
            setEditing(null);
          }}
        />
      ) : null}
      {canManage && editing?.mode === 'edit' && editingOrganisation ? (
        <OrganisationForm
          key={`${editingOrganisation.id}:${editingOrganisation.version}`}
          organisation={editingOrganisation}
          notice={editing.notice}
          onSaved={onUpdated}
          onFailed={(error) => onFailed(error, editingOrganisation.id)}
          onCancel={() => {
            setEditing(null);
          }}
        />
      ) : null}
      {canManageKeys && keysOrganisation ? (
        <ApiKeysPanel
          key={keysOrganisation.id}
          organisation={keysOrganisation}
          onClose={() => {
            setEditing(null);
          }}
        />
      ) : null}

      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="organisations"
        caption={t('organisations.caption', { count: sorted.length })}
        columns={[
          t('organisations.columns.name'),
          t('organisations.columns.kind'),
          t('organisations.columns.regions'),
        ]}
        actionsColumn={(canManage || canManageKeys) && t('organisations.columns.actions')}
        rows={sorted}
        empty={t('organisations.empty')}
        renderRow={(organisation) => (
          <tr key={organisation.id}>
            <td className="cell-name" id={`organisation-${organisation.id}`}>
              {organisation.name}
              {organisation.isDemo ? <Tag>{t('common.demo')}</Tag> : null}
            </td>
            <td>{t(`organisationKinds.${organisation.kind}`)}</td>
            <td className="cell-wide">{describeRegions(t, organisation.regionsServed)}</td>
            {canManage || canManageKeys ? (
              <td>
                <div className="row-actions">
                  {canManage ? (
                    <RowButton
                      describedBy={`organisation-${organisation.id}`}
                      onClick={() => {
                        setSuccess(null);
                        setEditing({ mode: 'edit', id: organisation.id, notice: null });
                      }}
                    >
                      {t('actions.edit')}
                    </RowButton>
                  ) : null}
                  {canManageKeys ? (
                    <RowButton
                      describedBy={`organisation-${organisation.id}`}
                      onClick={() => {
                        setSuccess(null);
                        setEditing({ mode: 'keys', id: organisation.id });
                      }}
                    >
                      {t('apiKeys.open')}
                    </RowButton>
                  ) : null}
                </div>
              </td>
            ) : null}
          </tr>
        )}
      />
    </Page>
  );
}
