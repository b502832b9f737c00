import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { EVIDENCE_AGENCIES, NARRATIVE_MAX } from '@tiaki/domain';
import { GroupFrame, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { fieldId, type EvidenceAgency, type EvidenceRow, type YesNo } from './form.ts';
import type { StepProps } from './step.ts';
import { TerminologyGuard } from './TerminologyGuard.tsx';
import { UrgentActions } from './UrgentActions.tsx';

const MAX_EVIDENCE = 20;

/** Step 5: the narrative with the terminology guard, immediate risk, and evidence reference numbers. */
export function NarrativeStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const length = form.narrative.length;
  const rowCount = form.evidenceReferences.length;
  const focusNewRow = useRef(false);

  // After "Add a reference number", put the cursor in the new row.
  useEffect(() => {
    if (!focusNewRow.current) return;
    focusNewRow.current = false;
    document.getElementById(fieldId(`evidenceReferences.${rowCount - 1}.agency`))?.focus();
  }, [rowCount]);
  const setRows = (rows: EvidenceRow[]) => {
    update((f) => ({ ...f, evidenceReferences: rows }));
  };
  const setRow = (index: number, change: Partial<EvidenceRow>) => {
    setRows(form.evidenceReferences.map((row, i) => (i === index ? { ...row, ...change } : row)));
  };
  const agencyOptions = EVIDENCE_AGENCIES.map((agency) => ({
    value: agency,
    label: t(`referrals.fields.agencies.${agency}`),
  }));

  return (
    <>
      <TextAreaField
        id={fieldId('narrative')}
        label={t('referrals.fields.narrative')}
        hint={t('referrals.fields.narrativeHint')}
        name="narrative"
        rows={10}
        value={form.narrative}
        onChange={(narrative) => {
          update((f) => ({ ...f, narrative }));
        }}
        error={errors.narrative}
        counter={
          <span className={length > NARRATIVE_MAX ? 'counter-over' : undefined}>
            {t('referrals.fields.narrativeCount', {
              used: formatNumber(length),
              max: formatNumber(NARRATIVE_MAX),
            })}
          </span>
        }
      />
      <TerminologyGuard text={form.narrative} id={`${fieldId('narrative')}-terms`} />

      <RadioGroup
        id={fieldId('immediateRisk')}
        legend={t('referrals.fields.immediateRisk')}
        hint={t('referrals.fields.immediateRiskHint')}
        name="immediateRisk"
        inline
        options={[
          { value: 'yes', label: t('referrals.fields.yes') },
          { value: 'no', label: t('referrals.fields.no') },
        ]}
        value={form.immediateRisk}
        onChange={(immediateRisk: YesNo) => {
          update((f) => ({ ...f, immediateRisk }));
        }}
        error={errors.immediateRisk}
      />
      {/* Always in the page, so that the box is announced the moment "Yes" is chosen. */}
      <div role="alert">{form.immediateRisk === 'yes' ? <UrgentActions headingLevel={3} /> : null}</div>

      <GroupFrame
        id={fieldId('evidenceReferences')}
        legend={t('referrals.fields.evidence')}
        hint={t('referrals.fields.evidenceHint')}
        error={errors.evidenceReferences}
        optional
      >
        <div className="notice notice-warning">
          <p>
            <strong>{t('referrals.fields.evidenceNoFiles')}</strong>
          </p>
        </div>
        {form.evidenceReferences.length ? (
          <ul className="evidence-list">
            {form.evidenceReferences.map((row, index) => {
              const number = index + 1;
              const path = `evidenceReferences.${index}`;
              return (
                <li key={index} className="evidence-row">
                  <SelectField
                    id={fieldId(`${path}.agency`)}
                    label={t('referrals.fields.evidenceAgency', { number })}
                    name={`evidenceAgency${number}`}
                    options={agencyOptions}
                    value={row.agency}
                    onChange={(agency) => {
                      setRow(index, { agency: agency as EvidenceAgency });
                    }}
                    error={errors[`${path}.agency`]}
                  />
                  <TextField
                    id={fieldId(`${path}.reference`)}
                    label={t('referrals.fields.evidenceReference', { number })}
                    name={`evidenceReference${number}`}
                    autoComplete="off"
                    spellCheck={false}
                    autoCapitalize="none"
                    maxLength={40}
                    width="medium"
                    value={row.reference}
                    onChange={(reference) => {
                      setRow(index, { reference });
                    }}
                    error={errors[`${path}.reference`]}
                  />
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    onClick={() => {
                      setRows(form.evidenceReferences.filter((_, i) => i !== index));
                      document.getElementById(`${fieldId('evidenceReferences')}-add`)?.focus();
                    }}
                  >
                    {t('actions.remove')}
                    <span className="visually-hidden">
                      {' '}
                      {t('referrals.fields.evidenceReference', { number })}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
        {form.evidenceReferences.length < MAX_EVIDENCE ? (
          <button
            id={`${fieldId('evidenceReferences')}-add`}
            type="button"
            className="button button-small button-secondary"
            onClick={() => {
              focusNewRow.current = true;
              setRows([...form.evidenceReferences, { agency: 'police', reference: '' }]);
            }}
          >
            {t('referrals.fields.addEvidence')}
          </button>
        ) : null}
      </GroupFrame>
    </>
  );
}
