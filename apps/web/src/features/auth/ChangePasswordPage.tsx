import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { formErrorsFrom, invalidForm, noErrors, type FormErrors } from '../../components/errors.ts';
import { FormMessages, TextField, useFocusFirstError } from '../../components/forms.tsx';
import { authApi } from './api.ts';
import { useSessionContext } from './session.tsx';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 200;

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { setSession } = useSessionContext();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
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
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      setSession(await authApi.changePassword({ currentPassword, newPassword }));
    } catch (error) {
      setErrors(formErrorsFrom(t, error, ['currentPassword', 'newPassword']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('changePassword.title')} lead={t('changePassword.lead')} narrow>
      <FormMessages errors={errors} />
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('fields.currentPassword')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          hint={t('changePassword.currentHint')}
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.fields.currentPassword}
        />
        <TextField
          label={t('fields.newPassword')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint={t('changePassword.newHint', { count: MIN_PASSWORD_LENGTH })}
          value={newPassword}
          onChange={setNewPassword}
          error={errors.fields.newPassword}
        />
        <TextField
          label={t('fields.confirmNewPassword')}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          value={confirmPassword}
          onChange={setConfirmPassword}
          error={errors.fields.confirmPassword}
        />
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {t('changePassword.submit')}
          </button>
        </div>
      </form>
    </Page>
  );
}
