import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { EmailField, Form, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { authApi } from './api.ts';
import { useSessionContext } from './session.tsx';

export function SignInPage() {
  const { t } = useTranslation();
  const { state, setSession } = useSessionContext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm(['email', 'password']);
  const { errors } = form;

  const reason = state.status === 'signed_out' ? state.reason : null;

  return (
    <Page title={t('signIn.title')} lead={t('signIn.lead')} narrow>
      {reason && !errors.form ? (
        <div className={reason === 'expired' ? 'notice notice-warning' : 'notice'} role="status">
          <p>{reason === 'expired' ? t('signIn.sessionEnded') : t('signIn.signedOut')}</p>
        </div>
      ) : null}
      <Form
        form={form}
        submitLabel={t('signIn.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const fields: Record<string, string> = {};
              if (!email.trim()) fields.email = t('signIn.emailRequired');
              if (!password) fields.password = t('signIn.passwordRequired');
              return fields;
            },
            send: async () => {
              setSession(await authApi.signIn({ email: email.trim(), password }));
            },
          })
        }
      >
        <EmailField
          label={t('fields.email')}
          name="email"
          autoComplete="username"
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
      </Form>
      <p className="hint">{t('signIn.help')}</p>
    </Page>
  );
}
