import type { TFunction } from 'i18next';
import { ApiRequestError } from '../api/client.ts';

/** Error codes with a translated message; any other code shows the server's own message. */
const TRANSLATED_CODES = [
  'invalid_credentials',
  'too_many_attempts',
  'validation_failed',
  'invalid_code',
  'no_enrolment',
  'not_signed_in',
  'session_expired',
  'sign_in_incomplete',
  'forbidden',
  'csrf_failed',
  'not_found',
  'version_conflict',
  'email_taken',
  'name_taken',
  'cannot_change_own_access',
  'malformed_json',
  'body_too_large',
  'unsupported_media_type',
  'route_not_found',
  'internal_error',
  'network_error',
  'unexpected_response',
] as const;
type TranslatedCode = (typeof TRANSLATED_CODES)[number];

function isTranslated(code: string): code is TranslatedCode {
  return (TRANSLATED_CODES as readonly string[]).includes(code);
}

/** A plain-language message for any failure, in the language in use. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiRequestError)) return t('errorCodes.unknown');
  if (error.code === 'account_locked') {
    const until = typeof error.body.lockedUntil === 'string' ? Date.parse(error.body.lockedUntil) : NaN;
    if (Number.isNaN(until)) return error.message;
    const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
    return t('errorCodes.account_locked', { count: minutes });
  }
  if (isTranslated(error.code)) return t(`errorCodes.${error.code}`);
  return error.message || t('errorCodes.unknown');
}

export interface FormErrors {
  /** The message for the whole form, if any. */
  form: string | null;
  /** Messages that belong to no field on the form (shown with the form message). */
  other: string[];
  /** Messages by field name. */
  fields: Readonly<Record<string, string>>;
}

export const noErrors: FormErrors = { form: null, other: [], fields: {} };

/**
 * Splits a failure into a form-level message and messages for the named fields. A field path such
 * as "regionsServed.2" belongs to the field "regionsServed".
 */
export function formErrorsFrom(t: TFunction, error: unknown, fieldNames: readonly string[]): FormErrors {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  if (error instanceof ApiRequestError) {
    for (const field of error.fields) {
      const name = field.path.split('.')[0] ?? '';
      if (fieldNames.includes(name)) {
        fields[name] ??= field.message;
      } else {
        other.push(field.message);
      }
    }
  }
  return { form: errorMessage(t, error), other, fields };
}

/** Client-side checks failed: one form message and the field messages. */
export function invalidForm(t: TFunction, fields: Record<string, string>): FormErrors {
  return { form: t('forms.fixErrors'), other: [], fields };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.form !== null || Object.keys(errors.fields).length > 0;
}
