import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '@tiaki/domain';
import { Panel } from '../../components/Panel.tsx';
import { EmailField, Form, SelectField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { organisationsApi } from '../organisations/api.ts';
import { usersApi } from './api.ts';
import { checkNameAndRoles, NameAndRolesFields } from './NameAndRoles.tsx';

const FIELDS = ['email', 'displayName', 'organisationId', 'roles'] as const;

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
  const [organisations, setOrganisations] = useState<readonly OrganisationChoice[] | null>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const form = useForm(FIELDS);
  const { errors } = form;
  const trimmedEmail = email.trim();
  const trimmedName = displayName.trim();

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

  const check = () => {
    const fields: Record<string, string> = {};
    if (!trimmedEmail) fields.email = t('users.emailRequired');
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmedEmail)) fields.email = t('users.emailInvalid');
    if (!organisationId) fields.organisationId = t('users.organisationRequired');
    return { ...fields, ...checkNameAndRoles(t, trimmedName, roles) };
  };

  const send = async () => {
    const created = await usersApi.create({
      email: trimmedEmail,
      displayName: trimmedName,
      organisationId,
      roles,
    });
    onCreated(created.user, created.oneTimePassword);
  };

  const choices = [...(organisations ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'en-NZ'));

  return (
    <Panel heading={t('users.add')}>
      <p className="meta">{t('users.addLead')}</p>
      <Form
        form={form}
        submitLabel={t('users.create')}
        onCancel={onCancel}
        onSubmit={(event) => form.submit(event, { check, send })}
      >
        <EmailField
          label={t('fields.email')}
          name="email"
          autoComplete="off"
          required
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
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
        <NameAndRolesFields
          displayName={displayName}
          onDisplayNameChange={setDisplayName}
          roles={roles}
          onRolesChange={setRoles}
          errors={errors}
          nameHint={t('users.nameHint')}
          rolesHint={t('users.rolesHint')}
        />
      </Form>
    </Panel>
  );
}
