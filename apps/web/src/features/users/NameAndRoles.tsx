import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Role } from '@tiaki/domain';
import type { FormErrors } from '../../components/errors.ts';
import { CheckboxGroup, TextField } from '../../components/forms.tsx';
import { roleOptions } from './status.ts';

export const MAX_NAME = 200;

/** Checks the trimmed name and the roles of an account, as the server will. */
export function checkNameAndRoles(
  t: TFunction,
  name: string,
  roles: readonly Role[],
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!name) fields.displayName = t('users.nameRequired');
  else if (name.length > MAX_NAME) fields.displayName = t('forms.tooLong', { count: MAX_NAME });
  if (roles.length === 0) fields.roles = t('users.rolesRequired');
  return fields;
}

interface Props {
  displayName: string;
  onDisplayNameChange: (value: string) => void;
  roles: Role[];
  onRolesChange: (roles: Role[]) => void;
  errors: FormErrors;
  nameHint?: string;
  rolesHint: string;
}

/** The name and roles of an account: the fields shared by creating and changing one. */
export function NameAndRolesFields({
  displayName,
  onDisplayNameChange,
  roles,
  onRolesChange,
  errors,
  nameHint,
  rolesHint,
}: Props) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        label={t('fields.displayName')}
        name="displayName"
        autoComplete="off"
        required
        maxLength={MAX_NAME}
        hint={nameHint}
        value={displayName}
        onChange={onDisplayNameChange}
        error={errors.fields.displayName}
      />
      <CheckboxGroup
        legend={t('fields.roles')}
        name="roles"
        hint={rolesHint}
        options={roleOptions(t)}
        values={roles}
        onChange={onRolesChange}
        error={errors.fields.roles}
      />
    </>
  );
}
