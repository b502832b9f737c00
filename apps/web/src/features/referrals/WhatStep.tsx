import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY } from '@tiaki/domain';
import { CheckboxGroup } from '../../components/forms.tsx';
import { fieldId } from './form.ts';
import type { StepProps } from './step.ts';

/** Step 3: the forms of exploitation that may be happening, and the child's circumstances. */
export function WhatStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const setSubtypes = (manifestation: string, codes: string[]) => {
    const own = new Set(
      CURRENT_TAXONOMY.manifestations.find((m) => m.code === manifestation)?.subtypes?.map((s) => s.code),
    );
    update((f) => ({
      ...f,
      manifestationSubtypes: [...f.manifestationSubtypes.filter((code) => !own.has(code)), ...codes],
    }));
  };
  return (
    <>
      <CheckboxGroup
        id={fieldId('manifestations')}
        legend={t('referrals.fields.manifestations')}
        hint={t('referrals.fields.manifestationsHint')}
        name="manifestations"
        options={CURRENT_TAXONOMY.manifestations.map((m) => ({
          value: m.code,
          label: m.label,
          hint: m.definition,
          more: m.subtypes?.length ? (
            <CheckboxGroup
              id={`${fieldId('manifestationSubtypes')}-${m.code}`}
              legend={t('referrals.fields.subtypes')}
              name={`subtypes-${m.code}`}
              options={m.subtypes.map((s) => ({ value: s.code, label: s.label, hint: s.definition }))}
              values={form.manifestationSubtypes.filter((code) => m.subtypes?.some((s) => s.code === code))}
              onChange={(codes) => {
                setSubtypes(m.code, codes);
              }}
            />
          ) : undefined,
        }))}
        values={form.manifestations}
        onChange={(manifestations) => {
          update((f) => ({ ...f, manifestations }));
        }}
        error={errors.manifestations}
      />
      <CheckboxGroup
        id={fieldId('contexts')}
        legend={t('referrals.fields.contexts')}
        hint={t('referrals.fields.contextsHint')}
        name="contexts"
        optional
        options={CURRENT_TAXONOMY.contexts.map((c) => ({
          value: c.code,
          label: c.label,
          hint: c.definition,
        }))}
        values={form.contexts}
        onChange={(contexts) => {
          update((f) => ({ ...f, contexts }));
        }}
        error={errors.contexts}
      />
    </>
  );
}
