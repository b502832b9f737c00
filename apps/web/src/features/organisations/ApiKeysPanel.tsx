import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createApiKeyRequest, type ApiKey, type Organisation } from '@tiaki/domain';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { errorMessage } from '../../components/errors.ts';
import { Form, TextField } from '../../components/forms.tsx';
import { Panel } from '../../components/Panel.tsx';
import { ListIntro, LoadedTable, RowButton } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { apiKeysApi } from './api.ts';

const MAX_NAME = 200;
const FIELDS = ['name'] as const;

interface Props {
  organisation: Organisation;
  onClose: () => void;
}

/** An organisation's API keys: the list, a form to issue one (shown once), and revoking. */
export function ApiKeysPanel({ organisation, onClose }: Props) {
  const { t } = useTranslation();
  const load = useCallback(() => apiKeysApi.list(organisation.id), [organisation.id]);
  const { state, reload, update } = useLoad(load);
  const [success, setSuccess] = useState<string | null>(null);
  const [created, setCreated] = useState<{ apiKey: ApiKey; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const keys = state.status === 'ready' ? state.data.apiKeys : [];
  const sorted = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const revoke = async (key: ApiKey) => {
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      const revoked = await apiKeysApi.revoke(key.id);
      update((data) => ({ apiKeys: data.apiKeys.map((k) => (k.id === revoked.id ? revoked : k)) }));
      setRevoking(null);
      setSuccess(t('apiKeys.revoked', { name: revoked.name }));
    } catch (error) {
      setRevokeError(errorMessage(t, error));
    } finally {
      setRevokeBusy(false);
    }
  };

  return (
    <Panel
      heading={t('apiKeys.heading', { name: organisation.name })}
      aside={
        <button type="button" className="button button-small button-secondary" onClick={onClose}>
          {t('actions.close')}
        </button>
      }
    >
      <p>{t('apiKeys.intro')}</p>
      <ListIntro success={success} />

      {created ? (
        <NewKey
          name={created.apiKey.name}
          secret={created.key}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : (
        <CreateKeyForm
          organisationId={organisation.id}
          onCreated={(result) => {
            update((data) => ({ apiKeys: [...data.apiKeys, result.apiKey] }));
            setSuccess(null);
            setRevoking(null);
            setCreated(result);
          }}
        />
      )}

      {revoking ? (
        <>
          <div role="alert" className="live-region">
            {revokeError ? <div className="alert alert-error">{revokeError}</div> : null}
          </div>
          <ConfirmStep
            danger
            busy={revokeBusy}
            question={t('apiKeys.revokeQuestion', { name: revoking.name })}
            detail={t('apiKeys.revokeDetail')}
            onConfirm={() => void revoke(revoking)}
            onCancel={() => {
              setRevoking(null);
              setRevokeError(null);
            }}
          />
        </>
      ) : null}

      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id={`api-keys-${organisation.id}`}
        caption={t('apiKeys.caption', { count: sorted.length })}
        columns={[
          t('apiKeys.columns.name'),
          t('apiKeys.columns.prefix'),
          t('apiKeys.columns.created'),
          t('apiKeys.columns.lastUsed'),
          t('apiKeys.columns.status'),
        ]}
        actionsColumn={t('apiKeys.columns.actions')}
        rows={sorted}
        empty={t('apiKeys.empty')}
        renderRow={(key) => (
          <tr key={key.id}>
            <td className="cell-name" id={`api-key-${key.id}`}>
              {key.name}
            </td>
            <td>
              <code className="code">{key.prefix}…</code>
            </td>
            <td className="cell-nowrap">{formatDateTime(key.createdAt)}</td>
            <td className="cell-nowrap">
              {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('apiKeys.never')}
            </td>
            <td>
              {key.revokedAt ? (
                <span className="badge badge-deactivated">
                  {t('apiKeys.revokedOn', { date: formatDateTime(key.revokedAt) })}
                </span>
              ) : (
                <span className="badge badge-active">{t('apiKeys.active')}</span>
              )}
            </td>
            <td>
              {key.revokedAt ? null : (
                <RowButton
                  describedBy={`api-key-${key.id}`}
                  onClick={() => {
                    setSuccess(null);
                    setRevokeError(null);
                    setRevoking(key);
                  }}
                >
                  {t('apiKeys.revoke')}
                </RowButton>
              )}
            </td>
          </tr>
        )}
      />
    </Panel>
  );
}

function CreateKeyForm({
  organisationId,
  onCreated,
}: {
  organisationId: string;
  onCreated: (result: { apiKey: ApiKey; key: string }) => void;
}) {
  const { t } = useTranslation();
  const form = useForm(FIELDS);
  const [name, setName] = useState('');
  const trimmed = name.trim();

  const check = () => {
    const fields: Record<string, string> = {};
    if (!trimmed) fields.name = t('apiKeys.nameRequired');
    else if (!createApiKeyRequest.safeParse({ name: trimmed }).success)
      fields.name = t('forms.tooLong', { count: MAX_NAME });
    return fields;
  };

  return (
    <>
      <h3 className="subheading">{t('apiKeys.createHeading')}</h3>
      <Form
        form={form}
        submitLabel={t('apiKeys.create')}
        onSubmit={(event) =>
          form.submit(event, {
            check,
            send: async () => {
              onCreated(await apiKeysApi.create(organisationId, trimmed));
            },
          })
        }
      >
        <TextField
          label={t('apiKeys.nameLabel')}
          name="name"
          hint={t('apiKeys.nameHint')}
          required
          maxLength={MAX_NAME}
          value={name}
          onChange={setName}
          error={form.errors.fields.name}
        />
      </Form>
    </>
  );
}

function NewKey({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };

  return (
    <div className="panel panel-important">
      <h3 ref={headingRef} tabIndex={-1} className="subheading">
        {t('apiKeys.newHeading', { name })}
      </h3>
      <p className="secret-block">
        <span className="secret-label">{t('apiKeys.keyLabel')}</span> <code className="secret">{secret}</code>
      </p>
      <ul className="list">
        <li>
          <strong>{t('apiKeys.shownOnce')}</strong>
        </li>
        <li>{t('apiKeys.howToUse')}</li>
        <li>{t('apiKeys.neverShare')}</li>
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {t('apiKeys.copy')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('apiKeys.done')}
        </button>
      </div>
      <p role="status" className="live-region">
        {copied === 'yes' ? t('apiKeys.copied') : copied === 'no' ? t('apiKeys.copyFailed') : ''}
      </p>
    </div>
  );
}
