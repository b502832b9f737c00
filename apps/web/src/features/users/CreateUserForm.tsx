import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '@tiaki/domain';
import { formErrorsFrom, invalidForm, noErrors, type FormErrors } from '../../components/errors.ts';
import {
  CheckboxGroup,
  FormMessages,
  SelectField,
  TextField,
  useFocusFirstError,
} from '../../components/forms.tsx';
import { organisationsApi } from '../organisations/api.ts';
import { usersApi } from './api.ts';
import { roleOptions } from './status.ts';

const FIELDS = ['email', 'displayName', 'organisationId', 'roles'] as const;
const MAX_NAME = 200;

interface OrganisationChoice {
  id: string;
  name: string;
}

interface Props {
  /** Organisations known from the user list, used if the full list cannot be read. */
  knownOrganisations: readonly OrganisationChoice[];
  onCreated: (user: User, oneTimePassword: string) => void;
  onCancel: () => void;
}

export function CreateUserForm({ knownOrganisations, onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [organisations, setOrganisations] = useState<readonly OrganisationChoice[] | null>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  useFocusFirstError(formRef, errors);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  useEffect(() => {
    let cancelled = false;
    organisationsApi.list().then(
      (data) => {
        if (!cancelled) setOrganisations(data.organisations);
      },
      () => {
        // Without permission to list organisations, offer the ones that already have users.
        if (!cancelled) setOrganisations(knownOrganisations);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [knownOrganisations]);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    const trimmedEmail = email.trim();
    const trimmedName = displayName.trim();
    if (!trimmedEmail) fields.email = t('users.emailRequired');
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmedEmail)) fields.email = t('users.emailInvalid');
    if (!trimmedName) fields.displayName = t('users.nameRequired');
    else if (trimmedName.length > MAX_NAME) fields.displayName = t('forms.tooLong', { count: MAX_NAME });
    if (!organisationId) fields.organisationId = t('users.organisationRequired');
    if (roles.length === 0) fields.roles = t('users.rolesRequired');
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      const created = await usersApi.create({
        email: trimmedEmail,
        displayName: trimmedName,
        organisationId,
        roles,
      });
      onCreated(created.user, created.oneTimePassword);
    } catch (error) {
      setErrors(formErrorsFrom(t, error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const choices = [...(organisations ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'en-NZ'));

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="panel-heading">
        {t('users.add')}
      </h2>
      <p className="meta">{t('users.addLead')}</p>
      <FormMessages errors={errors} />
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('fields.email')}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
        />
        <TextField
          label={t('fields.displayName')}
          name="displayName"
          autoComplete="off"
          required
          maxLength={MAX_NAME}
          hint={t('users.nameHint')}
          value={displayName}
          onChange={setDisplayName}
          error={errors.fields.displayName}
        />
        <SelectField
          label={t('fields.organisation')}
          name="organisationId"
          required
          placeholder={organisations ? t('forms.choose') : t('app.loading')}
          options={choices.map((o) => ({ value: o.id, label: o.name }))}
          value={organisationId}
          onChange={setOrganisationId}
          error={errors.fields.organisationId}
        />
        <CheckboxGroup
          legend={t('fields.roles')}
          name="roles"
          hint={t('users.rolesHint')}
          options={roleOptions(t)}
          values={roles}
          onChange={setRoles}
          error={errors.fields.roles}
        />
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {t('users.create')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
