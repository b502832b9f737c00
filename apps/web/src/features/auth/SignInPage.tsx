import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { SSO_ERRORS, type SsoError } from '@tiaki/domain';
import { Page } from '../../components/Page.tsx';
import { EmailField, Form, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { authApi } from './api.ts';
import { useSessionContext } from './session.tsx';

const loadProviders = () => authApi.oidcProviders();

const isSsoError = (value: string | null): value is SsoError =>
  value !== null && (SSO_ERRORS as readonly string[]).includes(value);

/** Why single sign-on came back without signing the person in, in plain words. */
function SsoProblem({ error }: { error: SsoError }) {
  const { t } = useTranslation();
  if (error === 'no_access') {
    return (
      <div className="notice notice-warning" role="alert">
        <h2>{t('signIn.sso.noAccessTitle')}</h2>
        <p>{t('signIn.sso.no_access')}</p>
      </div>
    );
  }
  return (
    <div className="notice notice-warning" role="alert">
      <p>{t(`signIn.sso.${error}`)}</p>
    </div>
  );
}

/** "Sign in with …" for each organisation's identity provider, when any is set up. */
function ProviderButtons() {
  const { t } = useTranslation();
  const { state } = useLoad(loadProviders);
  if (state.status !== 'ready' || state.data.providers.length === 0) return null;
  return (
    <section className="sso" aria-labelledby="sso-heading">
      <h2 id="sso-heading">{t('signIn.sso.heading')}</h2>
      <ul className="sso-providers">
        {state.data.providers.map((provider) => (
          <li key={provider.id}>
            <a className="button button-secondary" href={authApi.oidcStartPath(provider.id)}>
              {t('signIn.sso.button', { name: provider.displayName })}
            </a>
          </li>
        ))}
      </ul>
      <p className="hint">{t('signIn.sso.orPassword')}</p>
    </section>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const { state, setSession } = useSessionContext();
  const [searchParams] = useSearchParams();
  const ssoParam = searchParams.get('sso_error');
  const ssoError = isSsoError(ssoParam) ? ssoParam : null;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm(['email', 'password']);
  const { errors } = form;

  const reason = state.status === 'signed_out' ? state.reason : null;

  return (
    <Page title={t('signIn.title')} lead={t('signIn.lead')} narrow>
      {ssoError && !errors.form ? <SsoProblem error={ssoError} /> : null}
      <ProviderButtons />
      {reason && !ssoError && !errors.form ? (
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
