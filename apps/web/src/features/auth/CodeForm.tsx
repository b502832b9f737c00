import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { errorMessage } from '../../components/errors.ts';
import { Form, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { isSixDigitCode, normaliseCode } from './code.ts';
import { useSessionContext } from './session.tsx';

interface Props {
  submitLabel: string;
  /** Sends the 6-digit code; answers with the session's next stage. */
  send: (code: string) => Promise<SessionView>;
}

/** The 6-digit code from an authenticator app, for enrolment and for each sign-in. */
export function CodeForm({ submitLabel, send }: Props) {
  const { t } = useTranslation();
  const { setSession } = useSessionContext();
  const [code, setCode] = useState('');
  const form = useForm(['code']);

  return (
    <Form
      form={form}
      submitLabel={submitLabel}
      onSubmit={(event) =>
        form.submit(event, {
          check: (): Record<string, string> =>
            isSixDigitCode(normaliseCode(code)) ? {} : { code: t('mfa.codeInvalid') },
          send: async () => {
            setSession(await send(normaliseCode(code)));
          },
          failed: (error, found) => {
            if (!(error instanceof ApiRequestError && error.code === 'invalid_code')) return found;
            // A wrong or used code: clear it so the next one can be typed straight in.
            setCode('');
            return { ...found, fields: { code: errorMessage(t, error) } };
          },
        })
      }
    >
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
        error={form.errors.fields.code}
      />
    </Form>
  );
}
