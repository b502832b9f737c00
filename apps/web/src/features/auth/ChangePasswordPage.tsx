import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { Form, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { authApi } from './api.ts';
import { useSessionContext } from './session.tsx';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 200;

type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { setSession } = useSessionContext();
  const [values, setValues] = useState<Record<PasswordField, string>>({
    currentPassword: '',
    newPassword: '',
    confirmPassword: '',
  });
  const form = useForm(['currentPassword', 'newPassword']);
  const { currentPassword, newPassword, confirmPassword } = values;

  const check = () => {
    const fields: Record<string, string> = {};
    if (!currentPassword) fields.currentPassword = t('changePassword.currentRequired');
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      fields.newPassword = t('changePassword.tooShort', { count: MIN_PASSWORD_LENGTH });
    } else if (newPassword.length > MAX_PASSWORD_LENGTH) {
      fields.newPassword = t('changePassword.tooLong', { count: MAX_PASSWORD_LENGTH });
    } else if (newPassword === currentPassword) {
      fields.newPassword = t('changePassword.sameAsCurrent');
    }
    if (!confirmPassword) fields.confirmPassword = t('changePassword.confirmRequired');
    else if (confirmPassword !== newPassword) fields.confirmPassword = t('changePassword.mismatch');
    return fields;
  };

  const fields: readonly { name: PasswordField; label: string; autoComplete: string; hint?: string }[] = [
    {
      name: 'currentPassword',
      label: t('fields.currentPassword'),
      autoComplete: 'current-password',
      hint: t('changePassword.currentHint'),
    },
    {
      name: 'newPassword',
      label: t('fields.newPassword'),
      autoComplete: 'new-password',
      hint: t('changePassword.newHint', { count: MIN_PASSWORD_LENGTH }),
    },
    { name: 'confirmPassword', label: t('fields.confirmNewPassword'), autoComplete: 'new-password' },
  ];

  return (
    <Page title={t('changePassword.title')} lead={t('changePassword.lead')} narrow>
      <Form
        form={form}
        submitLabel={t('changePassword.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check,
            send: async () => {
              setSession(await authApi.changePassword({ currentPassword, newPassword }));
            },
          })
        }
      >
        {fields.map((field) => (
          <TextField
            key={field.name}
            label={field.label}
            name={field.name}
            type="password"
            autoComplete={field.autoComplete}
            required
            hint={field.hint}
            value={values[field.name]}
            onChange={(value) => {
              setValues((current) => ({ ...current, [field.name]: value }));
            }}
            error={form.errors.fields[field.name]}
          />
        ))}
      </Form>
    </Page>
  );
}
