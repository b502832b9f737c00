import { useRef, useState, type SubmitEvent } from 'react';
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
import { useSessionContext } from './session.tsx';

export function MfaVerifyPage() {
  const { t } = useTranslation();
  const { setSession } = useSessionContext();
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

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
      setSession(await authApi.verifyMfa(value));
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
    <Page title={t('mfa.verifyTitle')} lead={t('mfa.verifyLead')} narrow>
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
            {t('mfa.verify')}
          </button>
        </div>
      </form>
      <p className="hint">{t('mfa.lostDevice')}</p>
    </Page>
  );
}
