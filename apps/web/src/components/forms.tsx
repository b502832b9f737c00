import { useEffect, useId, type ChangeEvent, type ReactNode, type RefObject, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from './errors.ts';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length ? list.join(' ') : undefined;
}

/** What every single-control field takes. */
interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** The control's id; a new one is made when absent. */
  id?: string | undefined;
  optional?: boolean;
}

/** The attributes the frame gives its control: value, change handler, and the links to hint and error. */
interface ControlProps {
  id: string;
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => void;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The label, hint and error message around one control, linked to it for assistive technology. */
function FieldFrame({
  label,
  name,
  value,
  onChange,
  hint,
  error,
  optional = false,
  id: givenId,
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const { t } = useTranslation();
  const madeId = useId();
  const id = givenId ?? madeId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="label">
        {label}
        {optional ? <span className="optional"> {t('forms.optional')}</span> : null}
      </label>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {children({
        id,
        name,
        value,
        onChange: (event) => {
          onChange(event.target.value);
        },
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(hint ? hintId : undefined, error ? errorId : undefined),
      })}
    </div>
  );
}

function FieldMessages({
  hint,
  hintId,
  error,
  errorId,
}: {
  hint?: ReactNode;
  hintId: string;
  error?: string | undefined;
  errorId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
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
    </>
  );
}

interface TextFieldProps extends FieldProps {
  type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'date' | 'number';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email' | 'search' | 'tel';
  required?: boolean;
  maxLength?: number;
  min?: string | number;
  max?: string | number;
  spellCheck?: boolean;
  autoCapitalize?: 'none' | 'off' | 'sentences' | 'words';
  width?: 'short' | 'medium' | 'full';
}

export function TextField({
  type = 'text',
  autoComplete,
  inputMode,
  required = false,
  maxLength,
  min,
  max,
  spellCheck,
  autoCapitalize,
  width = 'full',
  ...field
}: TextFieldProps) {
  return (
    <FieldFrame {...field}>
      {(control) => (
        <input
          {...control}
          type={type}
          className={`input input-${width}`}
          autoComplete={autoComplete}
          inputMode={inputMode}
          required={required}
          maxLength={maxLength}
          min={min}
          max={max}
          spellCheck={spellCheck}
          autoCapitalize={autoCapitalize}
        />
      )}
    </FieldFrame>
  );
}

/** An email address field: no capitals, spelling or autocorrection forced on it. */
export function EmailField(props: FieldProps & { autoComplete: string; required?: boolean }) {
  return <TextField {...props} type="email" inputMode="email" autoCapitalize="none" spellCheck={false} />;
}

interface TextAreaFieldProps extends FieldProps {
  rows?: number;
  /** Shown under the box and read after the hint: the characters used of the limit. */
  counter?: ReactNode;
}

export function TextAreaField({ rows = 8, counter, ...field }: TextAreaFieldProps) {
  return (
    <FieldFrame {...field}>
      {(control) => (
        <>
          <textarea
            {...control}
            className="input textarea"
            rows={rows}
            aria-describedby={describedBy(
              control['aria-describedby'],
              counter ? `${control.id}-counter` : undefined,
            )}
          />
          {counter ? (
            <p id={`${control.id}-counter`} className="counter">
              {counter}
            </p>
          ) : null}
        </>
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps extends FieldProps {
  options: readonly { value: string; label: string }[];
  /** Text of a first, empty choice ("Choose…"); none when absent. */
  placeholder?: string;
  required?: boolean;
}

export function SelectField({ options, placeholder, required = false, ...field }: SelectFieldProps) {
  return (
    <FieldFrame {...field}>
      {(control) => (
        <select {...control} className="select" required={required}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

interface GroupFrameProps {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  id: string;
  children: ReactNode;
}

/** A fieldset with its legend, hint and error message: the frame of every group of choices. */
export function GroupFrame({ legend, hint, error, optional = false, id, children }: GroupFrameProps) {
  const { t } = useTranslation();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <fieldset
      id={id}
      className={error ? 'field fieldset field-invalid' : 'field fieldset'}
      aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
    >
      <legend className="legend">
        {legend}
        {optional ? <span className="optional"> {t('forms.optional')}</span> : null}
      </legend>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {children}
    </fieldset>
  );
}

export interface ChoiceOption<T extends string> {
  value: T;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown under the choice while it is selected (for example narrower choices). */
  more?: ReactNode;
}

interface ChoiceProps {
  id: string;
  type: 'checkbox' | 'radio';
  name: string;
  value: string;
  label: ReactNode;
  hint?: ReactNode | undefined;
  checked: boolean;
  invalid: boolean;
  onChange: (checked: boolean) => void;
  children?: ReactNode;
}

/** One checkbox or radio button, with its label and hint beside it. */
export function Choice({
  id,
  type,
  name,
  value,
  label,
  hint,
  checked,
  invalid,
  onChange,
  children,
}: ChoiceProps) {
  return (
    <div className="checkbox">
      <input
        id={id}
        type={type}
        name={name}
        value={value}
        checked={checked}
        onChange={(event) => {
          onChange(event.target.checked);
        }}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id} className="checkbox-label">
        {label}
      </label>
      {hint ? (
        <div id={`${id}-hint`} className="hint checkbox-hint">
          {hint}
        </div>
      ) : null}
      {children ? <div className="checkbox-more">{children}</div> : null}
    </div>
  );
}

interface CheckboxGroupProps<T extends string> {
  legend: ReactNode;
  name: string;
  options: readonly ChoiceOption<T>[];
  values: readonly T[];
  onChange: (values: T[]) => void;
  error?: string | undefined;
  hint?: ReactNode;
  id?: string;
  optional?: boolean;
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
  id: givenId,
  optional,
  columns = false,
}: CheckboxGroupProps<T>) {
  const madeId = useId();
  const id = givenId ?? madeId;
  const toggle = (value: T, checked: boolean) => {
    const next = checked ? [...values, value] : values.filter((v) => v !== value);
    // Keep the order of the options, whatever the order of clicks.
    onChange(options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  return (
    <GroupFrame legend={legend} hint={hint} error={error} optional={optional} id={id}>
      <div className={columns ? 'checkboxes checkboxes-columns' : 'checkboxes'}>
        {options.map((option) => (
          <Choice
            key={option.value}
            id={`${id}-${option.value}`}
            type="checkbox"
            name={name}
            value={option.value}
            label={option.label}
            hint={option.hint}
            checked={values.includes(option.value)}
            invalid={Boolean(error)}
            onChange={(checked) => {
              toggle(option.value, checked);
            }}
          >
            {values.includes(option.value) ? option.more : null}
          </Choice>
        ))}
      </div>
    </GroupFrame>
  );
}

interface RadioGroupProps<T extends string> {
  legend: ReactNode;
  name: string;
  options: readonly ChoiceOption<T>[];
  value: T | '';
  onChange: (value: T) => void;
  error?: string | undefined;
  hint?: ReactNode;
  id?: string;
  /** Side by side, for short answers such as yes and no. */
  inline?: boolean;
}

export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  hint,
  id: givenId,
  inline = false,
}: RadioGroupProps<T>) {
  const madeId = useId();
  const id = givenId ?? madeId;
  return (
    <GroupFrame legend={legend} hint={hint} error={error} id={id}>
      <div className={inline ? 'checkboxes radios-inline' : 'checkboxes'}>
        {options.map((option) => (
          <Choice
            key={option.value}
            id={`${id}-${option.value}`}
            type="radio"
            name={name}
            value={option.value}
            label={option.label}
            hint={option.hint}
            checked={value === option.value}
            invalid={Boolean(error)}
            onChange={(checked) => {
              if (checked) onChange(option.value);
            }}
          >
            {value === option.value ? option.more : null}
          </Choice>
        ))}
      </div>
    </GroupFrame>
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

interface FormProps {
  form: { formRef: RefObject<HTMLFormElement | null>; errors: FormErrors; busy?: boolean };
  onSubmit: (event: SubmitEvent) => void | Promise<void>;
  submitLabel: string;
  /** Shows a Cancel button next to the submit button. */
  onCancel?: () => void;
  /** More buttons after the submit button. */
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A form with its messages above it and its buttons below: the frame every form shares. */
export function Form({
  form: { formRef, errors, busy },
  onSubmit,
  submitLabel,
  onCancel,
  actions,
  className,
  children,
}: FormProps) {
  const { t } = useTranslation();
  return (
    <>
      <FormMessages errors={errors} />
      <form
        ref={formRef}
        className={className ? `form ${className}` : 'form'}
        noValidate
        onSubmit={(event) => void onSubmit(event)}
      >
        {children}
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {submitLabel}
          </button>
          {onCancel ? (
            <button type="button" className="button button-secondary" onClick={onCancel}>
              {t('actions.cancel')}
            </button>
          ) : null}
          {actions}
        </div>
      </form>
    </>
  );
}

/** A button on its own line that opens a form in the page (the form replaces it while open). */
export function OpenFormButton({ label, onOpen }: { label: string; onOpen: () => void }) {
  return (
    <div className="actions">
      <button type="button" className="button button-secondary" onClick={onOpen}>
        {label}
      </button>
    </div>
  );
}
