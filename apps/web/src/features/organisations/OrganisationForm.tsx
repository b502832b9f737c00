import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORGANISATION_KINDS, type Organisation, type OrganisationKind } from '@tiaki/domain';
import { Panel } from '../../components/Panel.tsx';
import { CheckboxGroup, Form, SelectField, TextField } from '../../components/forms.tsx';
import { regionOptions } from '../../components/regions.tsx';
import { useForm } from '../../components/useForm.ts';
import { organisationsApi } from './api.ts';

const MAX_NAME = 200;
const FIELDS = ['kind', 'name', 'regionsServed'] as const;

function isKind(value: string): value is OrganisationKind {
  return (ORGANISATION_KINDS as readonly string[]).includes(value);
}

interface Props {
  /** The organisation to change; a new one is created when absent. */
  organisation?: Organisation;
  /** A message to show when the form opens, such as "someone else changed this". */
  notice?: string | null;
  onSaved: (organisation: Organisation) => void;
  onFailed?: (error: unknown) => Promise<void>;
  onCancel: () => void;
}

export function OrganisationForm({ organisation, notice = null, onSaved, onFailed, onCancel }: Props) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>(organisation?.kind ?? '');
  const [name, setName] = useState(organisation?.name ?? '');
  const [regions, setRegions] = useState<string[]>(organisation?.regionsServed ?? []);
  const form = useForm(FIELDS);
  const { errors } = form;
  const trimmed = name.trim();

  const check = () => {
    const fields: Record<string, string> = {};
    if (!organisation && !isKind(kind)) fields.kind = t('organisations.kindRequired');
    if (!trimmed) fields.name = t('organisations.nameRequired');
    else if (trimmed.length > MAX_NAME) fields.name = t('forms.tooLong', { count: MAX_NAME });
    return fields;
  };

  const send = async () => {
    if (organisation) {
      onSaved(
        await organisationsApi.update(organisation.id, {
          name: trimmed,
          regionsServed: regions,
          version: organisation.version,
        }),
      );
    } else if (isKind(kind)) {
      onSaved(await organisationsApi.create({ kind, name: trimmed, regionsServed: regions }));
    }
  };

  return (
    <Panel
      heading={
        organisation ? t('organisations.editHeading', { name: organisation.name }) : t('organisations.add')
      }
    >
      {notice ? (
        <div className="notice notice-warning" role="alert">
          <p>{notice}</p>
        </div>
      ) : null}
      <Form
        form={form}
        submitLabel={organisation ? t('actions.saveChanges') : t('organisations.create')}
        onCancel={onCancel}
        onSubmit={(event) =>
          form.submit(event, {
            check,
            send,
            failed: async (error, found) => {
              if (onFailed) await onFailed(error);
              return found;
            },
          })
        }
      >
        {organisation ? (
          <p className="meta">
            {t('organisations.kindIs', { kind: t(`organisationKinds.${organisation.kind}`) })}
          </p>
        ) : (
          <SelectField
            label={t('fields.kind')}
            name="kind"
            required
            placeholder={t('forms.choose')}
            options={ORGANISATION_KINDS.map((value) => ({ value, label: t(`organisationKinds.${value}`) }))}
            value={kind}
            onChange={setKind}
            error={errors.fields.kind}
          />
        )}
        <TextField
          label={t('fields.organisationName')}
          name="name"
          required
          autoComplete="organization"
          maxLength={MAX_NAME}
          value={name}
          onChange={setName}
          error={errors.fields.name}
        />
        <CheckboxGroup
          legend={t('fields.regionsServed')}
          name="regionsServed"
          hint={t('organisations.regionsHint')}
          options={regionOptions}
          values={regions}
          onChange={setRegions}
          error={errors.fields.regionsServed}
          columns
        />
      </Form>
    </Panel>
  );
}
