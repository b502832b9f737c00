import { TextField } from '../../components/forms.tsx';

/**
 * The child's date of birth and family name asked beside a case reference (privacy requests and
 * break-glass): a reference alone is guessable, so one of these must match the child's record.
 */
export function ChildCheckFields({
  idPrefix,
  labels,
  dateOfBirth,
  familyName,
  onDateOfBirth,
  onFamilyName,
  errors,
}: {
  idPrefix: string;
  labels: { dateOfBirth: string; familyName: string; hint: string };
  dateOfBirth: string;
  familyName: string;
  onDateOfBirth: (value: string) => void;
  onFamilyName: (value: string) => void;
  errors: Record<string, string | undefined>;
}) {
  return (
    <>
      <TextField
        type="date"
        label={labels.dateOfBirth}
        hint={labels.hint}
        name="dateOfBirth"
        id={`${idPrefix}-date-of-birth`}
        width="medium"
        autoComplete="off"
        value={dateOfBirth}
        onChange={onDateOfBirth}
        error={errors.dateOfBirth}
      />
      <TextField
        label={labels.familyName}
        name="familyName"
        id={`${idPrefix}-family-name`}
        width="medium"
        autoComplete="off"
        spellCheck={false}
        value={familyName}
        onChange={onFamilyName}
        error={errors.familyName}
      />
    </>
  );
}
