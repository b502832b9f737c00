import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { GroupFrame } from '../../components/forms.tsx';
import { fieldId } from './form.ts';

interface Props {
  /** The dotted path of the list, such as "child.aliases": each entry's is "child.aliases.2". */
  path: string;
  legend: string;
  hint?: string;
  itemLabel: (number: number) => string;
  addLabel: string;
  values: string[];
  onChange: (values: string[]) => void;
  errors: Readonly<Record<string, string>>;
  max: number;
  maxLength: number;
}

/** A list of short texts that grows and shrinks: other names, languages. */
export function TextList({
  path,
  legend,
  hint,
  itemLabel,
  addLabel,
  values,
  onChange,
  errors,
  max,
  maxLength,
}: Props) {
  const { t } = useTranslation();
  const focusIndex = useRef<number | null>(null);

  // After adding or removing, put the cursor where the person expects it.
  useEffect(() => {
    const index = focusIndex.current;
    if (index === null) return;
    focusIndex.current = null;
    const target =
      index >= 0
        ? document.getElementById(fieldId(`${path}.${index}`))
        : document.getElementById(`${fieldId(path)}-add`);
    target?.focus();
  }, [values.length, path]);

  return (
    <GroupFrame legend={legend} hint={hint} error={errors[path]} optional id={fieldId(path)}>
      {values.length ? (
        <ul className="text-list">
          {values.map((value, index) => {
            const id = fieldId(`${path}.${index}`);
            const error = errors[`${path}.${index}`];
            return (
              <li key={index} className={error ? 'text-list-item field-invalid' : 'text-list-item'}>
                <label htmlFor={id} className="label">
                  {itemLabel(index + 1)}
                </label>
                {error ? (
                  <p id={`${id}-error`} className="field-error">
                    <span className="visually-hidden">{t('forms.errorPrefix')} </span>
                    {error}
                  </p>
                ) : null}
                <div className="text-list-row">
                  <input
                    id={id}
                    className="input input-medium"
                    value={value}
                    maxLength={maxLength}
                    autoComplete="off"
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(event) => {
                      onChange(values.map((v, i) => (i === index ? event.target.value : v)));
                    }}
                  />
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    onClick={() => {
                      focusIndex.current = values.length > 1 ? Math.max(0, index - 1) : -1;
                      onChange(values.filter((_, i) => i !== index));
                    }}
                  >
                    {t('actions.remove')}
                    <span className="visually-hidden"> {itemLabel(index + 1)}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {values.length < max ? (
        <button
          id={`${fieldId(path)}-add`}
          type="button"
          className="button button-small button-secondary"
          onClick={() => {
            focusIndex.current = values.length;
            onChange([...values, '']);
          }}
        >
          {addLabel}
        </button>
      ) : null}
    </GroupFrame>
  );
}
