import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ORGANISATION_KINDS, type Organisation, type OrganisationKind } from '@tiaki/domain';
import { formErrorsFrom, invalidForm, noErrors, type FormErrors } from '../../components/errors.ts';
import {
  CheckboxGroup,
  FormMessages,
  SelectField,
  TextField,
  useFocusFirstError,
} from '../../components/forms.tsx';
import { regionOptions } from '../../components/regions.tsx';
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
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<string>(organisation?.kind ?? '');
  const [name, setName] = useState(organisation?.name ?? '');
  const [regions, setRegions] = useState<string[]>(organisation?.regionsServed ?? []);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  useFocusFirstError(formRef, errors);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    const trimmed = name.trim();
    if (!organisation && !isKind(kind)) fields.kind = t('organisations.kindRequired');
    if (!trimmed) fields.name = t('organisations.nameRequired');
    else if (trimmed.length > MAX_NAME) fields.name = t('forms.tooLong', { count: MAX_NAME });
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
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
    } catch (error) {
      setErrors(formErrorsFrom(t, error, FIELDS));
      if (onFailed) await onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="panel-heading">
        {organisation ? t('organisations.editHeading', { name: organisation.name }) : t('organisations.add')}
      </h2>
      {notice ? (
        <div className="notice notice-warning" role="alert">
          <p>{notice}</p>
        </div>
      ) : null}
      <FormMessages errors={errors} />
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
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
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {organisation ? t('actions.saveChanges') : t('organisations.create')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
