import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organisation } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { describeRegions } from '../../components/regions.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useCan } from '../auth/session.tsx';
import { organisationsApi } from './api.ts';
import { OrganisationForm } from './OrganisationForm.tsx';

type Editing = { mode: 'create' } | { mode: 'edit'; id: string; notice: string | null } | null;

export function OrganisationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('organisations.manage');
  const { state, reload, update } = useLoad(organisationsApi.list);
  const [editing, setEditing] = useState<Editing>(null);
  const [success, setSuccess] = useState<string | null>(null);

  const organisations = state.status === 'ready' ? state.data.organisations : [];
  const sorted = [...organisations].sort((a, b) => a.name.localeCompare(b.name, 'en-NZ'));
  const editingOrganisation =
    editing?.mode === 'edit'
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
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>

      {canManage && editing === null ? (
        <div className="actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              setSuccess(null);
              setEditing({ mode: 'create' });
            }}
          >
            {t('organisations.add')}
          </button>
        </div>
      ) : null}

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

      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        sorted.length === 0 ? (
          <p>{t('organisations.empty')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="organisations-caption" tabIndex={0}>
            <table className="table">
              <caption id="organisations-caption" className="caption">
                {t('organisations.caption', { count: sorted.length })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('organisations.columns.name')}</th>
                  <th scope="col">{t('organisations.columns.kind')}</th>
                  <th scope="col">{t('organisations.columns.regions')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span className="visually-hidden">{t('organisations.columns.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {sorted.map((organisation) => (
                  <tr key={organisation.id}>
                    <td className="cell-name" id={`organisation-${organisation.id}`}>
                      {organisation.name}
                      {organisation.isDemo ? (
                        <>
                          {' '}
                          <span className="tag tag-small">{t('common.demo')}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{t(`organisationKinds.${organisation.kind}`)}</td>
                    <td className="cell-wide">{describeRegions(t, organisation.regionsServed)}</td>
                    {canManage ? (
                      <td>
                        <button
                          type="button"
                          className="button button-small button-secondary"
                          aria-describedby={`organisation-${organisation.id}`}
                          onClick={() => {
                            setSuccess(null);
                            setEditing({ mode: 'edit', id: organisation.id, notice: null });
                          }}
                        >
                          {t('actions.edit')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </Page>
  );
}
