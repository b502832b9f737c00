import { useEffect, useId, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from './errors.ts';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length ? list.join(' ') : undefined;
}

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  type?: 'text' | 'email' | 'password' | 'search';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email' | 'search';
  required?: boolean;
  optional?: boolean;
  maxLength?: number;
  spellCheck?: boolean;
  autoCapitalize?: 'none' | 'off' | 'sentences' | 'words';
  width?: 'short' | 'medium' | 'full';
}

export function TextField({
  label,
  name,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  autoComplete,
  inputMode,
  required = false,
  optional = false,
  maxLength,
  spellCheck,
  autoCapitalize,
  width = 'full',
}: TextFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="label">
        {label}
        {optional ? <span className="optional"> {t('forms.optional')}</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          <span className="visually-hidden">{t('forms.errorPrefix')} </span>
          {error}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        className={`input input-${width}`}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        autoComplete={autoComplete}
        inputMode={inputMode}
        required={required}
        maxLength={maxLength}
        spellCheck={spellCheck}
        autoCapitalize={autoCapitalize}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
      />
    </div>
  );
}

interface SelectFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  /** Text of a first, empty choice ("Choose…"); none when absent. */
  placeholder?: string;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
}

export function SelectField({
  label,
  name,
  value,
  onChange,
  options,
  placeholder,
  error,
  hint,
  required = false,
}: SelectFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          <span className="visually-hidden">{t('forms.errorPrefix')} </span>
          {error}
        </p>
      ) : null}
      <select
        id={id}
        name={name}
        className="select"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface CheckboxGroupProps<T extends string> {
  legend: string;
  name: string;
  options: readonly { value: T; label: ReactNode; hint?: string }[];
  values: readonly T[];
  onChange: (values: T[]) => void;
  error?: string | undefined;
  hint?: ReactNode;
  columns?: boolean;
}

export function CheckboxGroup<T extends string>({
  legend,
  name,
  options,
  values,
  onChange,
  error,
  hint,
  columns = false,
}: CheckboxGroupProps<T>) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const toggle = (value: T, checked: boolean) => {
    const next = checked ? [...values, value] : values.filter((v) => v !== value);
    // Keep the order of the options, whatever the order of clicks.
    onChange(options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  return (
    <fieldset
      className={error ? 'field fieldset field-invalid' : 'field fieldset'}
      aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
    >
      <legend className="legend">{legend}</legend>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          <span className="visually-hidden">{t('forms.errorPrefix')} </span>
          {error}
        </p>
      ) : null}
      <div className={columns ? 'checkboxes checkboxes-columns' : 'checkboxes'}>
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <div className="checkbox" key={option.value}>
              <input
                id={optionId}
                type="checkbox"
                name={name}
                value={option.value}
                checked={values.includes(option.value)}
                onChange={(event) => {
                  toggle(option.value, event.target.checked);
                }}
                aria-invalid={error ? true : undefined}
                aria-describedby={option.hint ? `${optionId}-hint` : undefined}
              />
              <label htmlFor={optionId} className="checkbox-label">
                {option.label}
              </label>
              {option.hint ? (
                <p id={`${optionId}-hint`} className="hint checkbox-hint">
                  {option.hint}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

interface FormMessagesProps {
  errors: FormErrors;
  success?: ReactNode;
}

/**
 * Live regions for the whole form: problems are announced at once, success politely. The regions
 * are always in the page, so that screen readers notice when text appears in them.
 */
export function FormMessages({ errors, success }: FormMessagesProps) {
  return (
    <>
      <div role="alert" className="live-region">
        {errors.form ? (
          <div className="alert alert-error">
            <p className="alert-title">{errors.form}</p>
            {errors.other.length ? (
              <ul>
                {errors.other.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
    </>
  );
}

/** After a failed submit, puts the cursor in the first field that needs fixing. */
export function useFocusFirstError(formRef: RefObject<HTMLElement | null>, errors: FormErrors): void {
  useEffect(() => {
    if (Object.keys(errors.fields).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, errors]);
}
