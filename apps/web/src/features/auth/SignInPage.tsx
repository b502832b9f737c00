import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { formErrorsFrom, invalidForm, noErrors, type FormErrors } from '../../components/errors.ts';
import { FormMessages, TextField, useFocusFirstError } from '../../components/forms.tsx';
import { authApi } from './api.ts';
import { useSessionContext } from './session.tsx';

export function SignInPage() {
  const { t } = useTranslation();
  const { state, setSession } = useSessionContext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  const reason = state.status === 'signed_out' ? state.reason : null;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = t('signIn.emailRequired');
    if (!password) fields.password = t('signIn.passwordRequired');
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      setSession(await authApi.signIn({ email: email.trim(), password }));
    } catch (error) {
      setErrors(formErrorsFrom(t, error, ['email', 'password']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signIn.title')} lead={t('signIn.lead')} narrow>
      {reason && !errors.form ? (
        <div className={reason === 'expired' ? 'notice notice-warning' : 'notice'} role="status">
          <p>{reason === 'expired' ? t('signIn.sessionEnded') : t('signIn.signedOut')}</p>
        </div>
      ) : null}
      <FormMessages errors={errors} />
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('fields.email')}
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
        />
        <TextField
          label={t('fields.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {t('signIn.submit')}
          </button>
        </div>
      </form>
      <p className="hint">{t('signIn.help')}</p>
    </Page>
  );
}
