import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, screenIndicators } from '@tiaki/domain';
import { CheckboxGroup } from '../../components/forms.tsx';
import { ConcernLevel } from './ConcernLevel.tsx';
import { fieldId } from './form.ts';
import type { StepProps } from './step.ts';

/** Step 4: the signs the person has noticed, with the indicator screen beside them as they choose. */
export function IndicatorsStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const screen = useMemo(() => screenIndicators(form.indicators), [form.indicators]);
  return (
    <div className="with-aside">
      <div className="with-aside-main">
        <p className="hint">{t('referrals.fields.indicatorsHint')}</p>
        {CURRENT_TAXONOMY.indicatorGroups.map((group, index) => {
          const codes = CURRENT_TAXONOMY.indicators.filter((i) => i.group === group.code).map((i) => i.code);
          return (
            <CheckboxGroup
              key={group.code}
              id={index === 0 ? fieldId('indicators') : `${fieldId('indicators')}-${group.code}`}
              legend={group.label}
              hint={group.definition}
              name={`indicators-${group.code}`}
              options={CURRENT_TAXONOMY.indicators
                .filter((i) => i.group === group.code)
                .map((indicator) => ({
                  value: indicator.code,
                  label: (
                    <>
                      {indicator.label}
                      {indicator.strength === 'strong' ? (
                        <>
                          {' '}
                          <span className="tag tag-small tag-strong">{t('referrals.fields.strong')}</span>
                        </>
                      ) : null}
                    </>
                  ),
                  hint: (
                    <>
                      <p className="choice-definition">{indicator.definition}</p>
                      <details className="guidance">
                        <summary>{t('referrals.fields.guidance')}</summary>
                        <p>{indicator.guidance}</p>
                      </details>
                    </>
                  ),
                }))}
              values={form.indicators.filter((code) => codes.includes(code))}
              onChange={(chosen) => {
                update((f) => ({
                  ...f,
                  indicators: [...f.indicators.filter((code) => !codes.includes(code)), ...chosen],
                }));
              }}
              error={index === 0 ? errors.indicators : undefined}
            />
          );
        })}
      </div>
      <div className="with-aside-aside">
        <ConcernLevel screen={screen} live headingLevel={3} />
      </div>
    </div>
  );
}
