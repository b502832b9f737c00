import { useRef, useState, type RefObject, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formErrorsFrom, invalidForm, noErrors, type FormErrors } from './errors.ts';
import { useFocusFirstError } from './forms.tsx';

export interface Submission {
  /** Client-side checks: a message for each field that needs fixing; none when all is well. */
  check?: () => Record<string, string>;
  /** Sends the form; throws when the server refuses it. */
  send: () => Promise<void>;
  /** Changes the errors found in a failure (by default the field messages the server sent). */
  failed?: (error: unknown, found: FormErrors) => FormErrors | Promise<FormErrors>;
}

export interface FormControl {
  formRef: RefObject<HTMLFormElement | null>;
  errors: FormErrors;
  setErrors: (errors: FormErrors) => void;
  busy: boolean;
  /** Checks, then sends once at a time, showing problems against the fields and focusing the first. */
  submit: (event: SubmitEvent, submission: Submission) => Promise<void>;
}

/**
 * The state every form shares: its messages, whether it is being sent, and the submit sequence
 * (check on this device, send, map the server's field messages onto `fieldNames`).
 */
export function useForm(fieldNames: readonly string[]): FormControl {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  useFocusFirstError(formRef, errors);

  const submit = async (event: SubmitEvent, { check, send, failed }: Submission) => {
    event.preventDefault();
    if (busy) return;
    const fields = check?.() ?? {};
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      await send();
    } catch (error) {
      const found = formErrorsFrom(t, error, fieldNames);
      setErrors(failed ? await failed(error, found) : found);
    } finally {
      setBusy(false);
    }
  };

  return { formRef, errors, setErrors, busy, submit };
}
