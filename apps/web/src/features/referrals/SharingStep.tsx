import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, type LawfulBasis } from '@tiaki/domain';
import { RadioGroup, SelectField, TextAreaField } from '../../components/forms.tsx';
import { fieldId, type ReferralForm } from './form.ts';
import type { StepProps } from './step.ts';

const BASES = CURRENT_TAXONOMY.lawfulBases;

function basisLabel(basis: LawfulBasis): string {
  return `${basis.label} (${basis.act} ${basis.section})`;
}

function BasisDefinition({ basis }: { basis: LawfulBasis }) {
  const { t } = useTranslation();
  return (
    <>
      {basis.definition}
      {basis.notForOffenceInvestigation ? <> {t('referrals.fields.notForInvestigation')}</> : null}
    </>
  );
}

/** Step 6: the child's views, whether they know, and the lawful basis for sharing. */
export function SharingStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const chosen = BASES.find((basis) => basis.code === form.lawfulBasis);
  return (
    <>
      <TextAreaField
        id={fieldId('childViews')}
        label={t('referrals.fields.childViews')}
        hint={t('referrals.fields.childViewsHint')}
        name="childViews"
        optional
        rows={5}
        value={form.childViews}
        onChange={(childViews) => {
          update((f) => ({ ...f, childViews }));
        }}
        error={errors.childViews}
      />
      <RadioGroup
        id={fieldId('childAware')}
        legend={t('referrals.fields.childAware')}
        name="childAware"
        inline
        options={[
          { value: 'yes', label: t('referrals.fields.childAwareYes') },
          { value: 'no', label: t('referrals.fields.childAwareNo') },
          { value: 'unknown', label: t('referrals.fields.childAwareUnknown') },
        ]}
        value={form.childAware}
        onChange={(childAware: ReferralForm['childAware']) => {
          update((f) => ({ ...f, childAware }));
        }}
        error={errors.childAware}
      />
      <SelectField
        id={fieldId('lawfulBasis')}
        label={t('referrals.fields.lawfulBasis')}
        hint={
          <>
            {t('referrals.fields.lawfulBasisHint')}
            {chosen ? (
              <span className="chosen-definition">
                <strong>{chosen.label}:</strong> <BasisDefinition basis={chosen} />
              </span>
            ) : null}
          </>
        }
        name="lawfulBasis"
        required
        placeholder={t('forms.choose')}
        options={BASES.map((basis) => ({ value: basis.code, label: basisLabel(basis) }))}
        value={form.lawfulBasis}
        onChange={(lawfulBasis) => {
          update((f) => ({ ...f, lawfulBasis }));
        }}
        error={errors.lawfulBasis}
      />
      <details className="guidance guidance-block">
        <summary>{t('referrals.fields.lawfulBasisAbout')}</summary>
        <dl className="definitions">
          {BASES.map((basis) => (
            <div key={basis.code}>
              <dt>{basisLabel(basis)}</dt>
              <dd>
                <BasisDefinition basis={basis} />
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </>
  );
}
