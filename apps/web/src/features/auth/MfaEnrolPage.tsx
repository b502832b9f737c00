import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client.ts';
import { Page } from '../../components/Page.tsx';
import {
  errorMessage,
  formErrorsFrom,
  invalidForm,
  noErrors,
  type FormErrors,
} from '../../components/errors.ts';
import { FormMessages, TextField, useFocusFirstError } from '../../components/forms.tsx';
import { authApi } from './api.ts';
import { isSixDigitCode, normaliseCode } from './code.ts';
import { useSession, useSessionContext } from './session.tsx';

type Enrolment = Awaited<ReturnType<typeof authApi.startMfaEnrolment>>;

/**
 * One enrolment per session token and page load: React may run the loading effect twice in
 * development, and a second enrolment would replace the secret the first one showed.
 */
const started = new Map<string, Promise<Enrolment>>();
function startEnrolmentOnce(csrfToken: string): Promise<Enrolment> {
  let pending = started.get(csrfToken);
  if (!pending) {
    pending = authApi.startMfaEnrolment();
    started.set(csrfToken, pending);
    pending.catch(() => started.delete(csrfToken));
  }
  return pending;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to copy by hand. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function MfaEnrolPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { setSession } = useSessionContext();
  const [attempt, setAttempt] = useState(0);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  const token = session.csrfToken;
  useEffect(() => {
    let cancelled = false;
    startEnrolmentOnce(token).then(
      (result) => {
        if (!cancelled) setEnrolment(result);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [token, attempt]);

  const retry = () => {
    setLoadError(null);
    setAttempt((n) => n + 1);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const value = normaliseCode(code);
    if (!isSixDigitCode(value)) {
      setErrors(invalidForm(t, { code: t('mfa.codeInvalid') }));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      setSession(await authApi.confirmMfaEnrolment(value));
    } catch (error) {
      const found = formErrorsFrom(t, error, ['code']);
      if (error instanceof ApiRequestError && error.code === 'invalid_code') {
        setCode('');
        setErrors({ ...found, fields: { code: errorMessage(t, error) } });
      } else {
        setErrors(found);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('mfa.enrolTitle')} lead={t('mfa.enrolLead')}>
      <ol className="steps">
        <li className="step">
          <h2 className="step-heading">{t('mfa.step1Heading')}</h2>
          <p>{t('mfa.step1Text')}</p>
        </li>
        <li className="step">
          <h2 className="step-heading">{t('mfa.step2Heading')}</h2>
          {loadError ? (
            <div className="alert alert-error" role="alert">
              <p>{errorMessage(t, loadError)}</p>
              <button type="button" className="button button-secondary" onClick={retry}>
                {t('actions.tryAgain')}
              </button>
            </div>
          ) : enrolment ? (
            <div className="enrolment">
              <img
                className="qr"
                src={`data:image/svg+xml;base64,${toBase64(enrolment.qrSvg)}`}
                alt={t('mfa.qrAlt')}
                width={200}
                height={200}
              />
              <div className="enrolment-text">
                <p>{t('mfa.step2Scan')}</p>
                <p>{t('mfa.step2Manual')}</p>
                <p className="secret-block">
                  <span className="secret-label">{t('mfa.secretLabel')}</span>{' '}
                  <code className="secret">{groupSecret(enrolment.secret)}</code>
                </p>
                <p className="hint">{t('mfa.secretHint')}</p>
                <p>
                  <a href={enrolment.otpauthUri} className="link">
                    {t('mfa.openInApp')}
                  </a>
                </p>
              </div>
            </div>
          ) : (
            <p role="status">{t('mfa.preparing')}</p>
          )}
        </li>
        <li className="step">
          <h2 className="step-heading">{t('mfa.step3Heading')}</h2>
          <FormMessages errors={errors} />
          <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
            <TextField
              label={t('fields.code')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              maxLength={9}
              width="short"
              required
              hint={t('mfa.codeHint')}
              value={code}
              onChange={setCode}
              error={errors.fields.code}
            />
            <div className="actions">
              <button type="submit" className="button" aria-disabled={busy || undefined}>
                {t('mfa.confirm')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </Page>
  );
}
