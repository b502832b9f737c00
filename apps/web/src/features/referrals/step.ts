import type { ReferralForm } from './form.ts';

/** Messages by dotted path, such as "child.dateOfBirth". */
export type PathErrors = Readonly<Record<string, string>>;

export interface StepProps {
  form: ReferralForm;
  update: (change: (form: ReferralForm) => ReferralForm) => void;
  errors: PathErrors;
}

/** Options for a select or a group of choices from taxonomy entries. */
export function entryOptions(list: readonly { code: string; label: string }[]) {
  return list.map((entry) => ({ value: entry.code, label: entry.label }));
}
