import { Choice } from '../../components/forms.tsx';

interface Options {
  /** The id of the group; each checkbox's is `${groupId}-${code}`. */
  groupId: string;
  name: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  invalid: boolean;
  /** At most this many may be chosen (the schema's limit). */
  max: number;
}

/** Makes the checkboxes of a list of codes that may be chosen several at a time. */
export function codeChoice({ groupId, name, values, onChange, invalid, max }: Options) {
  function CodeChoice(code: string, label: string) {
    const checked = values.includes(code);
    return (
      <Choice
        key={code}
        id={`${groupId}-${code}`}
        type="checkbox"
        name={name}
        value={code}
        label={label}
        checked={checked}
        invalid={invalid}
        onChange={(check) => {
          if (!check) onChange(values.filter((v) => v !== code));
          else if (values.length < max) onChange([...values, code]);
        }}
      />
    );
  }
  return CodeChoice;
}
