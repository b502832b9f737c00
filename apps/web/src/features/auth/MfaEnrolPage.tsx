import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { errorMessage } from '../../components/errors.ts';
import { authApi } from './api.ts';
import { CodeForm } from './CodeForm.tsx';
import { useSession } from './session.tsx';

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
  const [attempt, setAttempt] = useState(0);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

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
          <CodeForm submitLabel={t('mfa.confirm')} send={authApi.confirmMfaEnrolment} />
        </li>
      </ol>
    </Page>
  );
}
